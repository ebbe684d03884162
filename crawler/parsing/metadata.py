"""What a page says about itself outside the visible text: <meta>, og:, article:, JSON-LD, <title>.

These are hints the visible-text readers cross-check against, never the only source: the old
generation of the site has little metadata, and a sidebar's JSON-LD could describe another page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree

from crawler.parsing.text import fold, normalize
from crawler.parsing.vocabulary import VOCABULARY

# The head's children are read in Python (one cheap step, where a `//meta` walk over the whole
# document costs tens of microseconds); JSON-LD is also looked for in the body, where CMSs often put it
# (found by lxml's `iter`, a third cheaper than the XPath `/html/body//script[@type]`).
_HEAD_CHILDREN = etree.XPath("/html/head/*")
_TITLE = etree.XPath("string(//title)")
# Microdata's dates in the body (`<meta itemprop="dateModified" content="…">`), where a page has no
# JSON-LD to say them: the article's own, whose nearest item is an Article (not a teaser's, a comment's).
_MICRODATA_DATES = etree.XPath(
    "/html/body//meta[@itemprop='datePublished' or @itemprop='dateModified'][@content]"
    "[ancestor::*[@itemscope][1][contains(@itemtype, 'Article') or contains(@itemtype, 'BlogPosting')]]")
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenews", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "report", "webpage"}
_CDATA = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[)|(?://\s*\]\]>|-->)\s*$")


@dataclass
class PageMetadata:
    title: str | None = None  # og:title / twitter:title
    html_title: str | None = None  # <title>
    description: str | None = None  # og:description / description
    page_type: str | None = None  # og:type
    section: str | None = None  # article:section / JSON-LD articleSection
    published: str | None = None  # raw timestamps, parsed by the caller
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    canonical: str | None = None
    headline: str | None = None  # JSON-LD headline
    site_name: str | None = None  # og:site_name: the site's name as it gives it
    breadcrumbs: list[tuple[str, str | None]] = field(default_factory=list)  # (name, url)


def read_metadata(doc) -> PageMetadata:
    meta = PageMetadata()
    values: dict[str, str] = {}
    scripts, canonical, html_title = [], None, None
    for element in _HEAD_CHILDREN(doc):
        tag = element.tag
        if tag == "meta":
            _record_meta(element, values)
        elif tag == "script" and _is_json_ld(element):
            scripts.append(element)
        elif tag == "link" and (element.get("rel") or "").strip().lower() == "canonical" and canonical is None:
            canonical = element.get("href")
        elif tag == "title" and html_title is None:
            html_title = element.text
    root = doc.getroottree().getroot()
    if root.tag == "html":
        scripts.extend(s for body in root.iterchildren("body") for s in body.iter("script") if _is_json_ld(s))
    if html_title is None:
        html_title = _TITLE(doc)
    _record_microdata_dates(doc, values)
    meta.title = normalize(values.get("og:title") or values.get("twitter:title")) or None
    meta.description = normalize(values.get("og:description") or values.get("description")
                                 or values.get("twitter:description")) or None
    meta.page_type = (values.get("og:type") or "").strip().lower() or None
    meta.site_name = normalize(values.get("og:site_name") or values.get("application-name")) or None
    meta.section = normalize(values.get("article:section")) or None
    meta.published = (values.get("article:published_time") or values.get("datepublished")
                      or values.get("pubdate") or values.get("publishdate") or values.get("dc.date.issued"))
    meta.modified = (values.get("article:modified_time") or values.get("datemodified")
                     or values.get("og:updated_time") or values.get("lastmod"))
    author = normalize(values.get("author") or values.get("article:author"))
    if author and not author.startswith("http") and fold(author) not in VOCABULARY.site_names:
        meta.authors = [author]  # (a CMS often names the paper itself: no author, and JSON-LD may know)
    meta.canonical = canonical.strip() if canonical else None
    meta.html_title = normalize(html_title) or None
    for script in scripts:
        for item in _json_ld_items(script.text or ""):
            _merge_json_ld(meta, item)
    return meta


_NEAREST_ITEM = etree.XPath("ancestor::*[@itemscope][1]")
_ARTICLE_ITEM_CHARS = 500  # text an article's own item holds at the least (a teaser's holds a title)


def _record_microdata_dates(doc, values: dict[str, str]) -> None:
    """The dates of the page's largest Article item, when it holds an article's worth of text: a
    teaser's item in a sidebar is typed Article too, and holds a title."""
    stated = _MICRODATA_DATES(doc)
    if not stated:
        return
    items = {}
    for element in stated:
        items.setdefault(_NEAREST_ITEM(element)[0], []).append(element)  # (an Article: the XPath asked)
    sizes = {item: len(item.xpath("string()")) for item in items}
    largest = max(items, key=sizes.get)
    if sizes[largest] >= _ARTICLE_ITEM_CHARS:
        for element in items[largest]:
            _record_meta(element, values)


def _is_json_ld(script) -> bool:
    return (script.get("type") or "").strip().lower() == "application/ld+json"


def _record_meta(element, values: dict[str, str]) -> None:
    content = element.get("content")
    if content is None:
        return
    key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
    if key and key not in values:
        values[key] = content


def _json_ld_items(script: str):
    """Every object in a JSON-LD script (lists and @graph flattened); broken JSON yields nothing."""
    try:
        data = json.loads(_CDATA.sub("", script.strip()), strict=False)
    except ValueError:
        return
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "@graph" in item:
                stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])
            yield item


def _types(item: dict) -> set[str]:
    kind = item.get("@type") or []
    return {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}


def _merge_json_ld(meta: PageMetadata, item: dict) -> None:
    kinds = _types(item)
    if "breadcrumblist" in kinds and not meta.breadcrumbs:
        meta.breadcrumbs = _breadcrumbs(item)
    if not kinds & _ARTICLE_TYPES:
        return
    if "webpage" in kinds and not item.get("headline"):
        return  # a bare WebPage describes the site, not the article
    meta.headline = meta.headline or normalize(_text(item.get("headline"))) or None
    meta.published = meta.published or _text(item.get("datePublished")) or None
    meta.modified = meta.modified or _text(item.get("dateModified")) or None
    section = item.get("articleSection")
    if isinstance(section, list):
        section = section[0] if section else None
    meta.section = meta.section or normalize(_text(section)) or None
    meta.description = meta.description or normalize(_text(item.get("description"))) or None
    if not meta.authors:
        meta.authors = _people(item.get("author"))
    if "newsarticle" in kinds or "article" in kinds or "reportagenews" in kinds:
        meta.page_type = meta.page_type or "article"


def _breadcrumbs(item: dict) -> list[tuple[str, str | None]]:
    elements = item.get("itemListElement") or []
    if not isinstance(elements, list):
        elements = [elements]
    crumbs = []
    for position, element in sorted(
        ((el.get("position", i) if isinstance(el, dict) else i, el) for i, el in enumerate(elements)),
        key=lambda pair: _as_number(pair[0]),
    ):
        if not isinstance(element, dict):
            continue
        thing = element.get("item")
        name = element.get("name") or (thing.get("name") if isinstance(thing, dict) else None)
        url = thing.get("@id") or thing.get("url") if isinstance(thing, dict) else thing
        if name:
            crumbs.append((normalize(_text(name)), url if isinstance(url, str) else None))
    return crumbs


def _people(value) -> list[str]:
    people = value if isinstance(value, list) else [value]
    names = []
    for person in people:
        name = person.get("name") if isinstance(person, dict) else person
        name = normalize(_text(name))
        if name:
            names.append(name)
    return names


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _as_number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
