"""Bylines and photo credits in every form the paper and its sources use."""

import pytest

from crawler.parsing.byline import (
    is_field_line, is_prefixed_byline, is_role_line, looks_like_name, parse_byline, parse_byline_line, parse_field_block,
    photo_credit_line, split_caption_credit,
)


def test_name_then_role_line():
    byline = parse_byline(["Lỳ Lỳ Xá", "Tỉnh ủy viên, Bí thư Ðảng ủy Khối Cơ quan và Doanh nghiệp tỉnh"])
    assert byline.authors == ["Lỳ Lỳ Xá"]
    assert byline.role == "Tỉnh ủy viên, Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh"
    assert byline.source is None and byline.photo_credits == []


def test_name_and_role_on_one_line():
    byline = parse_byline_line("Lỳ Lỳ Xá, Tỉnh ủy viên, Bí thư Đảng ủy Khối")
    assert byline.authors == ["Lỳ Lỳ Xá"] and byline.role == "Tỉnh ủy viên, Bí thư Đảng ủy Khối"


@pytest.mark.parametrize("line,name,rank", [("Thượng tá Nguyễn Văn Bình", "Nguyễn Văn Bình", "Thượng tá"),
                                            ("Đại úy Lò Văn Thắng", "Lò Văn Thắng", "Đại úy"),
                                            ("Nhà báo Hữu Thọ", "Hữu Thọ", "Nhà báo")])
def test_a_rank_before_the_name(line, name, rank):
    """QĐND's and CAND's closing bylines: the rank is the author's role, not part of the name."""
    byline = parse_byline_line(line)
    assert byline.authors == [name] and byline.role == rank
    assert parse_byline_line("Bác sĩ khuyên người dân nên tiêm phòng") is None  # (a sentence, no name)


@pytest.mark.parametrize("line", ["Bài, ảnh: Quang Hưng", "Bài và ảnh: Quang Hưng", "Bài - ảnh: Quang Hưng",
                                  "BÀI, ẢNH: Quang Hưng", "Tin, ảnh: Quang Hưng"])
def test_story_and_photos_by_one_person(line):
    byline = parse_byline_line(line)
    assert byline.authors == ["Quang Hưng"] and byline.photo_credits == ["Quang Hưng"]


def test_story_and_photos_by_different_people():
    byline = parse_byline_line("Bài: Minh Thùy; Ảnh: Quang Long")
    assert byline.authors == ["Minh Thùy"] and byline.photo_credits == ["Quang Long"]


@pytest.mark.parametrize("line", ["Minh Thùy - Quang Long", "Minh Thùy – Quang Long", "Minh Thùy và Quang Long",
                                  "Minh Thùy, Quang Long", "Bài: Minh Thùy - Quang Long"])
def test_two_authors(line):
    assert parse_byline_line(line).authors == ["Minh Thùy", "Quang Long"]


def test_author_with_agency():
    byline = parse_byline_line("Hoàng Châu (TTXVN)")
    assert byline.authors == ["Hoàng Châu"] and byline.source == "TTXVN"
    assert parse_byline_line("Hoàng Châu/TTXVN").source == "TTXVN"


@pytest.mark.parametrize("line,source", [("Theo VOV", "VOV"), ("Theo Báo Nhân Dân", "Báo Nhân Dân"),
                                         ("(Theo TTXVN)", "TTXVN"), ("Nguồn: baochinhphu.vn", "baochinhphu.vn"),
                                         ("Theo Vietnam+", "Vietnam+"), ("Theo Báo Chính phủ", "Báo Chính phủ"),
                                         ("Theo Đài PT-TH Điện Biên", "Đài PT-TH Điện Biên")])
def test_republished(line, source):
    byline = parse_byline_line(line)
    assert byline.authors == [] and byline.source == source


def test_republished_with_a_named_author():
    byline = parse_byline_line("Theo Hoàng Anh (VOV)")
    assert byline.authors == ["Hoàng Anh"] and byline.source == "VOV"


@pytest.mark.parametrize("line", [
    "Theo báo cáo của UBND tỉnh, năm nay sản lượng tăng.",
    "Theo Báo cáo của UBND tỉnh",
    "Phấn đấu xây dựng Đảng bộ Khối trong sạch vững mạnh.",
    "Nâng cao chất lượng đội ngũ cán bộ",
    "Bình luận", "TIN KHÁC", "Trang chủ", "Báo Điện Biên Phủ", "",
])
def test_body_text_and_furniture_are_not_bylines(line):
    assert parse_byline_line(line) is None


def test_names():
    assert looks_like_name("Lỳ Lỳ Xá") and looks_like_name("Q.Hưng") and looks_like_name("PV")
    assert not looks_like_name("Đồng chí Lỳ Lỳ Xá") and not looks_like_name("năm 2020")
    assert not looks_like_name("ĐỌC NHIỀU", allow_caps=False)


@pytest.mark.parametrize("caption,expected", [
    ("Ðồng chí Lỳ Lỳ Xá chủ trì Hội nghị. Ảnh: Minh Thùy", ("Đồng chí Lỳ Lỳ Xá chủ trì Hội nghị.", "Minh Thùy")),
    ("Cảnh Mường Phăng (Ảnh: TTXVN)", ("Cảnh Mường Phăng", "TTXVN")),
    ("Cảnh Mường Phăng - Ảnh: Quang Hưng", ("Cảnh Mường Phăng", "Quang Hưng")),
    ("Lễ ra quân! Ảnh: Minh Thùy - Quang Long.", ("Lễ ra quân!", "Minh Thùy - Quang Long")),
    ("Ảnh minh họa", ("Ảnh minh họa", None)),
    ("Ảnh: Minh Thùy", (None, "Minh Thùy")),
    ("Người dân chụp ảnh lưu niệm.", ("Người dân chụp ảnh lưu niệm.", None)),
])
def test_caption_credit(caption, expected):
    assert split_caption_credit(caption) == expected


def test_credit_lines():
    assert photo_credit_line("Ảnh: Thanh Bình") == "Thanh Bình"
    assert photo_credit_line("(Ảnh: TTXVN)") == "TTXVN"
    assert photo_credit_line("Các đại biểu dự hội nghị. Ảnh: X") is None


@pytest.mark.parametrize("line,authors,source", [
    ("Hoàng Minh (tổng hợp)", ["Hoàng Minh"], None),
    ("Thu Hằng (t/h)", ["Thu Hằng"], None),
    ("Đức Anh (CTV)", ["Đức Anh"], None),  # a collaborator, not an agency
    ("Thanh Hà (Tổng hợp từ Báo Nhân Dân)", ["Thanh Hà"], None),
    ("Mai Anh/VOV-Tây Bắc", ["Mai Anh"], "VOV-Tây Bắc"),
    ("Mai Anh/TTXVN", ["Mai Anh"], "TTXVN"),
    ("Tác giả: Thanh Hà", ["Thanh Hà"], None),
    ("Phóng viên: Vân Anh", ["Vân Anh"], None),
])
def test_bylines_with_notes_offices_and_labels(line, authors, source):
    byline = parse_byline_line(line)
    assert (byline.authors, byline.source) == (authors, source)


@pytest.mark.parametrize("organisation", ["Trường THPT Mường Nhé", "Sở Y Tế Điện Biên", "Bệnh Viện Đa Khoa Tỉnh"])
def test_an_organisation_is_no_name(organisation):
    assert not looks_like_name(organisation) and parse_byline_line(organisation) is None


@pytest.mark.parametrize("line", ["Từ khóa: du lịch, nghỉ lễ", "Tags: du lịch", "Biên tập: Minh Anh"])
def test_a_labelled_line_under_a_byline_is_no_role(line):
    assert not is_role_line(line)


@pytest.mark.parametrize("line,authors,role,source", [
    ("Bài: Phạm Quang (Văn phòng Tỉnh ủy)", ["Phạm Quang"], "Văn phòng Tỉnh ủy", None),
    ("Bài: Lan Phương (TTXVN)", ["Lan Phương"], None, "TTXVN"),
])
def test_a_label_over_a_credited_name(line, authors, role, source):
    byline = parse_byline_line(line)
    assert (byline.authors, byline.role, byline.source) == (authors, role, source)
    assert is_prefixed_byline(line)


@pytest.mark.parametrize("line,is_byline", [
    ("Ngọc Anh (thực hiện)", True), ("Thu Hằng, Quang Long (tổng hợp)", True),
    ("Phạm Quang (Văn phòng Tỉnh ủy)", False),  # a unit says where the author works, not that this line is one
    ("Mường Nhé (Điện Biên)", False),
    ("Lò Văn Cậy (dịch)", False), ("Mai Lan (ghi)", False),  # under a quoted verse or letter: its credit
])
def test_a_note_after_the_names_makes_a_byline_by_its_label(line, is_byline):
    assert is_prefixed_byline(line) is is_byline


@pytest.mark.parametrize("line,source", [
    ("Nguồn: Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Theo Sở Y tế tỉnh Điện Biên", "Sở Y tế tỉnh Điện Biên"),
    ("Theo Sở Y tế, toàn tỉnh có 30 ca mắc mới", None),  # a sentence that starts so
])
def test_an_office_named_as_the_source(line, source):
    byline = parse_byline_line(line)
    assert (byline.source if byline else None) == source


def test_a_portals_block_of_labelled_fields():
    # The writer over the one who posted it for the portal; the source as labelled.
    lines = ["Tác giả: Hoàng Minh Đức", "Nguồn: Sở Nông nghiệp và Môi trường", "Biên tập: Lò Văn Hải",
             "Người đăng: Nông Thị Hà"]
    assert all(is_field_line(line) for line in lines)
    byline = parse_field_block(lines)
    assert (byline.authors, byline.source) == (["Hoàng Minh Đức"], "Sở Nông nghiệp và Môi trường")
    assert parse_field_block(["Người đăng: Nông Thị Hà", "Biên tập: Lò Văn Hải"]).authors == ["Nông Thị Hà"]
    assert not is_field_line("Nguồn nước sạch đã về tới bản")


@pytest.mark.parametrize("line,authors", [
    ("Nhóm phóng viên Chính trị", ["Nhóm phóng viên Chính trị"]), ("Nhóm PV Thời sự", ["Nhóm PV Thời sự"]),
    ("Nhóm phóng viên: Thu Hà, Minh Anh", ["Thu Hà", "Minh Anh"]),  # the label over the team's names
])
def test_a_team_credited_as_the_author(line, authors):
    assert parse_byline_line(line).authors == authors


@pytest.mark.parametrize("line", ["Nhóm phóng viên đã có mặt tại hiện trường", "Người đăng: Admin", "Facebook X",
                                  "Quản trị viên"])
def test_a_sentence_an_account_or_share_buttons_are_no_byline(line):
    byline = parse_byline_line(line)
    assert byline is None or not byline.authors
