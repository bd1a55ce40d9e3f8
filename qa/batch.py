"""Many questions in one run (``qa ask --questions FILE``): one JSON answer a line.

A file of questions is read line by line; every line gets one output line, in order, so a
researcher can join answers back to questions. A line that cannot be asked (empty, not UTF-8,
bad JSON, a question the pipeline refuses) gets a record with ``error`` saying why, and the run
goes on: one bad line never loses the others.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class QuestionLine:
    """One line of a question file: its number, optional id, the question or why it cannot be read."""

    line: int
    question: str | None
    id: str | int | float | None = None
    error: str | None = None


def question_lines(data: bytes, jsonl: bool) -> Iterator[QuestionLine]:
    """The questions of a file's bytes: plain text (one a line) or JSON lines (``jsonl``)."""
    for number, raw in enumerate(data.splitlines(), start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield QuestionLine(number, None, error=f"line {number} is not UTF-8 text (byte {exc.start}); "
                                                   "save the file as UTF-8")
            continue
        if not jsonl:
            yield QuestionLine(number, text)
            continue
        if not text.strip():
            continue  # blank lines between JSON records carry nothing
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield QuestionLine(number, None, error=f"line {number} is not JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("question"), str):
            yield QuestionLine(number, None, error=f"line {number} has no 'question' text field; "
                                                   'write {"question": "…", "id": "…"}')
            continue
        ident = record.get("id")
        if ident is not None and not isinstance(ident, (str, int, float)):
            ident = json.dumps(ident, ensure_ascii=False)  # an id is kept as given when it is a JSON scalar
        yield QuestionLine(number, record["question"], id=ident)


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"Question file {path} does not exist (give a text file, one question a line, "
                                "or a .jsonl file).")
    return path.read_bytes()


def ask_file(source: str, out: str | None = None, k: int | None = None, mode: str | None = None,
             settings=None) -> int:
    """Answer every question of ``source`` (a path or "-") and write one JSON line per input line.

    Returns 0 when the file was read (refused lines are records with ``error``, counted on stderr).
    """
    from tqdm.auto import tqdm

    from qa.files import atomic_write_text
    from qa.pipeline import QA, QuestionError

    lines = list(question_lines(_read(source), jsonl=source.endswith(".jsonl")))
    qa = QA.load(settings=settings)
    written: list[str] = []
    counts = {"answered": 0, "not found": 0, "refused": 0}
    for item in tqdm(lines, desc="Asking", unit="q", disable=None, file=sys.stderr):
        record = {"line": item.line, "id": item.id, "question": item.question}
        if item.error is None:
            try:
                answer = qa.ask(item.question, k=k, mode=mode).to_dict()
                answer.pop("passages", None)
                answer.pop("question", None)
                record.update(answer)
                counts["answered" if answer["found"] else "not found"] += 1
            except QuestionError as exc:
                record["error"] = str(exc)
        else:
            record["error"] = item.error
        if "error" in record:
            counts["refused"] += 1
        text = json.dumps(record, ensure_ascii=False)
        if out:
            written.append(text)
        else:
            print(text, flush=True)
    if out:
        atomic_write_text(Path(out), "\n".join(written) + ("\n" if written else ""))
    print(f"{len(lines)} questions: {counts['answered']} answered, {counts['not found']} not found, "
          f"{counts['refused']} could not be asked (see their 'error')" + (f"; answers in {out}" if out else ""),
          file=sys.stderr)
    return 0
