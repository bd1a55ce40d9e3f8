"""The reader's "not found" threshold re-played on the rows of a finished `qa eval` run, by language.

    .venv/bin/python bench/threshold_grid.py bench/out/scale/valid30k/size-29784/eval.json [--thresholds -1.69,0,1,2]

Each row of an open-corpus run keeps the best span's score (``score``) and that span's F1
(``candidate_f1``) whether or not the reader answered, so any other threshold can be scored
without reading again: answer when ``score > threshold``; an answerable question then scores the
span's F1, an unanswerable one 1 when declined. Prints SQuAD-2.0-style F1 per language for each
threshold. Use it on validation runs (``bench/scale.py valid-gold``), not to tune on
``eval/gold.jsonl``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_THRESHOLDS = "-1.69,0,1,2,3,4,5,6,7,8"


def f1_at(rows: list[dict], threshold: float) -> float:
    """Mean F1 of ``rows`` had the reader answered exactly when ``score > threshold``."""
    from qa.evaluation.metrics import f1_at_threshold
    from qa.reader.threshold import row_scores

    return f1_at_threshold(*row_scores(rows), threshold)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run", type=Path, help="a `qa eval --json` file of an open-corpus run")
    ap.add_argument("--thresholds", default=DEFAULT_THRESHOLDS)
    args = ap.parse_args(argv)
    rows = json.loads(args.run.read_text())["rows"]
    thresholds = [float(t) for t in args.thresholds.split(",")]
    print(f"{'lang':<6}{'n':>5}" + "".join(f"{t:>8.2f}" for t in thresholds))
    for lang in sorted({r["lang"] for r in rows}):
        group = [r for r in rows if r["lang"] == lang]
        print(f"{lang:<6}{len(group):>5}" + "".join(f"{f1_at(group, t):>8.3f}" for t in thresholds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
