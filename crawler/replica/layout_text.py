"""How a drawn layout writes the article's dates, clocks, view counter and byline: the text forms a
reader meets on Vietnamese news sites, as data where they are formats."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from crawler.replica.chrome import attr, esc
from crawler.replica.spec import Byline
from crawler.replica.vietnamese import WEEKDAYS_LONG, WEEKDAYS_LONG_CAPITALISED, WEEKDAYS_NUMBERED

if TYPE_CHECKING:
    from crawler.replica.layouts import Layout


def date_text(layout: Layout, moment: datetime, label: str | None = None, permalink: str = "") -> str:
    """The date as the layout writes it: its day, clock, weekday, label and element."""
    day = {"dd/mm/yyyy": f"{moment:%d/%m/%Y}", "d/m/yyyy": f"{moment.day}/{moment.month}/{moment.year}",
           "dd-mm-yyyy": f"{moment:%d-%m-%Y}", "dd.mm.yyyy": f"{moment:%d.%m.%Y}",
           "worded": f"ngày {moment.day} tháng {moment.month} năm {moment.year}",
           "yyyy-mm-dd": f"{moment:%Y-%m-%d}",
           "english": f"{_ENGLISH_MONTHS[moment.month - 1]} {moment.day}, {moment.year}",
           "thg": f"{moment.day} thg {moment.month}, {moment.year}"}[layout.date_form]
    english = layout.date_form == "english" and layout.month_in_words == "none"
    if writes_short_year(layout):
        day = day[:-4] + day[-2:]  # `26/11/2026` -> `26/11/26`
    if layout.month_in_words == "day_first":
        day = f"{moment.day} {_MONTH_WORDS[moment.month - 1]}, {moment.year}"
    elif layout.month_in_words == "month_first":
        day = f"{_MONTH_WORDS[moment.month - 1]} {moment.day}, {moment.year}"
    clock = _clock(moment, layout.clock) if layout.clock_shown else ""
    if layout.weekday != "none" or english:
        # (An English date always with its weekday: `May 9, 2024` alone reads as Vietnamese `may`.)
        names = _ENGLISH_WEEKDAYS if english else {
            "long": WEEKDAYS_LONG, "numbered": WEEKDAYS_NUMBERED,
            "capitalised": WEEKDAYS_LONG_CAPITALISED}[layout.weekday]
        day = f"{weekday(names, moment)}, {day}"
    label = label or (None if layout.date_label == "none" else layout.date_label)
    if layout.meta_element == "split_spans":
        # Every piece in an element of its own: `<span>10:15</span> | <b>Thứ Tư</b>, <span>06/11/2024</span>`.
        day = esc(day)
        if layout.weekday != "none":
            shown_weekday, _, rest = day.partition(", ")
            day = f"<b>{shown_weekday}</b>, <span>{rest}</span>"
        else:
            day = f"<span>{day}</span>"
        text = day if not clock else f"<span>{clock}</span> | {day}" if layout.date_order == "time_first" \
            else f"{day} <span>{clock}</span>"
    else:
        text = esc(day if not clock else f"{clock} - {day}" if layout.date_order == "time_first" else f"{day} {clock}")
    if layout.gmt:
        text += " (GMT+7)"
    if layout.time_element:
        stamp = moment.date().isoformat() if layout.time_element_day else moment.isoformat()
        text = f'<abbr class="published" title="{stamp}">{text}</abbr>' if layout.time_markup == "abbr" \
            else f'<time datetime="{stamp}">{text}</time>'
    if layout.date_link:
        text = f'<a href="{attr(permalink)}" rel="bookmark">{text}</a>'  # WordPress's `posted-on`
    return f"{esc(label)} {text}" if label else text


def writes_short_year(layout: Layout) -> bool:
    """`26/11/26 09:12`: a day-first date between slashes, its clock beside it (no weekday between)."""
    return layout.short_year and layout.date_form in ("dd/mm/yyyy", "d/m/yyyy") and layout.clock_shown \
        and layout.month_in_words == "none" and layout.weekday == "none"


def counter_text(layout: Layout, views: tuple[str, ...]) -> str | None:
    """The view counter as the layout writes it (`views`: the counts shown, the article's first)."""
    if not views:
        return None
    return _COUNTER_FORMS[layout.counter_form].format(count=esc(views[0]))


def byline_lines(layout: Layout, byline: Byline) -> list[str]:
    """The byline as printed, in the spec's wording or a variant a reader meets as often."""
    lines = list(byline.lines)
    if layout.byline_wording == "as_written":
        return lines
    form = byline.form
    if form == "name":
        return [f"Bài: {lines[0]}"]
    if form == "name_role":
        return [f"{lines[0]}, {lines[1]}"]
    if form == "text_photo":
        name = byline.authors[0]
        return [f"Bài và ảnh: {name}" if lines[0].startswith("Bài, ảnh") else f"Bài, ảnh: {name}"]
    if form == "two_authors":
        return [" và ".join(byline.authors)]
    if form == "agency":
        return [f"{byline.authors[0]}/{byline.source}"]
    return [f"Nguồn: {byline.source}"]


_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")
_MONTH_WORDS = ("Tháng Một", "Tháng Hai", "Tháng Ba", "Tháng Tư", "Tháng Năm", "Tháng Sáu", "Tháng Bảy",
                "Tháng Tám", "Tháng Chín", "Tháng Mười", "Tháng Mười Một", "Tháng Mười Hai")
_ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday(names: tuple[str, ...], moment: datetime) -> str:
    return names[moment.weekday()]


# Each clock form as a format over the moment's fields (data, like the other forms).
_CLOCK_FORMS = {
    "24": "{hour:02d}:{minute:02d}", "24s": "{hour:02d}:{minute:02d}:{second:02d}",
    "12_sa_ch": "{twelve}:{minute:02d} {sa_ch}", "12_am_pm": "{twelve}:{minute:02d} {am_pm}",
    "12_sa_ch_s": "{twelve}:{minute:02d}:{second:02d} {sa_ch}", "24h_letter": "{hour:02d}h{minute:02d}",
    "12_words": "{twelve}:{minute:02d} {half}", "gio": "{hour} giờ {minute:02d}",
}
_COUNTER_FORMS = {
    "label_colon": "Lượt xem: {count}", "label_after": "{count} lượt xem",
    "sibling": "<span>Lượt xem:</span> <span>{count}</span>",
    "icon_label": '<img src="/images/eye.png" width="12" alt=""> {count} lượt đọc',
    # an eye and the number, no word: the icon is the label (a font's glyph, or a small image)
    "icon_only": '<i class="fa fa-eye" aria-hidden="true"></i> {count}',
    "icon_image": '<img src="/images/icon-view.png" width="14" height="14" alt=""> {count}',
}


def _clock(moment: datetime, form: str) -> str:
    hour = moment.hour
    return _CLOCK_FORMS[form].format(
        hour=hour, minute=moment.minute, second=moment.second, twelve=hour % 12 or 12,
        sa_ch="SA" if hour < 12 else "CH", am_pm="AM" if hour < 12 else "PM",
        half="sáng" if hour < 12 else "chiều" if hour < 18 else "tối")

