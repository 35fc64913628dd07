"""Sentences: one splitter for everything that reads an answer, a brief or a story.

Sentences come back as spans of the original text (with their offsets), so that any
sentence quoted as evidence is an exact substring of what the user wrote.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Span(NamedTuple):
    """One sentence: ``text`` is ``source[start:end]`` (stripped, bullet marker removed)."""

    start: int
    end: int
    text: str


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Abbreviations whose full stop does not end a sentence (compared lower-case, without dots).
_ABBREVIATIONS = _wordset(
    "eg ie etc vs cf al approx incl esp resp viz fig figs eq vol mr mrs ms dr prof sr jr "
    "inc ltd corp jan feb mar apr jun jul aug sep sept oct nov dec"
)

# A list marker at the start of a line: "-", "*", "•", "1.", "2)", "a)", "(iv)", "iv.".
_SYMBOL_BULLET = re.compile(r"[ \t]*[-*•●○◦▪■–—>+][ \t]*")
_ENUM_BULLET = re.compile(r"[ \t]*\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})(?:\.(?!\d)|\))[ \t]*(?=\S)")

# Candidate sentence ends: terminal punctuation, optional closing quotes/brackets, then space.
_END = re.compile(r"""([.!?…]+)(["'”’)\]]*)(?=\s|$)""")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_MARKER_ONLY = re.compile(r"\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)]")


def _bullet_len(line: str) -> int:
    """Length of the list marker that opens ``line`` (0 if none)."""
    m = _SYMBOL_BULLET.match(line)
    if m and m.end() < len(line) and not line.lstrip().startswith(("->", "--")):
        symbol = line.lstrip()[0]
        if symbol in "-+" and line.lstrip()[1:2].isdigit():
            return 0  # "-5 dB" is a number, not a bullet
        return m.end()
    m = _ENUM_BULLET.match(line)
    if m:
        marker = m.group(0).strip()
        # "e.g." or "U.S." is not an enumeration; a lone letter/number/roman numeral is.
        rest = line[m.end() :]
        if marker[:-1].lower() in {"e", "i"} and rest[:2].lower() in {"g.", "e."}:
            return 0
        return m.end()
    return 0


_NUMBER_BEFORE = re.compile(r"(?:^|(?<=[\s(:;,]))(\d{1,2})$")
_LOWER_NEXT = re.compile(r"\s+[a-z]")


def _is_false_end(text: str, m: re.Match[str]) -> bool:
    """Whether the punctuation matched by ``m`` does not end a sentence."""
    punct = m.group(1)
    lower_next = _LOWER_NEXT.match(text, m.end()) is not None
    if punct.startswith("…") or punct.startswith(".."):
        return lower_next  # "wait... really" trails off inside one sentence
    if punct != ".":
        return False
    dot = m.start()
    if _NUMBER_BEFORE.search(text, 0, dot):
        # "Steps: 1. define 2. measure" or "step 2. then": an enumeration, not an end.
        before = text[:dot].rstrip("0123456789").rstrip()
        return lower_next or before.endswith(":") or not before
    return _is_abbreviation(text, dot)


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at ``text[dot]`` belongs to an abbreviation."""
    m = _WORD_BEFORE.search(text, 0, dot)
    if not m:
        return False
    word = m.group(1)
    bare = word.replace(".", "").lower()
    if bare == "etc":
        # "etc." ends a sentence when a capitalised word follows it.
        nxt = text[dot + 1 :].lstrip()[:1]
        return not nxt.isupper()
    # Known abbreviations and dotted ones ("U.S.", "e.g."); a lone capital ("plan A.") ends.
    return bare in _ABBREVIATIONS or "." in word


def _blocks(text: str) -> list[tuple[int, int]]:
    """Split into blocks at blank lines and at line breaks that clearly start a new unit.

    A single line break starts a new block when the next line opens with a list
    marker or the previous line ends a sentence (or a heading colon); otherwise it
    is a wrapped line and the sentence continues.
    """
    blocks: list[tuple[int, int]] = []
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        lines.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    start: int | None = None
    prev_b = 0
    prev_end_char = ""
    in_list_item = False
    for a, b in lines:
        body = text[a:b]
        if not any(ch.isalnum() for ch in body):  # blank or a rule like "---": a break
            if start is not None:
                blocks.append((start, prev_b))
                start = None
            continue
        bullet = _bullet_len(body) > 0
        # After a list item, an unindented capitalised line is a new paragraph.
        after_item = in_list_item and body[:1].isupper()
        if start is None:
            start = a
            in_list_item = bullet
        elif bullet or after_item or prev_end_char in ".!?:;…":
            blocks.append((start, prev_b))
            start = a
            in_list_item = bullet
        prev_b = b
        prev_end_char = body.rstrip()[-1:]
    if start is not None:
        blocks.append((start, prev_b))
    return blocks


def _lines(text: str) -> list[tuple[int, int]]:
    """Each line of ``text`` as a block of its own."""
    blocks: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        blocks.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return blocks


def sentence_spans(text: str, *, line_breaks: bool = False) -> list[Span]:
    """Split ``text`` into sentences, each a span of the original text.

    Handles abbreviations ("e.g.", "i.e.", "etc."), decimals ("12.5%"), version
    numbers, list items (each bullet is its own sentence, its marker dropped) and
    hard-wrapped lines. With ``line_breaks``, every line break ends a sentence: for
    text whose lines are separate statements (a chat turn, a story's fields), not
    wrapped prose. Empty or whitespace-only input gives an empty list.
    """
    spans: list[Span] = []
    for block_start, block_end in _lines(text) if line_breaks else _blocks(text):
        skip = _bullet_len(text[block_start:block_end])
        seg_start = block_start + skip
        for m in _END.finditer(text, seg_start, block_end):
            end = m.end()
            if _is_false_end(text, m):
                continue
            if _MARKER_ONLY.fullmatch(text[seg_start:end].strip()):
                continue  # a marker alone ("a." at the start of a paragraph) is no sentence
            _add(spans, text, seg_start, end)
            seg_start = end
        _add(spans, text, seg_start, block_end)
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped or not any(ch.isalnum() for ch in stripped):
        return
    lead = len(chunk) - len(chunk.lstrip())
    a = start + lead
    b = a + len(stripped)
    spans.append(Span(a, b, text[a:b]))


def split_sentences(text: str, *, line_breaks: bool = False) -> list[str]:
    """The sentences of ``text``, each an exact substring of it (see :func:`sentence_spans`).

    >>> split_sentences("Ship it, e.g. to 12.5% of users. Then measure!")
    ['Ship it, e.g. to 12.5% of users.', 'Then measure!']
    """
    return [s.text for s in sentence_spans(text, line_breaks=line_breaks)]
