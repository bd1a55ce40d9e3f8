"""Reading and validating gold files (JSON Lines, one question per line).

Two kinds, told apart by their fields:

* **open-corpus** (``eval/gold.jsonl``): ``{"id", "lang", "question", "answers", "doc",
  "evidence", "answerable", "type", "hops"}``; the system retrieves from the corpus.
* **reading-comprehension** (SQuAD style): ``{"id", "lang", "question", "context", "answers",
  "answerable", "source"}``; the reader answers from the given context.

The whole file is checked before anything runs; the first problem raises
:class:`GoldFormatError` naming the line.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

GoldKind = Literal["open", "reading"]
LANGUAGES: tuple[str, ...] = ("id", "en")
KIND_NAMES = {"open": "open-corpus", "reading": "reading-comprehension"}


class GoldFormatError(ValueError):
    """A gold file line is malformed; ``line_no`` (1-based) and ``problem`` say where and what."""

    def __init__(self, line_no: int, problem: str, path: str | Path | None = None):
        self.line_no = line_no
        self.problem = problem
        self.path = str(path) if path is not None else None
        where = ", ".join(x for x in (self.path, f"line {line_no}" if line_no else None) if x)
        super().__init__(f"{where}: {problem}" if where else problem)


@dataclass
class GoldQuestion:
    """One gold question of either kind (fields of the other kind keep their defaults).

    Attributes:
        id: unique id within the file.
        lang: gold language of the question, "id" or "en".
        question: the question text.
        answers: acceptable answers (empty for unanswerable questions).
        answerable: False when the right output is "not found".
        line_no: the line of the gold file (for messages).
        doc: open-corpus: id of the document holding the answer (None if unanswerable).
        evidence: open-corpus: the sentence that supports the answer (None if unanswerable).
        type: open-corpus: the answer type (person, date, number, ...).
        hops: open-corpus: how many sentences must be combined (1 or more).
        context: reading-comprehension: the passage to read.
        source: reading-comprehension: the data set the question comes from.
    """

    id: str
    lang: str
    question: str
    answers: list[str]
    answerable: bool
    line_no: int = 0
    doc: str | None = None
    evidence: str | None = None
    type: str = "unknown"
    hops: int = 1
    context: str | None = None
    source: str = "unknown"


@dataclass
class GoldSet:
    """The validated questions of a gold file."""

    path: Path
    kind: GoldKind
    questions: list[GoldQuestion] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.questions)


def detect_kind(record: dict) -> GoldKind | None:
    """"reading" if the record has a ``context``, "open" if it has ``doc``/``evidence``, else None."""
    if "context" in record:
        return "reading"
    if "doc" in record or "evidence" in record:
        return "open"
    return None


def _text(record: dict, key: str, line_no: int, path, required: bool = True) -> str | None:
    value = record.get(key)
    if value is None and not required:
        return None
    if key not in record:
        raise GoldFormatError(line_no, f"missing field '{key}'", path)
    if not isinstance(value, str) or not value.strip():
        raise GoldFormatError(line_no, f"field '{key}' must be a non-empty string, got {value!r}", path)
    return value


def parse_record(record: object, line_no: int, kind: GoldKind | None = None,
                 path: str | Path | None = None) -> GoldQuestion:
    """Validate one decoded JSON line and turn it into a :class:`GoldQuestion`.

    Args:
        record: the decoded JSON value.
        line_no: 1-based line number (for error messages).
        kind: the kind the file has so far (None: decide from this record).
        path: the file (for error messages).

    Raises:
        GoldFormatError: the record is not a valid gold question.
    """
    if not isinstance(record, dict):
        raise GoldFormatError(line_no, f"expected a JSON object, got {type(record).__name__}", path)
    this = detect_kind(record)
    if this is None:
        raise GoldFormatError(line_no, "cannot tell the gold kind: a reading-comprehension line needs "
                              "'context', an open-corpus line needs 'doc' and 'evidence'", path)
    if kind is not None and this != kind:
        raise GoldFormatError(line_no, f"this is a {KIND_NAMES[this]} line but the file started as "
                              f"{KIND_NAMES[kind]}; put each kind in its own file", path)
    qid = record.get("id")
    if isinstance(qid, int) and not isinstance(qid, bool):
        qid = str(qid)
    if not isinstance(qid, str) or not qid.strip():
        raise GoldFormatError(line_no, f"field 'id' must be a non-empty string, got {record.get('id')!r}", path)
    lang = record.get("lang")
    if lang not in LANGUAGES:
        raise GoldFormatError(line_no, f"field 'lang' must be one of {list(LANGUAGES)}, got {lang!r}", path)
    question = _text(record, "question", line_no, path)
    answers = record.get("answers")
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        raise GoldFormatError(line_no, f"field 'answers' must be a list of strings, got {answers!r}", path)
    answerable = record.get("answerable")
    if not isinstance(answerable, bool):
        raise GoldFormatError(line_no, f"field 'answerable' must be true or false, got {answerable!r}", path)
    if answerable and not any(a.strip() for a in answers):
        raise GoldFormatError(line_no, "answerable question with no answers: give at least one "
                              "answer or set \"answerable\": false", path)
    if not answerable and answers:
        raise GoldFormatError(line_no, "unanswerable question with answers: empty 'answers' or set "
                              "\"answerable\": true", path)
    item = GoldQuestion(id=qid, lang=lang, question=question, answers=list(answers),
                        answerable=answerable, line_no=line_no)
    if this == "reading":
        item.context = _text(record, "context", line_no, path)
        source = record.get("source", "unknown")
        if not isinstance(source, str):
            raise GoldFormatError(line_no, f"field 'source' must be a string, got {source!r}", path)
        item.source = source or "unknown"
        return item
    if answerable:
        item.doc = _text(record, "doc", line_no, path)
        item.evidence = _text(record, "evidence", line_no, path)
    else:
        item.doc = _text(record, "doc", line_no, path, required=False)
        item.evidence = _text(record, "evidence", line_no, path, required=False)
    qtype = record.get("type", "unknown")
    if not isinstance(qtype, str) or not qtype.strip():
        raise GoldFormatError(line_no, f"field 'type' must be a non-empty string, got {qtype!r}", path)
    hops = record.get("hops", 1)
    if isinstance(hops, bool) or not isinstance(hops, int) or hops < 1:
        raise GoldFormatError(line_no, f"field 'hops' must be a positive integer, got {hops!r}", path)
    item.type, item.hops = qtype, hops
    return item


def read_gold(path: str | Path, limit: int | None = None) -> GoldSet:
    """Read and validate a gold file of either kind.

    Every line is validated (also past ``limit``), so a broken file fails before any work.
    Blank lines are skipped.

    Args:
        path: the JSON Lines file.
        limit: keep only the first ``limit`` questions (None: all).

    Raises:
        FileNotFoundError: the file does not exist.
        GoldFormatError: a line is malformed, ids repeat, kinds mix, or the file is empty.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"Gold file '{path}' not found. Pass an existing JSON Lines file to --gold "
                                "(e.g. eval/gold.jsonl).")
    if limit is not None and limit < 1:
        raise ValueError(f"--limit must be at least 1 (got {limit}).")
    kind: GoldKind | None = None
    questions: list[GoldQuestion] = []
    seen: dict[str, int] = {}
    with path.open("rb") as f:
        for line_no, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise GoldFormatError(line_no, f"not valid UTF-8 ({exc.reason} at byte {exc.start}); "
                                      "re-save the file as UTF-8", path) from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldFormatError(line_no, f"not valid JSON ({exc.msg} at column {exc.colno})", path) from None
            item = parse_record(record, line_no, kind, path)
            kind = kind or detect_kind(record)
            if item.id in seen:
                raise GoldFormatError(line_no, f"duplicate id '{item.id}' (first used on line {seen[item.id]}); "
                                      "ids must be unique", path)
            seen[item.id] = line_no
            questions.append(item)
    if not questions:
        raise GoldFormatError(0, "the file has no questions (one JSON object per line expected)", path)
    return GoldSet(path=path, kind=kind, questions=questions[:limit] if limit else questions)
