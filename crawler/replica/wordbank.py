"""Vocabulary and sentence patterns for generated articles, in the register of a provincial Party paper.

Patterns are plain strings with `{slot}` fields; `Writer.fill` draws each slot from the lists below
with the article's own `random.Random`, so an article's text depends only on (seed, index).
Every string here is NFC with the proper `Đ`: traps are the renderers' business.
"""

from __future__ import annotations

import random
import re

DISTRICTS = (
    "thành phố Điện Biên Phủ", "thị xã Mường Lay", "huyện Điện Biên", "huyện Điện Biên Đông",
    "huyện Mường Ảng", "huyện Tuần Giáo", "huyện Tủa Chùa", "huyện Mường Chà", "huyện Mường Nhé",
    "huyện Nậm Pồ",
)
DISTRICT_NAMES = (
    "Điện Biên Phủ", "Mường Lay", "Điện Biên", "Điện Biên Đông", "Mường Ảng", "Tuần Giáo",
    "Tủa Chùa", "Mường Chà", "Mường Nhé", "Nậm Pồ",
)
COMMUNES = (
    "Thanh Hưng", "Thanh Xương", "Thanh An", "Noong Hẹt", "Sam Mứn", "Mường Phăng", "Pá Khoang",
    "Nà Tấu", "Búng Lao", "Ẳng Nưa", "Quài Nưa", "Quài Cang", "Chiềng Sinh", "Sín Thầu",
    "Chung Chải", "Leng Su Sìn", "Nà Khoa", "Chà Nưa", "Si Pa Phìn", "Mường Pồn", "Na Son",
    "Keo Lôm", "Xá Nhè", "Mường Đun", "Sính Phình", "Huổi Lèng", "Mường Tùng", "Lay Nưa",
    "Tả Sìn Thàng", "Phìn Hồ", "Mường Lói", "Núa Ngam", "Hẹ Muông", "Pú Nhi", "Tìa Dình",
)
VILLAGES = (
    "bản Phiêng Ban", "bản Huổi Un", "bản Co Sản", "bản Nà Sự", "bản Pa Sáng", "bản Mường Phăng",
    "bản Che Căn", "bản Hua Ná", "bản Từ Xa", "bản Nậm Chua", "bản Huổi Súa", "bản Tà Lèng",
)
PEOPLE = (
    "Lò Văn Phương", "Quàng Thị Hoa", "Giàng A Dế", "Mùa A Sơn", "Lường Văn Ơn", "Cà Văn Lả",
    "Tòng Thị Xuân", "Vừ A Chứ", "Sùng Thị Mỷ", "Hờ A Lử", "Lò Thị Hương", "Lầu A Chớ",
    "Nguyễn Văn Hùng", "Trần Thị Thu", "Phạm Đức Toàn", "Đỗ Văn Chiến", "Lê Thị Hồng",
    "Bùi Văn Đạt", "Hoàng Thị Lan", "Vũ Đình Khoa", "Đinh Văn Tuấn", "Quàng Văn Dương",
)
ROLES = (
    "Chủ tịch UBND xã {commune}", "Phó Chủ tịch UBND {district}", "Bí thư Đảng ủy xã {commune}",
    "Trưởng {village}", "Giám đốc Sở Nông nghiệp và Phát triển nông thôn",
    "Phó Giám đốc Sở Y tế", "Trưởng phòng Giáo dục và Đào tạo {district}",
    "Chủ tịch Hội Nông dân xã {commune}", "Hiệu trưởng Trường PTDTBT THCS {commune}",
    "Giám đốc Trung tâm Y tế {district}", "Đồn trưởng Đồn Biên phòng {commune}",
    "Trưởng Công an xã {commune}", "Bí thư Chi bộ {village}", "Giám đốc Hợp tác xã {commune}",
)
# Roles printed on the second byline line (officials writing under their own name).
AUTHOR_ROLES = (
    "Tỉnh ủy viên, Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh",
    "Phó Bí thư Thường trực Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh",
    "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng ban Tuyên giáo Tỉnh ủy",
    "Phó Chủ tịch UBND tỉnh Điện Biên",
    "Giám đốc Sở Giáo dục và Đào tạo",
    "Bí thư Huyện ủy Tuần Giáo",
    "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
    "Đại tá, Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh",
)
OFFICIAL_AUTHORS = (
    "Lò Văn Mừng", "Mùa A Vảng", "Nguyễn Thị Thu Hà", "Vừ A Bằng", "Lường Thị Ngọc",
    "Đinh Văn Hiến", "Quàng Văn Bình", "Hà Đức Thịnh",
)
REPORTERS = (
    "Minh Thùy", "Quang Long", "Quang Hưng", "Hoàng Châu", "Kiều Trang", "Thanh Hải", "Hoàng Yến",
    "Ngọc Thanh", "Phạm Quang", "Thu Hằng", "Trung Dũng", "Vân Anh", "Đức Anh", "Hà Linh",
    "Bảo Trâm", "Duy Khánh", "Lan Phương", "Trần Thanh", "Hồng Nhung", "Mạnh Thắng", "Đình Tùng",
    "Phong Vân", "Việt Hà", "Thanh Bình",
)
AGENCY_REPORTERS = ("Hoàng Châu", "Thu Trang", "Vũ Hà", "Phương Hoa", "Đức Dũng", "Minh Quyết")
REPUBLISHED_FROM = ("VOV", "Báo Nhân Dân", "TTXVN", "Báo Chính phủ", "VTV")
ORGANISATIONS = (
    "UBND tỉnh", "Ban Thường vụ Tỉnh ủy", "Sở Nông nghiệp và Phát triển nông thôn", "Tỉnh đoàn",
    "Hội Nông dân tỉnh", "Ủy ban MTTQ Việt Nam tỉnh", "Sở Y tế", "Sở Giáo dục và Đào tạo",
    "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Sở Tài chính",
    "Chi nhánh Ngân hàng Chính sách xã hội tỉnh", "Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh",
)
QUOTES = (
    "Chúng tôi xác định đây là nhiệm vụ trọng tâm, phải làm thường xuyên, liên tục",
    "Có sự vào cuộc của cả hệ thống chính trị nên người dân rất đồng thuận",
    "Trước đây bà con còn e ngại, nay đã chủ động tham gia và thấy rõ hiệu quả",
    "Thời gian tới, xã tiếp tục tuyên truyền để người dân hiểu và làm theo",
    "Khó khăn lớn nhất vẫn là nguồn vốn và trình độ của một bộ phận người dân",
    "Mỗi cán bộ, đảng viên phải thực sự gương mẫu, nói đi đôi với làm",
    "Nhờ được hỗ trợ giống và kỹ thuật, gia đình tôi đã có thu nhập ổn định hơn",
    "Chúng tôi mong muốn được tiếp tục hỗ trợ để mở rộng quy mô sản xuất",
)

# Per-topic material. `titles` are headline patterns, `sentences` body sentences, `leads` openings
# for the sapo, `captions` photo captions, `subheads` in-body subheadings.
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "politics": {
        "titles": (
            "Hội nghị Ban Chấp hành Đảng bộ {district} lần thứ {n}",
            "{district_name}: Triển khai nhiệm vụ trọng tâm {period}",
            "Nâng cao chất lượng sinh hoạt chi bộ ở {district}",
            "Tiếp xúc cử tri trước kỳ họp thứ {n} HĐND tỉnh",
            "Đoàn công tác của tỉnh làm việc tại {district}",
            "Đẩy mạnh cải cách hành chính, nâng cao chỉ số năng lực cạnh tranh",
            "Sơ kết {n} năm thực hiện Nghị quyết của Tỉnh ủy về phát triển vùng cao",
        ),
        "leads": (
            "Sáng {date}, {org} tổ chức hội nghị đánh giá kết quả thực hiện nhiệm vụ {period}",
            "Ngày {date}, đoàn công tác của tỉnh do đồng chí {person}, {role} làm trưởng đoàn đã làm việc với {district}",
            "Thực hiện kế hoạch của Tỉnh ủy, {district} đã triển khai đồng bộ nhiều giải pháp nhằm nâng cao hiệu lực, hiệu quả quản lý nhà nước",
        ),
        "sentences": (
            "Các đại biểu tập trung thảo luận, đánh giá những kết quả đạt được, chỉ ra hạn chế, nguyên nhân và đề xuất giải pháp khắc phục",
            "Tỷ lệ hồ sơ giải quyết đúng hạn đạt {pct}%, tăng so với cùng kỳ năm trước",
            "Toàn huyện đã tổ chức {n} hội nghị tiếp xúc cử tri, tiếp nhận {n} ý kiến, kiến nghị",
            "Công tác kiểm tra, giám sát được tăng cường, qua đó kịp thời chấn chỉnh những thiếu sót ở cơ sở",
            "Hệ thống chính trị từ huyện đến cơ sở được củng cố, kiện toàn, hoạt động ngày càng hiệu quả",
            "Kỳ họp sẽ xem xét, thông qua {n} nghị quyết quan trọng liên quan đến phát triển kinh tế - xã hội",
            "Đồng chí đề nghị các cấp ủy, chính quyền tiếp tục bám sát cơ sở, lắng nghe ý kiến của nhân dân",
        ),
        "captions": (
            "Đồng chí {person}, {role} phát biểu tại hội nghị",
            "Quang cảnh hội nghị",
            "Các đại biểu biểu quyết thông qua nghị quyết",
            "Cử tri {district} phát biểu ý kiến tại buổi tiếp xúc",
        ),
        "subheads": (
            "Phát huy vai trò hạt nhân lãnh đạo", "Đổi mới phương thức lãnh đạo",
            "Nhiều chỉ tiêu vượt kế hoạch", "Lắng nghe ý kiến cử tri",
        ),
    },
    "economy": {
        "titles": (
            "{district_name}: Thu ngân sách đạt {pct}% dự toán",
            "Đẩy nhanh tiến độ giải ngân vốn đầu tư công năm {year}",
            "Phát triển vùng nguyên liệu cà phê ở {district_name}",
            "Tháo gỡ khó khăn cho doanh nghiệp nhỏ và vừa",
            "Gạo Điện Biên vươn xa nhờ liên kết chuỗi giá trị",
            "Hợp tác xã {commune} mở rộng sản xuất mắc ca",
            "Sản phẩm OCOP giúp nông dân {district_name} tăng thu nhập",
        ),
        "leads": (
            "Năm {year}, tổng thu ngân sách nhà nước trên địa bàn {district} ước đạt {money} tỷ đồng, bằng {pct}% dự toán",
            "Những năm gần đây, nhiều hợp tác xã ở {district} đã mạnh dạn đầu tư, liên kết sản xuất theo chuỗi giá trị",
            "Xác định giải ngân vốn đầu tư công là nhiệm vụ chính trị trọng tâm, {org} đã chỉ đạo quyết liệt các chủ đầu tư",
        ),
        "sentences": (
            "Giá trị sản xuất ước đạt {money} tỷ đồng, tăng {pct}% so với cùng kỳ",
            "Toàn tỉnh hiện có {n} sản phẩm đạt chuẩn OCOP từ 3 sao trở lên",
            "Nhiều công trình giao thông, thủy lợi hoàn thành đã góp phần thay đổi diện mạo nông thôn",
            "Doanh nghiệp cam kết bao tiêu sản phẩm với giá ổn định, giúp người dân yên tâm sản xuất",
            "Diện tích cà phê toàn huyện đạt trên {big} ha, năng suất bình quân {pct} tạ/ha",
            "Tính đến ngày {date}, tỷ lệ giải ngân vốn đầu tư công mới đạt {pct}% kế hoạch",
            "Ngành chức năng đã hỗ trợ {n} hộ kinh doanh chuyển đổi lên doanh nghiệp",
        ),
        "captions": (
            "Người dân {village}, xã {commune} thu hoạch cà phê",
            "Dây chuyền chế biến của Hợp tác xã {commune}",
            "Công trình đường giao thông liên xã đang được đẩy nhanh tiến độ",
            "Sản phẩm OCOP của tỉnh được giới thiệu tại hội chợ",
        ),
        "subheads": (
            "Tạo đột phá từ liên kết", "Tháo gỡ điểm nghẽn", "Nâng cao giá trị nông sản",
            "Còn nhiều dư địa phát triển",
        ),
    },
    "society": {
        "titles": (
            "Chung tay xóa nhà tạm, nhà dột nát cho hộ nghèo {district_name}",
            "Giải quyết việc làm cho {n} lao động năm {year}",
            "Hỗ trợ đồng bào vùng cao ổn định cuộc sống",
            "Trao {n} suất quà cho hộ nghèo, gia đình chính sách",
            "Xã {commune} thay da đổi thịt nhờ chương trình mục tiêu quốc gia",
            "Đưa nước sạch về {village}",
        ),
        "leads": (
            "Với sự vào cuộc của cả hệ thống chính trị, nhiều hộ nghèo ở {district} đã có nhà ở kiên cố, yên tâm lao động sản xuất",
            "Ngày {date}, {org} phối hợp với các nhà tài trợ trao {n} suất quà cho hộ nghèo tại xã {commune}",
            "Chương trình mục tiêu quốc gia đã tạo nguồn lực quan trọng giúp người dân xã {commune} từng bước thoát nghèo",
        ),
        "sentences": (
            "Tỷ lệ hộ nghèo toàn huyện giảm còn {pct}%, vượt chỉ tiêu nghị quyết đề ra",
            "Mỗi suất quà trị giá {n}0.000 đồng gồm tiền mặt và nhu yếu phẩm",
            "Đến nay, {n} căn nhà đã hoàn thành và bàn giao cho các hộ sử dụng",
            "Người dân góp ngày công, vật liệu địa phương cùng chính quyền xây dựng công trình",
            "Nhiều lao động sau khi đi làm việc ở các tỉnh đã trở về mở mang sản xuất tại quê hương",
            "Công trình cấp nước sinh hoạt có tổng vốn đầu tư {money} tỷ đồng, phục vụ {n} hộ dân",
        ),
        "captions": (
            "Đại diện nhà tài trợ trao quà cho hộ nghèo xã {commune}",
            "Ngôi nhà mới của gia đình anh {person} ở {village}",
            "Người dân {village} sử dụng nước sạch",
            "Ảnh minh họa",
        ),
        "subheads": (
            "Không để ai bị bỏ lại phía sau", "Niềm vui nhà mới", "Sức lan tỏa từ cộng đồng",
        ),
    },
    "party_bloc": {
        "titles": (
            "Đại hội Chi bộ {org_short} nhiệm kỳ {term}",
            "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh sơ kết công tác xây dựng Đảng",
            "Bồi dưỡng lý luận chính trị cho {n} đảng viên mới",
            "Nâng cao chất lượng tổ chức cơ sở đảng trong doanh nghiệp",
            "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh ở Đảng bộ Khối",
            "Kết nạp đảng viên trong doanh nghiệp ngoài nhà nước",
        ),
        "leads": (
            "Ngày {date}, Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh tổ chức hội nghị sơ kết công tác xây dựng Đảng {period}",
            "Thực hiện Chỉ thị của Ban Thường vụ Tỉnh ủy, các tổ chức cơ sở đảng trực thuộc Đảng bộ Khối đã tổ chức thành công đại hội nhiệm kỳ {term}",
            "Những năm qua, Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh luôn chú trọng công tác phát triển đảng viên trong các loại hình doanh nghiệp",
        ),
        "sentences": (
            "Toàn Đảng bộ Khối hiện có {n} tổ chức cơ sở đảng với hơn {big} đảng viên",
            "Có {pct}% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ, {pct}% đảng viên hoàn thành xuất sắc nhiệm vụ",
            "Công tác giáo dục chính trị tư tưởng được quan tâm, tạo chuyển biến tích cực trong nhận thức và hành động của cán bộ, đảng viên",
            "Các chi bộ duy trì nền nếp sinh hoạt định kỳ, nội dung sinh hoạt ngày càng thiết thực",
            "Đại hội đã bầu Ban Chấp hành nhiệm kỳ mới gồm {n} đồng chí",
            "Việc kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng được thực hiện đúng quy định",
            "Trong năm, toàn Đảng bộ kết nạp {n} đảng viên mới, đạt {pct}% chỉ tiêu",
        ),
        "captions": (
            "Đồng chí {person}, {role} phát biểu chỉ đạo đại hội",
            "Ban Chấp hành Chi bộ nhiệm kỳ {term} ra mắt đại hội",
            "Trao quyết định kết nạp đảng viên mới",
        ),
        "subheads": (
            "Chú trọng chất lượng đảng viên", "Sinh hoạt chi bộ đi vào chiều sâu",
            "Gắn xây dựng Đảng với nhiệm vụ chính trị",
        ),
    },
    "defence": {
        "titles": (
            "Đồn Biên phòng {commune} giúp dân phát triển kinh tế",
            "Diễn tập khu vực phòng thủ {district} năm {year}",
            "Bảo đảm an ninh trật tự vùng biên giới",
            "Triệt phá đường dây mua bán trái phép chất ma túy",
            "Lễ giao nhận quân năm {year}: {n} thanh niên lên đường nhập ngũ",
        ),
        "leads": (
            "Những năm qua, cán bộ, chiến sĩ Đồn Biên phòng {commune} luôn bám địa bàn, giúp đồng bào các dân tộc xóa đói giảm nghèo",
            "Sáng {date}, {district} tổ chức Lễ giao nhận quân năm {year}",
            "Phát huy sức mạnh tổng hợp, lực lượng chức năng tỉnh đã đấu tranh hiệu quả với các loại tội phạm",
        ),
        "sentences": (
            "Các lực lượng đã phối hợp chặt chẽ, nắm chắc tình hình, không để bị động, bất ngờ",
            "Qua diễn tập, năng lực lãnh đạo, chỉ đạo của cấp ủy, chính quyền được nâng lên",
            "Lực lượng chức năng thu giữ {n} bánh heroin cùng nhiều tang vật liên quan",
            "Toàn huyện có {n} thanh niên lên đường nhập ngũ, đạt 100% chỉ tiêu giao",
            "Bộ đội Biên phòng đã hỗ trợ người dân {n} ngày công làm đường giao thông nông thôn",
        ),
        "captions": (
            "Cán bộ Đồn Biên phòng {commune} tuần tra bảo vệ biên giới",
            "Tân binh {district} lên đường nhập ngũ",
            "Lực lượng vũ trang huyện diễn tập phương án tác chiến",
        ),
        "subheads": ("Điểm tựa của đồng bào vùng biên", "Sẵn sàng chiến đấu cao"),
    },
    "culture": {
        "titles": (
            "Lễ hội Hoa Ban năm {year}: Sắc màu văn hóa các dân tộc",
            "Bảo tồn nghề dệt thổ cẩm của đồng bào Thái ở {district_name}",
            "Du lịch cộng đồng {village} hút khách",
            "Di tích lịch sử Điện Biên Phủ đón {big} lượt khách",
            "Giữ gìn điệu xòe Thái trong đời sống hôm nay",
        ),
        "leads": (
            "Những ngày này, {village}, xã {commune} đón nhiều đoàn khách đến trải nghiệm văn hóa bản địa",
            "Trong {months} tháng đầu năm {year}, các điểm di tích trên địa bàn tỉnh đón {big} lượt khách tham quan",
            "Với mong muốn gìn giữ nét đẹp truyền thống, phụ nữ {village} đã duy trì nghề dệt thổ cẩm",
        ),
        "sentences": (
            "Doanh thu từ du lịch ước đạt {money} tỷ đồng, tăng {pct}% so với cùng kỳ",
            "Các homestay được đầu tư cải tạo khang trang nhưng vẫn giữ nét kiến trúc nhà sàn truyền thống",
            "Nghệ nhân {person} cho biết mỗi tấm thổ cẩm phải mất nhiều ngày mới hoàn thành",
            "Chương trình nghệ thuật với các tiết mục múa xòe, múa sạp thu hút đông đảo người dân và du khách",
            "Toàn tỉnh hiện có {n} di tích được xếp hạng, trong đó có di tích quốc gia đặc biệt",
        ),
        "captions": (
            "Du khách trải nghiệm tại {village}",
            "Phụ nữ Thái {village} dệt thổ cẩm",
            "Tiết mục múa xòe tại lễ hội",
            "Ảnh minh họa",
        ),
        "subheads": ("Giữ hồn văn hóa bản", "Hướng đi mới cho du lịch"),
    },
    "health": {
        "titles": (
            "Bệnh viện Đa khoa tỉnh tiếp nhận {n} ca cấp cứu dịp nghỉ lễ",
            "Tiêm chủng mở rộng cho trẻ em vùng cao {district_name}",
            "Nâng cao chất lượng khám chữa bệnh tuyến cơ sở",
            "Phòng chống sốt xuất huyết tại {district_name}",
            "Trạm Y tế xã {commune} đạt chuẩn quốc gia",
        ),
        "leads": (
            "Trong dịp nghỉ lễ vừa qua, Bệnh viện Đa khoa tỉnh đã tiếp nhận, cấp cứu kịp thời {n} trường hợp",
            "Nhằm chủ động phòng, chống dịch bệnh, Trung tâm Y tế {district} đã triển khai nhiều biện pháp đồng bộ",
            "Những năm gần đây, mạng lưới y tế cơ sở ở {district} được đầu tư, nâng cấp",
        ),
        "sentences": (
            "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt {pct}%",
            "Các y, bác sĩ đã túc trực 24/24 giờ, sẵn sàng tiếp nhận bệnh nhân",
            "Từ đầu năm đến nay, toàn huyện ghi nhận {n} ca mắc, không có trường hợp tử vong",
            "Trạm Y tế xã được trang bị thêm máy siêu âm, máy xét nghiệm sinh hóa",
            "Ngành y tế khuyến cáo người dân chủ động diệt bọ gậy, phát quang bụi rậm quanh nhà",
        ),
        "captions": (
            "Bác sĩ Bệnh viện Đa khoa tỉnh thăm khám cho bệnh nhân",
            "Cán bộ Trạm Y tế xã {commune} tiêm vắc xin cho trẻ",
            "Ảnh minh họa",
        ),
        "subheads": ("Chủ động phòng bệnh từ cơ sở", "Nâng cao năng lực chuyên môn"),
    },
    "education": {
        "titles": (
            "Khai giảng năm học mới ở vùng cao {district_name}",
            "Kỳ thi tốt nghiệp THPT năm {year}: Điện Biên có {big} thí sinh dự thi",
            "Trường PTDTBT THCS {commune} nâng cao chất lượng dạy và học",
            "Huy động trẻ ra lớp đúng độ tuổi",
            "Tiếp sức cho học sinh nghèo vượt khó",
        ),
        "leads": (
            "Sáng {date}, cùng với học sinh cả nước, hơn {big} học sinh các cấp học trên địa bàn tỉnh hân hoan dự lễ khai giảng",
            "Năm học {term}, ngành Giáo dục {district} tập trung nâng cao chất lượng giáo dục toàn diện",
            "Kỳ thi năm nay, toàn tỉnh bố trí {n} điểm thi với hơn {big} cán bộ, giáo viên làm nhiệm vụ",
        ),
        "sentences": (
            "Tỷ lệ huy động trẻ 6 tuổi vào lớp 1 đạt {pct}%",
            "Nhà trường hiện có {n} học sinh, trong đó học sinh bán trú chiếm {pct}%",
            "Các thầy cô giáo đã đến từng bản vận động học sinh trở lại lớp",
            "Cơ sở vật chất trường lớp được đầu tư, đáp ứng yêu cầu dạy và học",
            "Năm học vừa qua, toàn huyện có {n} học sinh đạt giải trong kỳ thi học sinh giỏi cấp tỉnh",
        ),
        "captions": (
            "Học sinh Trường PTDTBT THCS {commune} trong giờ học",
            "Các đại biểu đánh trống khai giảng năm học mới",
            "Thí sinh làm thủ tục dự thi",
        ),
        "subheads": ("Bám trường, bám lớp", "Chăm lo cho học sinh bán trú"),
    },
    "sport": {
        "titles": (
            "Giải Bóng đá thanh niên tỉnh Điện Biên năm {year}",
            "Đại hội Thể dục thể thao {district_name} lần thứ {n}",
            "Giải Marathon Chiến thắng Điện Biên Phủ thu hút {big} vận động viên",
            "Đội tuyển Điện Biên giành {n} huy chương tại giải khu vực",
        ),
        "leads": (
            "Tối {date}, tại Sân vận động tỉnh, {org} tổ chức khai mạc giải đấu với sự tham gia của {n} đội bóng",
            "Giải chạy năm nay có {big} vận động viên chuyên nghiệp và phong trào tham gia",
        ),
        "sentences": (
            "Các vận động viên thi đấu ở các nội dung: bóng đá, bóng chuyền, kéo co, đẩy gậy",
            "Kết thúc giải, đội {district_name} giành giải nhất toàn đoàn",
            "Giải đấu là dịp để các địa phương giao lưu, học hỏi kinh nghiệm",
            "Ban Tổ chức trao {n} bộ huy chương cho các vận động viên xuất sắc",
        ),
        "captions": (
            "Vận động viên tranh tài ở nội dung đẩy gậy",
            "Pha tranh bóng trong trận chung kết",
        ),
        "subheads": ("Sôi nổi phong trào thể thao quần chúng",),
    },
    "agriculture": {
        "titles": (
            "Nông dân {district_name} khẩn trương gieo cấy vụ đông xuân",
            "Chuyển đổi cơ cấu cây trồng trên đất dốc",
            "Xây dựng nông thôn mới ở xã {commune}",
            "Phát triển chăn nuôi gia súc theo hướng hàng hóa",
            "Cánh đồng Mường Thanh vào mùa gặt",
        ),
        "leads": (
            "Đến ngày {date}, toàn huyện đã gieo cấy được {big} ha lúa, đạt {pct}% kế hoạch",
            "Xác định xây dựng nông thôn mới là nhiệm vụ trọng tâm, xã {commune} đã huy động sức dân cùng chung tay",
        ),
        "sentences": (
            "Năng suất lúa bình quân đạt {pct} tạ/ha, sản lượng ước trên {big} tấn",
            "Xã đã đạt {criteria}/19 tiêu chí nông thôn mới",
            "Người dân được hỗ trợ giống, phân bón và tập huấn kỹ thuật canh tác",
            "Tổng đàn gia súc toàn huyện đạt trên {big} con",
            "Nhiều hộ đã mạnh dạn chuyển đổi đất trồng ngô kém hiệu quả sang trồng cây ăn quả",
        ),
        "captions": (
            "Nông dân xã {commune} gặt lúa trên cánh đồng Mường Thanh",
            "Mô hình trồng cây ăn quả trên đất dốc ở {village}",
            "Ảnh minh họa",
        ),
        "subheads": ("Thay đổi tư duy sản xuất", "Diện mạo mới ở nông thôn"),
    },
    "law": {
        "titles": (
            "Xét xử lưu động vụ án mua bán trái phép chất ma túy",
            "Tuyên truyền pháp luật cho đồng bào vùng cao",
            "Khởi tố {n} đối tượng vận chuyển gỗ trái phép",
            "Cảnh báo lừa đảo qua mạng xã hội",
        ),
        "leads": (
            "Ngày {date}, Tòa án nhân dân tỉnh mở phiên tòa xét xử lưu động tại xã {commune}",
            "Thời gian gần đây, trên địa bàn tỉnh xuất hiện nhiều thủ đoạn lừa đảo chiếm đoạt tài sản qua mạng",
        ),
        "sentences": (
            "Hội đồng xét xử tuyên phạt bị cáo {n} năm tù",
            "Cơ quan Cảnh sát điều tra đã khởi tố vụ án, khởi tố bị can để điều tra theo quy định",
            "Công an khuyến cáo người dân không cung cấp thông tin cá nhân cho người lạ",
            "Phiên tòa thu hút đông đảo người dân đến theo dõi",
        ),
        "captions": ("Quang cảnh phiên tòa xét xử lưu động", "Ảnh minh họa"),
        "subheads": ("Răn đe, phòng ngừa chung",),
    },
    "party_building": {
        "titles": (
            "Công tác cán bộ phải thực sự công tâm, khách quan",
            "Phát huy vai trò nêu gương của người đứng đầu",
            "Kiểm tra, giám sát gắn với chỉnh đốn Đảng",
            "Bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng",
        ),
        "leads": (
            "Thời gian qua, {district} đã chú trọng công tác xây dựng, chỉnh đốn Đảng gắn với thực hiện nhiệm vụ chính trị",
            "Ngày {date}, Ban Thường vụ Tỉnh ủy tổ chức hội nghị quán triệt các văn bản mới của Trung ương",
        ),
        "sentences": (
            "Người đứng đầu cấp ủy phải gương mẫu, nói đi đôi với làm",
            "Trong năm, Ủy ban Kiểm tra các cấp đã kiểm tra {n} tổ chức đảng và {n} đảng viên",
            "Việc đấu tranh phản bác các quan điểm sai trái, thù địch được thực hiện thường xuyên",
            "Chất lượng đội ngũ cán bộ từng bước được nâng lên, đáp ứng yêu cầu nhiệm vụ",
        ),
        "captions": ("Các đại biểu dự hội nghị quán triệt", "Đồng chí {person}, {role} phát biểu"),
        "subheads": ("Nói đi đôi với làm", "Siết chặt kỷ luật, kỷ cương"),
    },
}

# Sentences any article may use; some carry dates and numbers on purpose (a date-regex over the
# whole page must not mistake them for the publication date).
GENERIC_SENTENCES = (
    "Ngày {date}/{year}, {org} đã ban hành kế hoạch triển khai thực hiện",
    "{person}, {role}, cho biết: “{quote}”",
    "Theo {person}, {role}: “{quote}”",
    "Bên cạnh những kết quả đạt được, vẫn còn một số hạn chế cần sớm khắc phục",
    "Thời gian tới, địa phương tiếp tục tăng cường công tác tuyên truyền, vận động nhân dân",
    "Kết quả trên có được là nhờ sự vào cuộc quyết liệt của cấp ủy, chính quyền các cấp",
    "Đến nay, {part}/{n2} xã, thị trấn đã hoàn thành kế hoạch đề ra",
    "Từ năm {year} đến nay, {district} đã huy động trên {money} tỷ đồng cho các công trình thiết yếu",
    "Nhiều cách làm hay, mô hình hiệu quả được nhân rộng trên địa bàn",
    "Người dân các dân tộc {district} tin tưởng vào sự lãnh đạo của Đảng, chấp hành tốt chủ trương, chính sách",
    "Đây là tiền đề quan trọng để địa phương hoàn thành các mục tiêu nhiệm kỳ {term}",
    "Công tác phối hợp giữa các ngành, đơn vị còn có lúc chưa chặt chẽ…",
    "Đồng chí {person}, {role} nhấn mạnh: “{quote}”",
    "Năm {year}, toàn huyện phấn đấu hoàn thành {pct}% kế hoạch đề ra",
    "{person}, {role} chia sẻ, thời gian đầu triển khai gặp không ít khó khăn do địa bàn rộng, giao thông đi lại vất vả",
    "Gia đình {person} ở {village}, xã {commune} nay đã có cuộc sống khấm khá hơn nhiều",
    "Các ngành chức năng đã tổ chức {n} lớp tập huấn với hơn {big} lượt người tham gia",
    "Ngoài nguồn vốn của Nhà nước, địa phương còn vận động nhân dân hiến đất, góp công xây dựng công trình",
    "Với cách làm bài bản, sáng tạo, nhiều chỉ tiêu quan trọng đều đạt và vượt kế hoạch",
    "Qua kiểm tra, đoàn công tác đánh giá cao sự chủ động của cấp ủy, chính quyền cơ sở",
    "Tuy vậy, do điều kiện tự nhiên khắc nghiệt, thời tiết diễn biến phức tạp nên tiến độ ở một số nơi còn chậm",
    "Để đạt được mục tiêu, địa phương xác định rõ việc cần làm, người thực hiện và thời gian hoàn thành",
    "Sau {n} năm triển khai, diện mạo nhiều thôn, bản vùng cao đã có nhiều khởi sắc",
    "Toàn tỉnh hiện có {n} hợp tác xã đang hoạt động hiệu quả, tạo việc làm cho hàng nghìn lao động",
    "Hội nghị cũng đã thảo luận, thống nhất phương hướng, nhiệm vụ trọng tâm thời gian tới",
    "Việc làm này vừa góp phần nâng cao nhận thức, vừa tạo sự lan tỏa trong cộng đồng",
    "Đáng chú ý, tỷ lệ hộ dân được sử dụng điện lưới quốc gia đã đạt trên {pct}%",
    "Mặc dù còn nhiều khó khăn nhưng với quyết tâm cao, các mục tiêu cơ bản đã hoàn thành",
    "Đường bê tông đã về tận {village}, giúp việc đi lại, giao thương của bà con thuận lợi hơn",
)
GENERIC_SUBHEADS = (
    "Chuyển biến rõ nét từ cơ sở", "Còn không ít khó khăn", "Hướng tới mục tiêu bền vững",
    "Khơi dậy tinh thần tự lực", "Những cách làm sáng tạo", "Tiếp tục đổi mới",
)
PERIODS = ("6 tháng đầu năm", "quý I", "năm {year}", "9 tháng năm {year}", "nhiệm kỳ {term}")
ORG_SHORT = ("Sở Tài chính", "Báo Điện Biên Phủ", "Kho bạc Nhà nước tỉnh", "Công ty Điện lực Điện Biên",
             "Ngân hàng Nông nghiệp chi nhánh tỉnh", "Sở Xây dựng")
TAGS = ("Điện Biên", "xây dựng Đảng", "nông thôn mới", "giảm nghèo", "biên giới", "du lịch",
        "OCOP", "cải cách hành chính", "chuyển đổi số", "văn hóa dân tộc")

_SLOT = re.compile(r"\{(\w+)\}")


class Writer:
    """Fills patterns for one article from that article's random stream."""

    def __init__(self, rng: random.Random, year: int):
        self.rng = rng
        self.year = year

    def pick(self, options):
        return options[self.rng.randrange(len(options))]

    def fill(self, pattern: str) -> str:
        # Re-fill until no slot is left, since slot values (a role) may contain slots (a commune).
        for _ in range(3):
            pattern = _SLOT.sub(lambda m: self._slot(m.group(1)), pattern)
        return pattern

    def _slot(self, name: str) -> str:
        rng = self.rng
        if name == "district":
            return self.pick(DISTRICTS)
        if name == "district_name":
            return self.pick(DISTRICT_NAMES)
        if name == "commune":
            return self.pick(COMMUNES)
        if name == "village":
            return self.pick(VILLAGES)
        if name == "person":
            return self.pick(PEOPLE)
        if name == "role":
            return self.pick(ROLES)
        if name == "org":
            return self.pick(ORGANISATIONS)
        if name == "org_short":
            return self.pick(ORG_SHORT)
        if name == "quote":
            return self.pick(QUOTES)
        if name == "period":
            return self.pick(PERIODS)
        if name == "n":
            return str(rng.choice((rng.randint(2, 30), rng.randint(10, 400))))
        if name == "n2":
            return str(rng.randint(30, 130))
        if name == "part":
            return str(rng.randint(5, 29))
        if name == "criteria":
            return str(rng.randint(9, 19))
        if name == "months":
            return str(rng.randint(3, 11))
        if name == "big":
            return f"{rng.randint(1_100, 95_000):,}".replace(",", ".")
        if name == "pct":
            return f"{rng.randint(40, 99)},{rng.randint(1, 9)}"
        if name == "money":
            return f"{rng.randint(2, 900)},{rng.randint(1, 9)}"
        if name == "year":
            return str(rng.randint(max(2015, self.year - 4), self.year))
        if name == "term":
            start = self.pick((2015, 2020, 2025)) if self.year >= 2020 else 2015
            return f"{start} - {start + 5}"
        if name == "date":
            return f"{rng.randint(1, 28)}/{rng.randint(1, 12)}"
        raise KeyError(name)

    def sentence(self, topic: str, used: set[str]) -> str:
        """One body sentence not used before in this article, ending with its full stop."""
        pool = TOPICS[topic]["sentences"] + GENERIC_SENTENCES
        for _ in range(8):
            pattern = self.pick(pool)
            if pattern not in used:
                break
        used.add(pattern)
        text = self.fill(pattern)
        return text if text.endswith(("…", ".")) else text + "."

    def paragraph(self, topic: str, used: set[str]) -> str:
        return " ".join(self.sentence(topic, used) for _ in range(self.rng.randint(2, 5)))

    def title(self, topic: str) -> str:
        return _capitalise(self.fill(self.pick(TOPICS[topic]["titles"])))

    def lead(self, topic: str, used: set[str]) -> str:
        lead = self.fill(self.pick(TOPICS[topic]["leads"]))
        if self.rng.random() < 0.6:
            lead += ". " + self.sentence(topic, used)
        return _capitalise(lead if lead.endswith(".") else lead + ".")

    def subheading(self, topic: str) -> str:
        return self.fill(self.pick(TOPICS[topic]["subheads"] + GENERIC_SUBHEADS))

    def caption(self, topic: str) -> str:
        return _capitalise(self.fill(self.pick(TOPICS[topic]["captions"])))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
