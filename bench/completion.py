"""Span completion rule by rule (``qa.reader.completion``) on the reading-comprehension validation files.

    .venv/bin/python bench/completion.py --data ../shared/qa-train [--limit 300]

Each question is read once with its own context by the shipped reader as the product runs it
(int8, English questions read twice); the candidates are then decoded again with no completion,
each rule alone, and all rules together. Prints forced F1 (answerable questions, best span always
taken) and F1 with the configured "not found" decision per file and rule set; writes
``bench/out/completion.json``. Files: TyDi-ID, IDK-MRC, FacQA, QED-EN (first ``--limit`` lines) and
the 222 hand-translated English questions of ``qa/reader/valid/english_questions.tsv``.
``eval/gold.jsonl`` plays no part.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import write_report  # noqa: E402

FILES = ("tydiqa_id_valid", "idkmrc_valid", "facqa_valid", "qed_en_valid")


def rule_sets() -> dict[str, tuple[str, ...]]:
    from qa.reader.completion import RULES

    return {"none": (), **{rule: (rule,) for rule in RULES}, "all": RULES}


def captured_reads(reader, examples, language: str | None) -> list[tuple[object, dict]]:
    """``(example, arguments of the reader's final decode)`` for each example, read once."""
    from qa.pipeline import read_context
    from qa.reader import neural

    captured: list[dict] = []
    original = neural._result

    def capture(*args, **kwargs):
        captured.append({"args": args, "kwargs": kwargs})
        return original(*args, **kwargs)

    neural._result = capture
    try:
        out = []
        for ex in examples:
            captured.clear()
            read_context(reader, ex.question, ex.context, language or ex.lang)
            out.append((ex, dict(captured[-1]) if captured else None))
        return out
    finally:
        neural._result = original


def score(reads, completion: tuple[str, ...]) -> dict:
    """Forced F1 and F1 with "not found" of the captured reads decoded with ``completion``."""
    from qa.evaluation.metrics import f1_score
    from qa.reader import neural

    forced, decided = [], []
    for ex, call in reads:
        if call is None:
            result = None
        else:
            args = list(call["args"])
            kwargs = dict(call["kwargs"])
            if len(args) >= 7:
                args = args[:6]
            kwargs["completion"] = completion
            result = neural._result(*args, **kwargs)
        best = result.spans[0].text if result and result.spans else ""
        found = bool(result and result.found)
        if ex.answerable:
            forced.append(f1_score(best, ex.answers))
            decided.append(f1_score(best, ex.answers) if found else 0.0)
        else:
            decided.append(float(not found))
    mean = lambda xs: round(100 * sum(xs) / len(xs), 2) if xs else None  # noqa: E731
    return {"forced_f1": mean(forced), "f1": mean(decided)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the qa-train folder")
    ap.add_argument("--limit", type=int, default=300, help="questions per validation file")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "completion.json")
    args = ap.parse_args(argv)

    from qa.reader.calibrate import translated_pool
    from qa.reader.data import load_jsonl
    from qa.reader.neural import NeuralReader

    reader = NeuralReader()
    reader.warm_up()
    sets = rule_sets()
    groups = {stem: (load_jsonl(args.data / f"{stem}.jsonl", args.limit), None) for stem in FILES}
    groups["english (hand-translated)"] = ([e for _, e in translated_pool(args.data)], "en")
    results: dict = {"limit": args.limit, "files": {}}
    print(f"{'file':<28}" + "".join(f"{name:>16}" for name in sets))
    for name, (examples, language) in groups.items():
        reads = captured_reads(reader, examples, language)
        row = {rule: score(reads, rules) for rule, rules in sets.items()}
        results["files"][name] = row
        print(f"{name:<28}" + "".join(f"{r['forced_f1']:>8.2f}/{r['f1']:<7.2f}" for r in row.values()))
    write_report(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
