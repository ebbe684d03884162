"""Property tests for the date and view-count normalisers, and examples of the site's forms."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from crawler.parsing.counts import find_view_count, parse_count
from crawler.parsing.dates import SITE_TZ, find_datetime, find_datetimes, parse_iso_datetime

WEEKDAY_SPELLINGS = {
    1: ["Thứ Hai", "Thứ hai", "Thứ 2", "T2"], 2: ["Thứ Ba", "Thứ 3", "T3"], 3: ["Thứ Tư", "Thứ 4", "T4"],
    4: ["Thứ Năm", "Thứ 5", "T5"], 5: ["Thứ Sáu", "Thứ 6", "T6"], 6: ["Thứ Bảy", "Thứ 7", "T7"],
    7: ["Chủ nhật", "Chủ Nhật", "CN"],
}
# Every arrangement seen on Vietnamese papers: {t} time, {w} weekday, {d} date.
ARRANGEMENTS = [
    "{t} - {w}, {d}", "{w}, {d} | {t}", "{d} {t} (GMT+7)", "{w}, {d}, {t}", "{w}, {d} - {t}",
    "{t} {d}", "{d} - {t}", "{w} {d} {t}", "Cập nhật lúc {t} ngày {d}", "{t}, {w}, {d} (GMT+7)",
    "{d}, {t} GMT+07:00", "{w}, ngày {d}, {t}",
]
DATE_FORMS = ["{day:02d}/{month:02d}/{year}", "{day}/{month}/{year}", "{day:02d}-{month:02d}-{year}",
              "{day:02d}.{month:02d}.{year}"]
TIME_FORMS = ["{hour:02d}:{minute:02d}", "{hour}:{minute:02d}", "{hour:02d}h{minute:02d}"]

site_datetimes = st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2060, 12, 31)).map(
    lambda dt: dt.replace(second=0, microsecond=0)
)


def render(moment: datetime, arrangement: str, date_form: str, time_form: str, weekday: str) -> str:
    fields = dict(day=moment.day, month=moment.month, year=moment.year, hour=moment.hour, minute=moment.minute)
    return arrangement.format(t=time_form.format(**fields), w=weekday, d=date_form.format(**fields))


@settings(max_examples=300, deadline=None)
@given(site_datetimes, st.sampled_from(ARRANGEMENTS), st.sampled_from(DATE_FORMS), st.sampled_from(TIME_FORMS),
       st.data())
def test_any_rendering_parses_back_exactly(moment, arrangement, date_form, time_form, data):
    weekday = data.draw(st.sampled_from(WEEKDAY_SPELLINGS[moment.isoweekday()]))
    text = render(moment, arrangement, date_form, time_form, weekday)
    found = find_datetime(text)
    assert found is not None, text
    assert found.value == moment.replace(tzinfo=SITE_TZ), text
    assert found.value.utcoffset() == timedelta(hours=7)
    assert found.warnings == (), text
    if "{w}" in arrangement:
        assert weekday in found.raw, text


@settings(max_examples=200, deadline=None)
@given(site_datetimes, st.sampled_from([a for a in ARRANGEMENTS if "{w}" in a]), st.integers(1, 6), st.data())
def test_wrong_weekday_warns_and_the_digits_win(moment, arrangement, shift, data):
    wrong_day = (moment.isoweekday() - 1 + shift) % 7 + 1
    weekday = data.draw(st.sampled_from(WEEKDAY_SPELLINGS[wrong_day]))
    text = render(moment, arrangement, DATE_FORMS[0], TIME_FORMS[0], weekday)
    found = find_datetime(text)
    assert found is not None and found.value == moment.replace(tzinfo=SITE_TZ)
    assert len(found.warnings) == 1 and "disagrees" in found.warnings[0]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_garbage_gives_none_or_a_valid_date_never_an_exception(text):
    found = find_datetime(text)
    assert found is None or found.value.tzinfo is not None


@given(st.text(alphabet="0123456789/.-: ThứCNGMT+()", max_size=40))
def test_digit_soup_never_raises(text):
    find_datetime(text)


def test_the_sites_own_examples():
    cases = {
        "08:33 - Thứ Hai, 17/08/2020": datetime(2020, 8, 17, 8, 33),
        "Thứ 2, 17/08/2020 | 08:33": datetime(2020, 8, 17, 8, 33),
        "17/08/2020 08:33 (GMT+7)": datetime(2020, 8, 17, 8, 33),
        "Chủ nhật, 05/01/2025, 14:05": datetime(2025, 1, 5, 14, 5),
        "ngày 17 tháng 8 năm 2020": datetime(2020, 8, 17),
    }
    for text, expected in cases.items():
        found = find_datetime(text)
        assert found.value == expected.replace(tzinfo=SITE_TZ), text
        assert found.raw == text
    assert find_datetime("08:33 - Thứ Hai, 17/08/2020 Lượt xem: 5717").raw == "08:33 - Thứ Hai, 17/08/2020"


def test_gmt_offsets_keep_their_sign():
    # dateutil reads `GMT+7` the POSIX way (UTC−7); a reader means UTC+7.
    assert find_datetime("17/08/2020 08:33 (GMT+7)").value == datetime(2020, 8, 17, 1, 33, tzinfo=timezone.utc)
    assert find_datetime("17/08/2020 08:33 GMT+0").value == datetime(2020, 8, 17, 8, 33, tzinfo=timezone.utc)


def test_invalid_dates_are_none():
    for text in ("31/02/2020 08:33", "00/13/2020", "99/99/9999", "Thứ Hai", "", "08:33", "Lượt xem: 5717"):
        assert find_datetime(text) is None, text


def test_metadata_timestamps():
    assert parse_iso_datetime("2020-08-17T08:33:00+07:00") == datetime(2020, 8, 17, 8, 33, tzinfo=SITE_TZ)
    assert parse_iso_datetime("2020-08-17T01:33:00Z") == datetime(2020, 8, 17, 8, 33, tzinfo=SITE_TZ)
    assert parse_iso_datetime("2020-08-17 08:33") == datetime(2020, 8, 17, 8, 33, tzinfo=SITE_TZ)
    assert parse_iso_datetime("2020-08-17") == datetime(2020, 8, 17, tzinfo=SITE_TZ)
    assert parse_iso_datetime("17/08/2020 08:33") == datetime(2020, 8, 17, 8, 33, tzinfo=SITE_TZ)
    assert parse_iso_datetime("not a date") is None and parse_iso_datetime(None) is None


# -- view counts -------------------------------------------------------------------------------


def grouped(value: int, separator: str) -> str:
    return f"{value:,}".replace(",", separator)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([".", ",", " ", "\u00a0", ""]))
def test_any_int_with_any_grouping_parses_back(value, separator):
    assert parse_count(grouped(value, separator)) == value


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([".", ","]), st.sampled_from(["Lượt xem: {}", "Lượt xem {}", "{} lượt xem", "Lượt đọc: {}", "Views: {}"]))
def test_counts_are_found_beside_their_label(value, separator, form):
    found = find_view_count("08:33 - Thứ Hai, 17/08/2020 " + form.format(grouped(value, separator)) + " In bài viết")
    assert found is not None and found.value == value


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9),
       st.sampled_from([("N", 1000), ("K", 1000), ("k", 1000), ("nghìn", 1000), ("Tr", 10**6), ("M", 10**6), ("triệu", 10**6)]),
       st.sampled_from([",", "."]), st.sampled_from(["", " "]))
def test_short_forms(whole, tenth, unit, mark, space):
    suffix, factor = unit
    assert parse_count(f"{whole}{mark}{tenth}{space}{suffix}") == (whole * 10 + tenth) * factor // 10
    assert parse_count(f"{whole}{space}{suffix}") == whole * factor


def test_count_examples():
    assert [parse_count(t) for t in ("5717", "5.717", "5,717", "3,8 N", "12K", "1,2 Tr")] == [
        5717, 5717, 5717, 3800, 12000, 1200000]
    assert parse_count("5,7") is None and parse_count("abc") is None and parse_count("") is None
    assert find_view_count("17/08/2020 Lượt xem:") is None
    assert find_view_count("Lượt xem: 5.717 In bài viết").raw == "5.717"



@pytest.mark.parametrize("stamp", [
    "2020-08-17T08:33:00+07:00", "2020-08-17T01:33:00Z", "20200817T083300+0700", "2020-08-17T08:33:00.000+07:00",
    "Mon, 17 Aug 2020 08:33:00 +0700", "17 Aug 2020 01:33:00 GMT",  # RFC 2822, as feeds write it
])
def test_machine_readable_timestamps_in_every_form(stamp):
    from crawler.parsing.dates import parse_iso_datetime

    assert parse_iso_datetime(stamp).replace(microsecond=0).isoformat() == "2020-08-17T08:33:00+07:00"


@pytest.mark.parametrize("text,expected", [
    ("05/09/2024 3:15 chiều", (15, 15)), ("9:15 tối 05/09/2024", (21, 15)), ("7:00 sáng 05/09/2024", (7, 0)),
    ("12:30 trưa 05/09/2024", (12, 30)), ("1:15 trưa 05/09/2024", (13, 15)), ("15 giờ 15 ngày 5/9/2024", (15, 15)),
    ("15g15 ngày 5/9/2024", (15, 15)), ("2024-09-05 15:15", (15, 15)), ("02:05 CH 05/09/2024", (14, 5)),
    ("12:10 SA 05/09/2024", (0, 10)),
])
def test_clock_words_and_year_first_dates(text, expected):
    found = find_datetime(text)
    assert (found.value.year, found.value.month, found.value.day) == (2024, 9, 5)
    assert (found.value.hour, found.value.minute) == expected


@pytest.mark.parametrize("text,expected", [
    ("Thursday, September 5, 2024 3:15 PM", (15, 15)), ("Sept. 5th, 2024 at 9:15 AM", (9, 15)),
    ("5 Sep 2024, 14:05", (14, 5)), ("Posted on September 05, 2024", (0, 0)),
    ("5 thg 9, 2024 lúc 20:15", (20, 15)), ("Thứ Năm, 5 Thg 9 2024", (0, 0)),
])
def test_english_and_short_worded_dates(text, expected):
    found = find_datetime(text)
    assert (found.value.year, found.value.month, found.value.day) == (2024, 9, 5)
    assert (found.value.hour, found.value.minute) == expected
    assert not found.warnings  # 5 September 2024 was a Thursday


def test_an_english_weekday_that_disagrees_warns():
    assert find_datetime("Monday, September 5, 2024").warnings


def test_may_is_a_vietnamese_word_too():
    # `Tổng Công ty May 10` is a garment company: `May` is a month beside an English weekday or AM/PM.
    assert find_datetime("Tổng Công ty May 10, 2024 đạt doanh thu 500 tỷ đồng") is None
    assert find_datetime("Xí nghiệp may 3 2024") is None
    assert find_datetime("Thursday, May 9, 2024 8:00 AM").value.isoformat() == "2024-05-09T08:00:00+07:00"


def test_dates_come_in_the_order_they_are_written():
    found = find_datetimes("Jul 5, 2024 | Bài: Ngọc Hà | Cập nhật 06/07/2024 08:00")
    assert [date.value.day for date in found] == [5, 6]


def test_a_clock_after_the_update_label_is_the_update_s():
    # The update's clock stands nearer the first date than the first's own: the label parts them.
    found = find_datetimes("16:09 | Wednesday, November 1, 2023 | Cập nhật: 00:10 | Saturday, November 1, 2025")
    assert [date.value.isoformat() for date in found] == ["2023-11-01T16:09:00+07:00", "2025-11-01T00:10:00+07:00"]


@pytest.mark.parametrize("text,expected", [
    ("Đăng ngày 28 Tháng Mười Một, 2026 trong Văn hóa", (2026, 11, 28, 0, 0)),
    ("Tháng Mười Một 28, 2026 lúc 14:20", (2026, 11, 28, 14, 20)),
    ("ngày 5 tháng Năm 2026", (2026, 5, 5, 0, 0)),
    ("2 Tháng Mười, 2026 3:15 CH", (2026, 10, 2, 15, 15)),
    ("1 tháng Giêng, 2026", (2026, 1, 1, 0, 0)),
    ("12 Tháng Mười Hai, 2025", (2025, 12, 12, 0, 0)),
])
def test_months_in_words(text, expected):
    # A localised theme's dates (WordPress's `vi`): `Mười Một` is November, not October and a one.
    value = find_datetime(text).value
    assert (value.year, value.month, value.day, value.hour, value.minute) == expected


def test_a_number_after_the_label_that_counts_something_else():
    # `37 lượt xem 0 bình luận`: the count before the label, where the one after it counts comments.
    assert find_view_count("37 lượt xem 0 bình luận").value == 37
    assert find_view_count("37 lượt xem0 bình luận").value == 37
    assert find_view_count("Lượt xem: 532 lần").value == 532  # a word after, no number before: still it
    assert find_view_count("Lượt xem 1.234 | 5 bình luận").value == 1234
    # A button after the count is no noun of another count; a clock's minutes are no count before it.
    assert find_view_count("28/11/2026 08:30 Bình luận: 0 Lượt xem: 1.234 Chia sẻ").value == 1234
    assert find_view_count("Thứ Bảy, 28/11/2026 08h30 Lượt xem: 1.234 In bài").value == 1234
    assert find_view_count("28/11/2026 - 15 giờ 15 Lượt xem: 1.234 Chia sẻ").value == 1234
    assert find_view_count("Lượt thích 12 Lượt xem 345 Bình luận").value == 345


@pytest.mark.parametrize("text", ["Triển khai nhiệm vụ trọng tâm 9 tháng năm 2022", "6 tháng đầu năm 2026",
                                  "KẾT QUẢ 9 THÁNG NĂM 2022", "sau 3 tháng hai 2026 đợt"])
def test_months_counted_in_a_sentence_are_no_date(text):
    # `9 tháng năm 2022` is "nine months of 2022": a month's name is capitalised (layout seed
    # 82690627 drew it in a breadcrumb's title, which then read as a date and no trail).
    assert find_datetime(text) is None


@pytest.mark.parametrize("text,expected", [
    ("Ngày đăng: 26/11/26 09:12", (2026, 11, 26, 9, 12)),  # a commune portal's Joomla
    ("09:12 - 26/11/26", (2026, 11, 26, 9, 12)),
    ("Lượt xem: 412 | 5/12/25 8h30", (2025, 12, 5, 8, 30)),
])
def test_a_two_digit_year_beside_a_clock(text, expected):
    value = find_datetime(text).value
    assert (value.year, value.month, value.day, value.hour, value.minute) == expected


@pytest.mark.parametrize("text", [
    "26/11/26", "tỷ lệ 1/2/3 số hộ", "đạt 10/12/15 chỉ tiêu, 14:00 họp",
    "Tỷ số các ván: 11-9-11 lúc 15:30", "Phiên bản 2.1.25 lúc 09:00",  # a score, a version
    "Số nhà 12/3/45 - 22:15", "11h30, 30/4/75",  # a house number, history: years to come, which no page is dated
])
def test_three_numbers_that_are_no_two_digit_year_date(text):
    assert find_datetime(text) is None


@pytest.mark.parametrize("fragment,count", [
    ('<div><i class="fa fa-eye"></i> 2.468</div>', 2468),
    ('<div><img src="/images/icon-view.png"> 667</div>', 667),
    ('<div><span class="review-stars"></span> 5 sao</div>', None),  # (`review` holds `view`: no eye)
    ('<div><img src="/uploads/interview-anh.jpg"> 2024 là năm</div>', None),
    ('<div><i class="fa fa-comment"></i> 12</div>', None),
])
def test_a_counter_by_its_icon(fragment, count):
    from lxml import html

    from crawler.parsing.counts import count_by_icon

    block = html.fromstring(fragment)
    found = count_by_icon(block, block.text_content())
    assert (found.value if found else None) == count
