"""Validation questions as users type them: lower case, no "?", chat abbreviations.

Writes, for each reading-comprehension file given, the first ``--limit`` lines in two typed forms
into ``--out``, to be read with ``qa eval --gold`` next to the original file:

- ``lower_NAME.jsonl``: the question lower-cased, without a closing "?";
- ``chat_NAME.jsonl`` (Indonesian files): the same, with common words abbreviated the way chat
  writes them (the reverse of ``qa.informal.ABBREVIATIONS``: "yang" → "yg", "berapa" → "brp" …).

    .venv/bin/python bench/english_questions.py --data ../shared/qa-train --write-gold bench/out/english_questions_gold.jsonl
    .venv/bin/python bench/typed_questions.py ../shared/qa-train/tydiqa_id_valid.jsonl \\
        ../shared/qa-train/idkmrc_valid.jsonl bench/out/english_questions_gold.jsonl --out bench/out/typed
    .venv/bin/qa eval --gold bench/out/typed/lower_idkmrc_valid.jsonl --limit 300
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from qa.files import atomic_write_text
from qa.informal import ABBREVIATIONS


def chat_forms() -> dict[str, str]:
    """Formal word → the first chat abbreviation listed for it (single words only)."""
    forms: dict[str, str] = {}
    for short, full in ABBREVIATIONS.items():
        if " " not in full:
            forms.setdefault(full, short)
    return forms


def lower(question: str) -> str:
    return question.lower().rstrip(" ?")


def chat(question: str, forms: dict[str, str]) -> str:
    return re.sub(r"\b\w+\b", lambda m: forms.get(m.group(0), m.group(0)), lower(question))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="reading-comprehension JSON Lines files")
    parser.add_argument("--out", type=Path, default=Path("bench/out/typed"))
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args(argv)
    forms = chat_forms()
    for path in args.files:
        if not path.is_file():
            print(f"error: {path} not found (see the commands at the top of {__file__})", file=sys.stderr)
            return 2
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = rows[: args.limit]
        kinds = {"lower": lambda q: lower(q)}
        if all(r.get("lang", "id") == "id" for r in rows):
            kinds["chat"] = lambda q: chat(q, forms)
        for kind, typed in kinds.items():
            changed = 0
            lines = []
            for row in rows:
                new = dict(row, question=typed(row["question"]))
                changed += new["question"] != row["question"]
                lines.append(json.dumps(new, ensure_ascii=False))
            target = args.out / f"{kind}_{path.stem}.jsonl"
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(target, "\n".join(lines) + "\n")
            print(f"{target}: {len(rows)} questions, {changed} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
