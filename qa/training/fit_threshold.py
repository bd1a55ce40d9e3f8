"""Fits the size rule of the "not found" threshold (:class:`qa.reader.threshold.SizeRule`).

Only the slope is fitted, per language, on open-corpus validation runs of several index sizes
(``bench/scale.py robustness --pool``); the threshold at the smallest size stays the one
:mod:`qa.training.calibrate` tuned. The rules are stored in ``reader_config.json`` under
``threshold_by_size``::

    python -m qa.training.fit_threshold bench/out/scale/valid_pool [--write]

The gold questions of ``eval/gold.jsonl`` are never used here.
"""
from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict
from pathlib import Path

from qa.evaluation.metrics import f1_at_threshold
from qa.reader.threshold import SizeRule

SLOPES = [round(0.1 * i, 1) for i in range(51)]  # 0 … 5 logits per decade of chunks
TOLERANCE = 0.005  # mean F1 given up for a smaller slope (as qa.training.calibrate keeps the smallest penalty)


def row_scores(rows: list[dict]) -> tuple[list[float], list[float], list[bool]]:
    """(best span score, its F1, answerable) of open-corpus ``qa eval`` rows, to re-play any threshold
    with :func:`qa.evaluation.metrics.f1_at_threshold`; a row without a candidate never answers."""
    scores = [r["score"] if r.get("score") is not None and r.get("candidate") else -math.inf for r in rows]
    return scores, [r.get("candidate_f1") or 0.0 for r in rows], [bool(r["answerable"]) for r in rows]


def fit_size_rule(runs: list[tuple[int, list[dict]]], threshold: float,
                  tolerance: float = TOLERANCE) -> tuple[SizeRule, float]:
    """The slope that, from ``threshold`` at the smallest size, maximises the mean F1 over ``runs``
    (``(index chunks, rows)``, one language; every run weighs the same whatever its number of
    questions). F1 is flat over a wide range of slopes, so the smallest slope within ``tolerance``
    of the best mean F1 is kept: no stricter than the data ask for (at 30k chunks the best English
    slope declined 44 % of answerable questions for +0.006 F1). Returns the rule and its mean F1."""
    if not runs:
        raise ValueError("fit_size_rule needs at least one run")
    sizes = [n for n, _ in runs]
    data = [(n, *row_scores(rows)) for n, rows in runs]
    fits = []
    for slope in SLOPES:
        rule = SizeRule(threshold, slope, min(sizes), max(sizes))
        fits.append((sum(f1_at_threshold(s, f, a, rule.at(n)) for n, s, f, a in data) / len(data), rule))
    best = max(f1 for f1, _ in fits)
    return next((rule, f1) for f1, rule in fits if f1 >= best - tolerance - 1e-12)


def two_fold(runs: list[tuple[int, list[dict]]], fixed: float) -> dict:
    """Out-of-sample check of :func:`fit_size_rule`: questions split in two halves by a hash of their
    id; each half is scored with the rule fitted on the other. Returns, per index size, the F1 of
    those out-of-fold rules and of the ``fixed`` threshold on all questions."""
    import hashlib

    def half(row: dict) -> int:
        return hashlib.md5(str(row.get("id")).encode()).digest()[0] & 1

    rules = [fit_size_rule([(n, [r for r in rows if half(r) != h]) for n, rows in runs], fixed)[0] for h in (0, 1)]
    out = []
    for n, rows in runs:
        scored = [(r, rules[half(r)].at(n)) for r in rows]
        rule_f1 = sum(f1_at_threshold(*row_scores([r]), t) for r, t in scored) / max(len(rows), 1)
        out.append({"index_chunks": n, "f1_out_of_fold": round(rule_f1, 4),
                    "f1_fixed": round(f1_at_threshold(*row_scores(rows), fixed), 4)})
    return {"rules": [asdict(r) for r in rules], "by_size": out}


def read_runs(folder: Path) -> list[tuple[int, list[dict]]]:
    """``(index chunks, rows)`` of every ``size-*/eval.json`` of a ``bench/scale.py robustness`` folder.

    The index size is the run's ``config.index_chunks``; runs older than that field take it from
    the folder's ``robustness.json``, whose rows follow the sizes in ascending order."""
    paths = sorted(folder.glob("size-*/eval.json"), key=lambda p: int(p.parent.name.split("-", 1)[1]))
    summary = folder / "robustness.json"
    listed = json.loads(summary.read_text(encoding="utf-8"))["sizes"] if summary.exists() else []
    runs = []
    for i, path in enumerate(paths):
        run = json.loads(path.read_text(encoding="utf-8"))
        chunks = run.get("config", {}).get("index_chunks")
        size = int(path.parent.name.split("-", 1)[1])
        by_size = {row["size"]: row for row in listed if "size" in row}
        if chunks is None and size in by_size:
            chunks = by_size[size]["index_chunks"]
        elif chunks is None and len(listed) == len(paths) and not by_size:
            chunks = listed[i]["index_chunks"]
        if chunks is None:
            raise SystemExit(f"error: {path} does not record its index size (config.index_chunks) and "
                             f"{summary} does not list it; re-run `bench/scale.py robustness`")
        runs.append((int(chunks), run["rows"]))
    if not runs:
        raise SystemExit(f"error: no size-*/eval.json under {folder}; run `bench/scale.py robustness --pool` first")
    return sorted(runs, key=lambda r: r[0])


def main(argv: list[str] | None = None) -> int:
    from qa.files import atomic_write_text
    from qa.reader.model import WEIGHTS_DIR

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("runs", type=Path, help="a `bench/scale.py robustness --pool` output folder")
    ap.add_argument("--weights", type=Path, default=WEIGHTS_DIR)
    ap.add_argument("--write", action="store_true", help="store the rules in reader_config.json")
    args = ap.parse_args(argv)
    runs = read_runs(args.runs)
    config_path = args.weights / "reader_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    report: dict = {"runs": str(args.runs), "sizes": [n for n, _ in runs], "rules": {}, "by_size": {}}
    for language in sorted({r["lang"] for _, rows in runs for r in rows}):
        per_size = [(n, [r for r in rows if r["lang"] == language]) for n, rows in runs]
        fixed = float(config.get("threshold_en" if language == "en" and "threshold_en" in config else "threshold", 0.0))
        rule, f1 = fit_size_rule(per_size, fixed)
        report["rules"][language] = {**asdict(rule), "mean_f1": round(f1, 4)}
        report["by_size"][language] = [
            {"index_chunks": n, "questions": len(rows), "threshold": round(rule.at(n), 3),
             "f1_rule": round(f1_at_threshold(*row_scores(rows), rule.at(n)), 4),
             "f1_fixed": round(f1_at_threshold(*row_scores(rows), fixed), 4)} for n, rows in per_size]
        report.setdefault("two_fold", {})[language] = two_fold(per_size, fixed)
    print(json.dumps(report, indent=2))
    if args.write:
        config["threshold_by_size"] = {lang: {k: v for k, v in rule.items() if k != "mean_f1"}
                                       for lang, rule in report["rules"].items()}
        config["threshold_by_size_source"] = (f"qa.training.fit_threshold on {args.runs} (index sizes "
                                              f"{', '.join(str(n) for n, _ in runs)}; validation questions)")
        atomic_write_text(config_path, json.dumps(config, indent=2) + "\n")
        print(f"threshold_by_size written to {config_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
