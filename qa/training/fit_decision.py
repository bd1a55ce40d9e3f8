"""Fits the weights of the "not found" decision (:mod:`qa.reader.decision`) on validation pools.

A cost-weighted logistic regression (an answerable question pulls toward answering with the weight
of its best span's F1, an unanswerable one toward declining with weight 1), rescaled so the margin
keeps weight 1; then each language's threshold is re-tuned on its pool::

    python -m qa.training.fit_decision collect --data ../shared/qa-train --pool indonesian --out ROWS.json
    python -m qa.training.fit_decision fit bench/out/decision/*.json [--write]

``eval/gold.jsonl`` is never used here.
"""
from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

import numpy as np

from qa.reader.decision import FEATURES, decision_score


def _matrix(rows: list[dict]) -> np.ndarray:
    return np.array([[r["margin"]] + [r["features"][f] for f in FEATURES] for r in rows], dtype=float)


def fit_weights(rows: list[dict], l2: float = 1e-2, steps: int = 3000) -> dict[str, float]:
    """Cost-weighted logistic regression of answer-vs-decline; weights in margin units."""
    x = _matrix(rows)
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / std
    y = np.array([1.0 if r["answerable"] else 0.0 for r in rows])
    w = np.array([max(r["candidate_f1"], 1e-3) if r["answerable"] else 1.0 for r in rows])
    theta = np.zeros(z.shape[1])
    bias = 0.0
    for _ in range(steps):  # plain gradient descent: a few hundred rows, five features
        p = 1.0 / (1.0 + np.exp(-(z @ theta + bias)))
        g = w * (p - y)
        theta -= 0.5 * (z.T @ g / w.sum() + l2 * theta)
        bias -= 0.5 * g.sum() / w.sum()
    coef = theta / std  # back to raw feature units
    if coef[0] <= 0:
        raise ValueError("The fitted decision gives the margin no positive weight; the rows look wrong.")
    return {name: round(float(c / coef[0]), 4) for name, c in zip(FEATURES, coef[1:])}


def best_language_threshold(rows: list[dict], weights: dict[str, float] | None) -> tuple[float, float]:
    """The threshold on the decision score that maximises F1 over ``rows``, and that F1."""
    from qa.evaluation.metrics import best_threshold

    scores = [decision_score(r["margin"], r["features"], weights) for r in rows]
    best = best_threshold(scores, [r["candidate_f1"] for r in rows], [r["answerable"] for r in rows])
    threshold = best["threshold"] if best["threshold"] is not None else max(scores) + 1.0
    return float(threshold) - 1e-6, float(best["f1"])


def rates(rows: list[dict], weights: dict[str, float] | None, threshold: float) -> dict[str, float]:
    """F1, answerable questions declined and unanswerable ones answered, at ``threshold``."""
    f1, declined, answered = [], [], []
    for r in rows:
        found = decision_score(r["margin"], r["features"], weights) > threshold
        if r["answerable"]:
            f1.append(r["candidate_f1"] if found else 0.0)
            declined.append(not found)
        else:
            f1.append(float(not found))
            answered.append(found)
    mean = lambda xs: round(float(np.mean(xs)), 4) if xs else None  # noqa: E731
    return {"n": len(rows), "f1": mean(f1), "answerable_declined": mean(declined), "unanswerable_answered": mean(answered)}


def fold_of(row: dict) -> int:
    return zlib.crc32(str(row["id"]).encode()) % 2


def fit_report(rows: list[dict], baseline: dict[str, float]) -> dict:
    """Weights on all rows, per-language thresholds, and a two-fold check against the margin alone
    at the thresholds now configured (``baseline``: language → threshold)."""
    weights = fit_weights(rows)
    report: dict = {"weights": weights, "languages": {}}
    for lang in sorted({r["lang"] for r in rows}):
        mine = [r for r in rows if r["lang"] == lang]
        threshold, _ = best_language_threshold(mine, weights)
        folds = []
        for k in (0, 1):  # fit on one half, score the other
            train = [r for r in rows if fold_of(r) != k]
            test = [r for r in mine if fold_of(r) == k]
            w = fit_weights(train)
            t, _ = best_language_threshold([r for r in train if r["lang"] == lang], w)
            folds.append((test, w, t))
        out_of_fold = [r for test, w, t in folds for r in test]
        found = {id(r): decision_score(r["margin"], r["features"], w) > t for test, w, t in folds for r in test}
        oof_f1 = np.mean([(r["candidate_f1"] if found[id(r)] else 0.0) if r["answerable"] else float(not found[id(r)])
                          for r in out_of_fold])
        report["languages"][lang] = {
            "threshold": round(threshold, 4),
            "margin_only_at_configured_threshold": rates(mine, None, baseline.get(lang, -1.6896)),
            "decision_in_sample": rates(mine, weights, threshold),
            "decision_out_of_fold_f1": round(float(oof_f1), 4),
        }
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m qa.training.fit_decision", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("collect", help="answer a validation pool through the pipeline and write its rows")
    c.add_argument("--data", type=Path, required=True, help="the qa-train folder")
    c.add_argument("--pool", choices=("indonesian", "english"), required=True,
                   help="indonesian: idkmrc_valid + tydiqa_id_valid (--limit each); english: the 222 hand-translated")
    c.add_argument("--limit", type=int, default=200)
    c.add_argument("--weights", type=Path, default=None)
    c.add_argument("--out", type=Path, required=True)
    f = sub.add_parser("fit", help="fit the decision weights and thresholds on collected rows")
    f.add_argument("rows", type=Path, nargs="+")
    f.add_argument("--weights", type=Path, default=None, help="reader weights folder to write into")
    f.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    if args.command == "collect":
        from qa.training.calibrate import collect_pool

        rows = collect_pool(args.data, args.pool, args.limit, args.weights)
        from qa.files import atomic_write_text

        args.out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(args.out, json.dumps(rows) + "\n")
        print(f"wrote {len(rows)} rows to {args.out}")
        return 0
    rows = [r for path in args.rows for r in json.loads(path.read_text())]
    if not rows:
        print("error: no rows in the given files", file=sys.stderr)
        return 2
    from qa.reader.model import WEIGHTS_DIR, read_config

    weights_dir = args.weights or WEIGHTS_DIR
    config = read_config(weights_dir)
    from qa.reader.threshold import size_rule

    baseline = {lang: (size_rule(config, lang).threshold if size_rule(config, lang) else float(config["threshold"]))
                for lang in ("id", "en")}
    report = fit_report(rows, baseline)
    print(json.dumps(report, indent=2))
    if args.write:
        from qa.files import atomic_write_text

        config["decision_weights"] = report["weights"]
        for lang, info in report["languages"].items():
            config.setdefault("threshold_by_size", {}).setdefault(lang, {})["threshold"] = info["threshold"]
        config["decision_source"] = ("qa.training.fit_decision fit on " + ", ".join(p.name for p in args.rows))
        atomic_write_text(Path(weights_dir) / "reader_config.json", json.dumps(config, indent=2) + "\n")
        print(f"decision written to {Path(weights_dir) / 'reader_config.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
