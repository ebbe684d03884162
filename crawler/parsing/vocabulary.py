"""The label words of `vocabulary.toml`, loaded once and normalised for matching.

Code never spells a Vietnamese label itself: it asks this module, so a new spelling seen on the
site is one line in the TOML file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from crawler.parsing.text import fold, normalize


def _folded(words: list[str]) -> frozenset[str]:
    return frozenset(fold(word) for word in words)


def _longest_first(words: list[str]) -> tuple[str, ...]:
    """Normalised words, longest first, so regex alternations prefer `Bài, ảnh` over `Bài`."""
    return tuple(sorted({normalize(word) for word in words}, key=len, reverse=True))


@dataclass(frozen=True)
class Vocabulary:
    site_names: frozenset[str]
    title_separators: tuple[str, ...]
    lead_marks: tuple[str, ...]
    outlet_marks: tuple[str, ...]
    view_labels: tuple[str, ...]
    view_icons: tuple[str, ...]
    updated_labels: tuple[str, ...]
    date_labels: tuple[str, ...]
    meta_words: tuple[str, ...]
    reading_time: tuple[str, ...]  # patterns, `{minutes}` for the number
    relative_times: tuple[str, ...]  # patterns, `{n}` for the number
    print_words: frozenset[str]
    page_address: tuple[str, ...]
    share_words: frozenset[str]
    comment_headings: frozenset[str]
    related_headings: frozenset[str]
    feed_headings: frozenset[str]
    tag_labels: frozenset[str]
    category_labels: frozenset[str]
    section_intros: frozenset[str]  # category labels and the words that introduce a section's link
    home_words: frozenset[str]
    more_links: frozenset[str]
    navigation: tuple[str, ...]
    error_phrases: tuple[str, ...]
    footer_phrases: tuple[str, ...]
    search_phrases: tuple[str, ...]
    search_paths: tuple[str, ...]
    search_query_keys: frozenset[str]
    not_section_paths: frozenset[str]
    article_folders: frozenset[str]
    story_and_photo_prefixes: tuple[str, ...]
    story_prefixes: tuple[str, ...]
    photo_prefixes: tuple[str, ...]
    republished_prefixes: tuple[str, ...]
    editor_labels: tuple[str, ...]
    posted_by: tuple[str, ...]
    agencies: tuple[str, ...]
    outlet_words: tuple[str, ...]
    not_outlets: tuple[str, ...]
    role_words: tuple[str, ...]
    name_ranks: tuple[str, ...]
    organisations: frozenset[str]
    accounts: frozenset[str]
    teams: tuple[str, ...]
    compiled_notes: frozenset[str]
    credit_notes: frozenset[str]
    weekdays: dict[str, int]  # folded spelling -> ISO weekday
    months: dict[str, int]  # folded English month name -> month number
    month_words: dict[str, int]  # folded Vietnamese month word (`mười một`) -> month number
    site_timezone: str
    count_multipliers: dict[str, int]  # folded suffix -> multiplier

    @property
    def chrome_words(self) -> frozenset[str]:
        """Whole-line texts that are page furniture wherever they appear."""
        return self.print_words | self.share_words

    @property
    def end_headings(self) -> frozenset[str]:
        """Headings after which the article is over: comments, other news, feeds, tags, its section's label."""
        return self.comment_headings | self.related_headings | self.feed_headings | self.tag_labels | self.category_labels


def _load() -> Vocabulary:
    raw = tomllib.loads(resources.files(__package__).joinpath("vocabulary.toml").read_text("utf-8"))
    labels, byline, pages = raw["labels"], raw["byline"], raw["pages"]
    return Vocabulary(
        site_names=_folded(raw["site"]["names"]),
        title_separators=tuple(raw["site"]["title_separators"]),
        lead_marks=_longest_first(raw["site"]["lead_marks"]),
        outlet_marks=_longest_first(raw["site"]["outlet_marks"]),
        view_labels=_longest_first(labels["views"]),
        view_icons=tuple(labels["view_icons"]),
        updated_labels=_longest_first(labels["updated"]),
        date_labels=_longest_first(labels["dates"]),
        meta_words=_longest_first(labels["print"] + labels["share"] + labels["meta_words"]),
        reading_time=_longest_first(labels["reading_time"]),
        relative_times=_longest_first(labels["relative_times"]),
        print_words=_folded(labels["print"] + labels["print_alone"]),
        page_address=_longest_first(labels["page_address"]),
        share_words=_folded(labels["share"] + labels["ads"]),
        comment_headings=_folded(labels["comments"]),
        related_headings=_folded(labels["related"]),
        feed_headings=_folded(labels["feeds"]),
        tag_labels=_folded(labels["tags"]),
        category_labels=_folded(labels["category"]),
        section_intros=_folded(labels["category"] + labels["section_intros"]),
        home_words=_folded(labels["home"]),
        more_links=_folded(labels["more_links"]),
        navigation=_longest_first(labels["navigation"]),
        error_phrases=tuple(fold(p) for p in pages["error"]),
        footer_phrases=tuple(fold(p) for p in pages["footer"]),
        search_phrases=tuple(fold(p) for p in pages["search"]),
        search_paths=tuple(pages["search_paths"]),
        search_query_keys=frozenset(pages["search_query_keys"]),
        not_section_paths=frozenset(pages["not_section_paths"]),
        article_folders=frozenset(pages["article_folders"]),
        story_and_photo_prefixes=_longest_first(byline["story_and_photo"]),
        story_prefixes=_longest_first(byline["story"]),
        photo_prefixes=_longest_first(byline["photo"]),
        republished_prefixes=_longest_first(byline["republished"]),
        editor_labels=_longest_first(byline["editor"]),
        posted_by=_longest_first(byline["posted_by"]),
        agencies=_longest_first(byline["agencies"]),
        outlet_words=_longest_first(byline["outlet_words"]),
        not_outlets=_longest_first(byline["not_outlets"]),
        role_words=_longest_first(byline["role_words"]),
        name_ranks=_longest_first(byline["name_ranks"]),
        organisations=_folded(byline["organisations"]),
        accounts=_folded(byline["accounts"]),
        teams=_longest_first(byline["teams"]),
        compiled_notes=_folded(byline["compiled"]),
        credit_notes=_folded(byline["credit_notes"]),
        weekdays={fold(name): int(day) for day, names in raw["dates"]["weekdays"].items() for name in names},
        months={fold(name): int(month) for month, names in raw["dates"]["months"].items() for name in names},
        month_words={fold(name): int(month) for month, names in raw["dates"]["month_words"].items() for name in names},
        site_timezone=raw["dates"]["site_timezone"],
        count_multipliers={
            fold(suffix): int(factor)
            for factor, suffixes in raw["counts"]["multipliers"].items()
            for suffix in suffixes
        },
    )


VOCABULARY = _load()
