"""The parser on hostile pages: real replica pages and generated layouts, damaged the ways a network, a
broken server or an attacker damages them, through `parse_article`.

Each example takes one page from the pool (the replica's own generations in UTF-8 and Windows-1258,
and layouts drawn by `crawler.replica.layouts`) and applies one to four mutations: truncation, byte
flips, inserted NUL and control bytes, deeply nested tags, huge attributes, a stretch in another
encoding, random bytes, random tag soup, a lying `Content-Type`. The parser must either return an
`Article` whose text fields are NFC `str` without control characters (and whose title holds U+FFFD
only when the input did: the bytes, a character reference, or bytes its encoding cannot decode), or
raise `NotAnArticle` with a message. Anything else is a bug.

A new seed each run, printed on failure; `DBP_FUZZ_SEED` repeats one and `DBP_FUZZ_EXAMPLES` changes
the count (1 000 by default; both checked in conftest.py).
"""

from __future__ import annotations

import codecs
import os
import random
import unicodedata
from collections import Counter
from dataclasses import replace

from hypothesis import HealthCheck, assume, event, given, note, seed, settings, strategies as st

from crawler.article import Article, NotAnArticle
from crawler.parsing import parse_article
from crawler.replica import Replica
from crawler.replica.layouts import draw_layout

SEED = int(os.environ.get("DBP_FUZZ_SEED") or random.SystemRandom().randrange(1, 2**32))
EXAMPLES = int(os.environ.get("DBP_FUZZ_EXAMPLES") or 1000)
REPLICA = Replica(seed=11, articles=60, epoch=2)


def _pool() -> list[tuple[str, bytes, str, dict]]:
    """(what it is, body, url, headers) for a few dozen pages, every generation and encoding."""
    pages = []
    ids = REPLICA.live_ids()
    rng = random.Random(1)
    for article_id in ids[:10]:
        page = REPLICA.render_article(article_id)
        pages.append((f"replica page {article_id}", page.body, REPLICA.url_for(article_id), dict(page.headers)))
    for article_id in ids[10:30]:
        layout = draw_layout(rng)
        page = REPLICA.render_article(article_id, layout=layout)
        pages.append((f"article {article_id} in {layout}", page.body, REPLICA.url_for(article_id), dict(page.headers)))
    for article_id in ids[30:34]:
        layout = replace(draw_layout(rng), encoding="cp1258_none")
        page = REPLICA.render_article(article_id, layout=layout)
        pages.append((f"article {article_id} in {layout}", page.body, REPLICA.url_for(article_id), dict(page.headers)))
    return pages


POOL = _pool()
CONTROL_BYTES = bytes([0, 1, 2, 7, 8, 11, 12, 14, 27, 31, 127])
TAG_SOUP = [b"<h1>", b"</h1>", b"<p>", b"</p>", b"<div>", b"</div>", b"<script>", b"</script>", b"<style>",
            b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<title>", b"</title>", b"<meta charset=utf-16>",
            b"<meta charset=bogus>", b'<meta property="og:title" content="', b'"', b"'", b"<", b">", b"&",
            b"&#0;", b"&#xD800;", b"&#1114112;", b"&nbsp", b"<table><tr><td>", b"<svg><foreignObject>",
            b"<math><mi>", b"<template>", b"<noscript>", b"<plaintext>", b"<textarea>", b"<base href=x>",
            "Lượt xem: 1.234".encode(), "Tin khác".encode(), "Ảnh: ".encode(), b"17/08/2020 08:33"]
HEADER_LIES = [None, {}, {"Content-Type": "text/html"}, {"Content-Type": "text/html; charset=bogus"},
               {"Content-Type": "text/html; charset=utf-16"}, {"Content-Type": "text/html; charset=iso-8859-1"},
               {"Content-Type": "text/html; charset=windows-1258"}, {"content-type": "application/octet-stream"},
               {"Content-Type": "text/html; charset=\"utf-8"}]


def mutate(body: bytes, headers: dict, kind: str, where: int, size: int, salt: int) -> tuple[bytes, dict]:
    """One mutation: `where` (0..10 000) places it along the body, `size` scales it, `salt` seeds
    the bytes it inserts."""
    rng = random.Random(salt)
    at = len(body) * where // 10_000
    if kind == "truncate":
        return body[:at], headers
    if kind == "flip":
        damaged = bytearray(body)
        for _ in range(1 + size % 64):
            if damaged:
                index = rng.randrange(len(damaged))
                damaged[index] ^= 1 << rng.randrange(8)
        return bytes(damaged), headers
    if kind == "controls":
        return body[:at] + bytes(rng.choice(CONTROL_BYTES) for _ in range(1 + size % 32)) + body[at:], headers
    if kind == "nest":
        tag = rng.choice([b"div", b"b", b"table", b"p", b"span", b"li", b"a", b"font"])
        return body[:at] + (b"<" + tag + b">") * (100 + size * 4) + body[at:], headers
    if kind == "huge_attribute":
        value = rng.choice([b"x", "Đảng".encode(), b"&quot;", b"\xff"]) * (1000 + size * 60)
        return body[:at] + b'<p class="' + value + b'" data-x=' + value + b">" + body[at:], headers
    if kind == "other_encoding":
        text = rng.choice(["Đảng bộ tỉnh Điện Biên ", "Lượt xem: 5.717 ", "Tin khác — Bình luận "])
        codec = rng.choice(["cp1258", "utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "shift_jis"])
        return body[:at] + text.encode(codec, errors="ignore") * (1 + size % 20) + body[at:], headers
    if kind == "random_bytes":
        return body[:at] + rng.randbytes(1 + size % 512) + body[at:], headers
    if kind == "tag_soup":
        return body[:at] + b"".join(rng.choice(TAG_SOUP) for _ in range(1 + size % 80)) + body[at:], headers
    if kind == "bom":
        return rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32]) + body, headers
    if kind == "headers":
        lie = HEADER_LIES[size % len(HEADER_LIES)]
        return body, lie if lie is not None else headers
    raise AssertionError(kind)


KINDS = ("truncate", "flip", "controls", "nest", "huge_attribute", "other_encoding", "random_bytes", "tag_soup",
         "bom", "headers")
MUTATIONS = st.tuples(st.sampled_from(KINDS), st.integers(0, 10_000), st.integers(0, 1000), st.integers(0, 2**32))


def text_fields(article: Article) -> list[tuple[str, object]]:
    fields = [(name, getattr(article, name)) for name in ("title", "sapo", "body_text", "author_role", "source")]
    fields.append(("category", article.category))
    fields += [(f"authors[{i}]", name) for i, name in enumerate(article.authors)]
    fields += [(f"photo_credits[{i}]", name) for i, name in enumerate(article.photo_credits)]
    for i, image in enumerate(article.images):
        fields += [(f"images[{i}].caption", image.caption), (f"images[{i}].credit", image.credit)]
    fields += [(f"related[{i}].title", link.title) for i, link in enumerate(article.related)]
    return [(name, value) for name, value in fields if value is not None or name == "title"]


def _declared_codec(headers: dict | None) -> str | None:
    from crawler.parsing.encoding import _from_headers

    return _from_headers(headers)


def input_had_replacement(body: bytes, headers: dict | None) -> bool:
    """Whether the input itself holds a U+FFFD: its bytes, a character reference (`&#0;`, a surrogate, past
    U+10FFFF are all read as U+FFFD), or bytes that neither UTF-8 nor the declared encoding decodes."""
    if "\ufffd".encode() in body or b"&#" in body:
        return True
    # What the parser may read it as: UTF-8, or the declared code page (Windows-1258 when none is declared).
    for codec in dict.fromkeys(("utf-8", _declared_codec(headers) or "cp1258")):
        try:
            body.decode(codec)
            return False
        except (UnicodeDecodeError, LookupError):
            continue
    return True


def check_page(body: bytes, url: str, headers: dict) -> str:
    """`parse_article`'s contract on one page: 'parsed' or 'refused', or an AssertionError naming the break."""
    try:
        article = parse_article(body, url, headers)
    except NotAnArticle as refusal:
        message = str(refusal)
        assert message.strip() and message.isprintable() and len(message) < 500, repr(message)
        return "refused"
    assert isinstance(article, Article), type(article)
    for name, value in text_fields(article):
        assert isinstance(value, str), (name, type(value))
        assert unicodedata.is_normalized("NFC", value), (name, value[:200])
        controls = {ch for ch in value if unicodedata.category(ch) == "Cc" and ch != "\n"}
        assert not controls, (name, sorted(controls), value[:200])
    if "\ufffd" in article.title:
        assert input_had_replacement(body, headers), f"U+FFFD made up in the title: {article.title[:200]!r}"
    article.to_json()  # the archive's write path serialises it
    return "parsed"


OUTCOMES: Counter = Counter()


@seed(SEED)
@settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(page=st.sampled_from(range(len(POOL))), mutations=st.lists(MUTATIONS, min_size=1, max_size=4))
def _fuzz(page, mutations):
    note(f"fuzz seed {SEED}: DBP_FUZZ_SEED={SEED} repeats this run; page: {POOL[page][0]}")
    _, body, url, headers = POOL[page]
    for mutation in mutations:
        body, headers = mutate(body, headers, *mutation)
    outcome = check_page(body, url, headers)
    OUTCOMES[outcome] += 1
    event(outcome)


def test_mutated_pages_parse_or_are_refused_never_crash():
    OUTCOMES.clear()
    _fuzz()
    print(f"fuzz seed {SEED}: {sum(OUTCOMES.values())} pages, {dict(OUTCOMES)}")
    # Both answers occur: mutations neither all harmless nor all fatal (the test checks both paths).
    assert OUTCOMES["parsed"] and OUTCOMES["refused"], (SEED, dict(OUTCOMES))


def test_the_pool_parses_before_any_mutation():
    for what, body, url, headers in POOL:
        assert check_page(body, url, headers) == "parsed", what


def test_nul_bytes_in_the_text_are_dropped_not_read_as_replacement_characters():
    # Past the first 4 KB (where a NUL means binary data): libxml2 alone reads each as U+FFFD.
    _, body, url, headers = next(entry for entry in POOL if "utf-8" in entry[3].get("Content-Type", ""))
    damaged = body[:4096] + body[4096:].replace(b" ", b"\x00 ")
    clean, read = parse_article(body, url, headers), parse_article(damaged, url, headers)
    assert (read.title, read.body_text) == (clean.title, clean.body_text)


# -- a damaged UTF-8 page stays UTF-8 --------------------------------------------------------------------

UTF8_POOL = [entry for entry in POOL if b"charset=utf-8" in entry[1][:4096].lower()
             or "utf-8" in entry[3].get("Content-Type", "").lower()]


@seed(SEED)
@settings(max_examples=max(20, EXAMPLES // 10), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(page=st.sampled_from(range(len(UTF8_POOL))), garbage=st.binary(min_size=1, max_size=400),
       where=st.integers(0, 10_000))
def test_garbage_bytes_after_the_headline_leave_a_utf8_title_whole(page, garbage, where):
    """A few hundred bad bytes in a UTF-8 page (a corrupted stretch of a body) are that stretch's
    problem: the page is still read as UTF-8, not re-read whole as Windows-1258 with every letter
    garbled."""
    note(f"fuzz seed {SEED}")
    what, body, url, headers = UTF8_POOL[page]
    title = parse_article(body, url, headers).title
    assume(title.encode() in body)  # (a title written with character references: no place to start)
    after_title = body.index(b">", body.rfind(title.encode())) + 1  # past the tag that closes it
    at = body.find(b"<", after_title + (len(body) - after_title) * where // 10_000)  # between text and a tag
    at = len(body) if at < 0 else at
    garbage = bytes(byte | 0x80 for byte in garbage)  # high bytes only: no markup made or broken
    try:
        damaged = parse_article(body[:at] + garbage + body[at:], url, headers)
    except NotAnArticle:
        return  # (the fuzz test above holds refusals to their contract)
    assert damaged.title == title, what
