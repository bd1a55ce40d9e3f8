"""What a better English→Indonesian question translator would be worth: the hand-translated English
validation questions read twice as the product reads them, with the second reading taken from
(a) the shipped translator (:mod:`qa.translate`), (b) the original Indonesian question the English
one was translated from (a perfect translation), or (c) that original with its words after the
first shuffled (the right words in the wrong order).

    .venv/bin/python bench/english_questions.py --data ../shared/qa-train --write-gold bench/out/english_questions_gold.jsonl
    .venv/bin/python bench/translation_oracle.py --data ../shared/qa-train --gold bench/out/english_questions_gold.jsonl

Runs ``qa eval`` (reading comprehension, each question with its own context) once per source and
prints F1, forced F1 and no-answer accuracy; writes ``bench/out/translation_oracle/<source>.json``.
A study tool: the product never sees the original questions.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = ("translator", "original", "shuffled")


def originals(data: Path, gold: Path) -> dict[str, str]:
    """English question → the Indonesian question of the same id in tydiqa_id_valid / idkmrc_valid."""
    by_id = {}
    for name in ("tydiqa_id_valid", "idkmrc_valid"):
        with open(data / f"{name}.jsonl", encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                by_id[row["id"]] = row["question"]
    with open(gold, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return {row["question"]: by_id[row["id"]] for row in rows if row["id"] in by_id}


def shuffled(question: str) -> str:
    """The question word first, the other words in a fixed random order."""
    words = question.rstrip("?").split()
    rest = words[1:]
    random.Random(len(question)).shuffle(rest)
    return " ".join(words[:1] + rest) + "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the qa-train folder (../shared/qa-train)")
    parser.add_argument("--gold", type=Path, default=ROOT / "bench/out/english_questions_gold.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/out/translation_oracle")
    parser.add_argument("--sources", nargs="+", choices=SOURCES, default=list(SOURCES))
    args = parser.parse_args()
    if not args.gold.exists():
        parser.error(f"{args.gold} not found: write it first with bench/english_questions.py --write-gold")
    mapping = originals(args.data, args.gold)
    print(f"{len(mapping)} English questions with their original Indonesian question", file=sys.stderr)

    import qa.translate as translate
    from qa.cli import main as cli

    shipped = translate.QuestionTranslator.translate
    args.out.mkdir(parents=True, exist_ok=True)
    results = {}
    try:
        _run_sources(args, mapping, shipped, translate, cli, results)
    finally:
        translate.QuestionTranslator.translate = shipped
    print(f"{'second reading':<16} {'F1':>7} {'forced':>7} {'no-answer':>9}")
    for source, (f1, forced, noans) in results.items():
        print(f"{source:<16} {100 * f1:7.2f} {100 * forced:7.2f} {'' if noans is None else f'{100 * noans:9.1f}'}")
    return 0


def _run_sources(args, mapping, shipped, translate, cli, results) -> None:
    """``qa eval`` once per source of the second reading; ``results[source] = (F1, forced F1, no-answer)``."""
    for source in args.sources:
        def second_reading(self, question, context=None, _source=source):
            if _source == "translator" or question not in mapping:
                return shipped(self, question, context)
            original = mapping[question]
            return original if _source == "original" else shuffled(original)

        translate.QuestionTranslator.translate = second_reading
        out = args.out / f"{source}.json"
        cli(["eval", "--gold", str(args.gold), "--json", str(out), "--no-progress"])
        report = json.loads(out.read_text(encoding="utf-8"))
        answerable = [r for r in report["rows"] if r["answerable"]]
        forced = sum(r.get("candidate_f1") or 0.0 for r in answerable) / max(len(answerable), 1)
        results[source] = (report["f1"], forced, report.get("noans_acc"))


if __name__ == "__main__":
    sys.exit(main())
