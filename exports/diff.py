"""Word-level diffs of two versions of an article, for people: in a terminal (ANSI colour, or
`[-old-]{+new+}` marks where colour cannot show) and as a standalone HTML page (`<del>`/`<ins>`).

Each changed field is turned into text (lists one item a line, images and `Tin khác` links with their
host-free address). `difflib` aligns its paragraphs, then compares the paragraphs that changed word
by word. A line or paragraph break belongs to the word after it, so splitting a paragraph shows as a
change of that word.
In the terminal, long runs of unchanged paragraphs are folded to one line; the HTML page shows all.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crawler import urls
from exports.output import Redrawn

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
FIELD_LABELS = {
    "title": "title", "category": "category", "published_at": "published at", "updated_at": "updated at",
    "authors": "authors", "author_role": "author's role", "source": "source", "sapo": "sapo (lead)",
    "body_text": "body", "photo_credits": "photo credits", "images": "images", "related": "related links (Tin khác)",
}
ANSI = {"bold": "\x1b[1m", DELETE: "\x1b[31;9m", INSERT: "\x1b[32m", "dim": "\x1b[2m", "reset": "\x1b[0m"}
PARAGRAPH = "\n\n"
# Every page begins so: the generator line tells a page this command wrote (replaced without
# `--force`, since the archive can draw it again) from any other HTML, which may be someone's own work.
PAGE_START = '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta name="generator" content="dbp-archive diff">\n'
DIFF_PAGE = Redrawn("a page `dbp-archive diff` wrote", PAGE_START.encode())
WORD = re.compile(r"(\s*)(\S+)")


@dataclass(frozen=True)
class FieldDiff:
    """One field's change: its name and the diff as (kind, text) pieces in reading order."""

    name: str
    pieces: list[tuple[str, str]]

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.name, self.name)


def field_text(name: str, value: Any) -> str:
    """A field as the text a reader compares: lists one item a line, absent as empty."""
    if value is None:
        return ""
    if name == "images":
        return "\n".join(" — ".join(part for part in (urls.without_host(image.get("src") or ""),
                                                      image.get("caption"), image.get("credit")) if part)
                         for image in value)
    if name == "related":
        return "\n".join(f"{link.get('title') or ''} <{urls.without_host(link.get('url') or '')}>" for link in value)
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """`old` → `new` as (kind, text) pieces; joined in order, the `equal` and `insert` pieces give `new`
    and the `equal` and `delete` pieces give `old` (up to whitespace). Paragraphs are aligned first, so
    an inserted or removed paragraph is one piece; words are compared within paragraphs that changed."""
    old_paragraphs, new_paragraphs = _paragraphs(old), _paragraphs(new)
    matcher = difflib.SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = PARAGRAPH.join(old_paragraphs[i1:i2]), PARAGRAPH.join(new_paragraphs[j1:j2])
        if pieces:
            pieces.append((EQUAL, PARAGRAPH))
        if tag == "equal":
            pieces.append((EQUAL, added))
        elif tag == "insert":
            pieces.append((INSERT, added))
        elif tag == "delete":
            pieces.append((DELETE, removed))
        else:
            pieces.extend(_word_pieces(removed, added))
    return _merged(pieces)


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip()]


def _word_pieces(old: str, new: str) -> list[tuple[str, str]]:
    old_words, new_words = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(None, [_key(w) for w in old_words], [_key(w) for w in new_words],
                                      autojunk=False)
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append((EQUAL, "".join(space + word for space, word in new_words[j1:j2])))
            continue
        removed, added = old_words[i1:i2], new_words[j1:j2]
        # The space before a change stays outside its marks when both sides start with the same one,
        # or when only one side has words (an insertion or a deletion).
        leads = {side[0][0] for side in (removed, added) if side}
        lead = leads.pop() if len(leads) == 1 else ""
        if lead:
            removed = [("", removed[0][1]), *removed[1:]] if removed else removed
            added = [("", added[0][1]), *added[1:]] if added else added
            pieces.append((EQUAL, lead))
        if removed:
            pieces.append((DELETE, "".join(space + word for space, word in removed)))
        if added:
            pieces.append((INSERT, "".join(space + word for space, word in added)))
    return pieces


def _words(text: str) -> list[tuple[str, str]]:
    """(the whitespace before it, the word) for each word; a blank line before a word is kept as a
    paragraph break, any other whitespace as one space or one newline."""
    found = []
    for match in WORD.finditer(text or ""):
        space = match[1]
        if "\n" in space:
            space = PARAGRAPH if space.count("\n") > 1 else "\n"
        elif space:
            space = " "
        found.append((space if found else "", match[2]))
    return found


def _key(word: tuple[str, str]) -> tuple[str, str]:
    """What must match for two words to be the same: the word, and whether it starts a paragraph or line."""
    space, text = word
    return ("" if space in ("", " ") else space, text)


def _merged(pieces: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for kind, text in pieces:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + text)
        elif text:
            merged.append((kind, text))
    return merged


def version_diff(before: dict[str, Any], after: dict[str, Any], fields: Iterable[str]) -> list[FieldDiff]:
    """The word diffs of `fields` between two versions' decoded fields (`archive.history.version_fields`)."""
    return [FieldDiff(name, word_diff(field_text(name, before.get(name)), field_text(name, after.get(name))))
            for name in fields]


# -- rendering -------------------------------------------------------------------------------------------------

def render_terminal(heading: str, diffs: list[FieldDiff], *, colour: bool) -> str:
    """The diff for a terminal: colour (red struck-through old, green new) or `[-old-]{+new+}` marks."""
    lines = [_style(heading, "bold", colour)]
    for diff in diffs:
        lines.append("")
        lines.append(_style(f"## {diff.label}", "bold", colour))
        lines.append("".join(_terminal_piece(kind, text, colour, first=index == 0, last=index == len(diff.pieces) - 1)
                             for index, (kind, text) in enumerate(diff.pieces)))
    return "\n".join(lines) + "\n"


def _terminal_piece(kind: str, text: str, colour: bool, *, first: bool, last: bool) -> str:
    if kind == EQUAL:
        return _folded(text, colour, first=first, last=last)
    if colour:
        return _style(text, kind, colour)
    return f"[-{text}-]" if kind == DELETE else f"{{+{text}+}}"


def _folded(text: str, colour: bool, *, first: bool, last: bool) -> str:
    """Unchanged text with the paragraphs between two changes folded to one line; the paragraph a
    change is in stays whole."""
    paragraphs = text.split(PARAGRAPH)
    keep_head, keep_tail = (0 if first else 1), (0 if last else 1)
    folded = len(paragraphs) - keep_head - keep_tail
    if folded < 2:
        return text
    note = _style(f"[… {folded} unchanged paragraphs …]", "dim", colour)
    return PARAGRAPH.join([*paragraphs[:keep_head], note, *paragraphs[len(paragraphs) - keep_tail:]])


def _style(text: str, style: str, colour: bool) -> str:
    if not colour:
        return text
    # Colour per line, so a pager that cuts lines does not carry it onto the next.
    return "\n".join(f"{ANSI[style]}{line}{ANSI['reset']}" if line else line for line in text.split("\n"))


def render_html(title: str, heading: str, diffs: list[FieldDiff]) -> str:
    """A standalone UTF-8 page: every field in full, removed words in `<del>`, added in `<ins>`."""
    sections = []
    for diff in diffs:
        body = "".join(_html_piece(kind, text) for kind, text in diff.pieces)
        sections.append(f'<section>\n<h2>{html.escape(diff.label)}</h2>\n<div class="field">{body}</div>\n</section>')
    if not sections:
        sections.append("<p>No stored field differs between these versions.</p>")
    return PAGE_START + "\n".join([
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>",
        "body { font-family: sans-serif; max-width: 50em; margin: 2em auto; line-height: 1.5; }",
        ".field { white-space: pre-wrap; }",
        "del { background: #fdd; color: #900; }",
        "ins { background: #dfd; color: #060; text-decoration: none; }",
        "</style>",
        "</head>",
        "<body>",
        f"<h1>{html.escape(heading)}</h1>",
        *sections,
        "</body>",
        "</html>",
        "",
    ])


def _html_piece(kind: str, text: str) -> str:
    escaped = html.escape(text)
    if kind == DELETE:
        return f"<del>{escaped}</del>"
    if kind == INSERT:
        return f"<ins>{escaped}</ins>"
    return escaped
