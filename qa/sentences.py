"""Sentence splitting for Indonesian and English news text.

:func:`split_sentences` returns character spans, so callers can cite exact offsets.
Rules, in order:

* A line break always ends a sentence (paragraphs, list items, headlines).
* Inside a line, a sentence ends at ``.``, ``!`` or ``?`` (plus any closing quotes
  or brackets) followed by whitespace and an uppercase letter, an opening quote or
  a digit.
* No split after known abbreviations that precede a name or number ("Dr.",
  "Prof.", "Jl.", "No.", "Rp.", "PT.", "Mr."), single-letter initials ("Dr.M.
  Fadjroel", "Hilda B. Alexander"), dotted acronyms ("U.S.", "S.H.", "a.n."),
  list markers at the start of a line ("1. ASEAN ...") or ellipses ("...", "…").
* Decimal numbers and dates ("1.200", "3.14", "29/7/2023") and "M.Si" never
  split because no whitespace follows their period.
"""
from __future__ import annotations

import re

Span = tuple[int, int]

# Abbreviations (lower case, without the final period) that are normally followed
# by a name, a number or another word of the same phrase, never by a new sentence.
ABBREVIATIONS = frozenset(
    """
    dr drs dra prof ir hj kh ust sdr sdri bpk yth ny nn tn mr mrs ms messrs st jr sr
    jl jln gg no rp pt cv ud kab kec kel prov rt rw tgl hlm vol vs etc cf approx fig
    jan feb mar apr jun jul agu agt ags aug sep sept okt oct nov des dec
    kol letjen mayjen brigjen laksma marsma kapt lettu letda serka komjen irjen
    kombes akbp kompol iptu ipda aiptu bripka
    """.split()
)

_LINE = re.compile(r"[^\n]+")
# Terminal punctuation run, optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"(?P<punct>[.!?]+|…)(?P<close>[\"'”’»)\]]*)(?P<space>[ \t\r\f\v]+)")
_OPENERS = "\"'“‘«„"
_LIST_MARKER = re.compile(r"^\s*[(\[]?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})$")
_DOTTED_ACRONYM = re.compile(r"^(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}$")


def _previous_token(line: str, end: int) -> str:
    """Return the non-space token that ends right before ``end`` (opening brackets stripped)."""
    start = end
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    return line[start:end].lstrip("([{\"'“‘«")


def _is_boundary(line: str, match: re.Match) -> bool:
    """Decide whether a punctuation match inside ``line`` ends a sentence."""
    after = match.end()
    if after >= len(line):
        return False  # end of line is handled by the caller
    nxt = line[after]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    punct = match.group("punct")
    if punct == "…" or punct.startswith(".."):
        return False  # ellipsis: a pause, not a sentence end
    if punct != "." or match.group("close"):
        return True  # "!", "?", or a period inside closing quotes
    token = _previous_token(line, match.start())
    if not token:
        return True
    if token.lower() in ABBREVIATIONS:
        return False
    last = token.rsplit(".", 1)[-1]
    if len(last) == 1 and last.isalpha() and last.isupper():
        return False  # an initial: "Hilda B. Alexander", "Dr.M. Fadjroel"
    if "." in token and _DOTTED_ACRONYM.match(token):
        return False  # "U.S.", "S.H.", "a.n.", "e.g."
    if line[: match.start()].strip() == token and _LIST_MARKER.match(token):
        return False  # "1. ASEAN dan Jepang ..." keeps its number
    return True


def _split_line(line: str, offset: int) -> list[Span]:
    """Split one line (no newlines) into sentence spans shifted by ``offset``."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        if _is_boundary(line, match):
            end = match.start("space")
            spans.append((start, end))
            start = match.end()
    spans.append((start, len(line)))
    result = []
    for s, e in spans:
        piece = line[s:e]
        stripped = piece.strip()
        if not stripped:
            continue
        s += len(piece) - len(piece.lstrip())
        e = s + len(stripped)
        result.append((offset + s, offset + e))
    return result


def split_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentences.

    Args:
        text: Cleaned article text (Indonesian or English); paragraphs are lines.

    Returns:
        ``(start, end)`` character spans in order; ``text[start:end]`` is a sentence
        with no surrounding whitespace. Empty text gives ``[]``.
    """
    spans: list[Span] = []
    for line_match in _LINE.finditer(text):
        spans.extend(_split_line(line_match.group(), line_match.start()))
    return spans


def sentences(text: str) -> list[str]:
    """Return the sentence strings of ``text`` (convenience wrapper)."""
    return [text[s:e] for s, e in split_sentences(text)]
