"""The "not found" threshold as a function of the index's size and the question's language.

The more chunks an index holds, the more look-alike passages reach the top 5, and the higher the
best wrong span of an unanswerable question scores. One threshold tuned on a few hundred
contexts is therefore too permissive at 30k chunks (README, "Performance at scale"). A
:class:`SizeRule` moves the threshold linearly in ``log10(chunks)``::

    threshold(n) = threshold + per_decade * log10(clamp(n, min_chunks, max_chunks) / reference_chunks)

and is clamped to the range of index sizes it was fitted on (no extrapolation). Rules are fitted
per language by :func:`fit_size_rule` on open-corpus validation runs of several sizes
(``bench/scale.py robustness --pool``) and stored in ``reader_config.json`` under
``threshold_by_size``::

    python -m qa.reader.threshold bench/out/scale/valid_pool [--write]

The gold questions of ``eval/gold.jsonl`` are never used here.
"""
from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from qa.evaluation.metrics import f1_at_threshold

REFERENCE_CHUNKS = 1000
INTERCEPTS = [round(-4.0 + 0.1 * i, 1) for i in range(121)]   # -4 … 8 logits at the reference size
SLOPES = [round(-1.0 + 0.1 * i, 1) for i in range(51)]        # -1 … 4 logits per decade of chunks


@dataclass(frozen=True)
class SizeRule:
    """``threshold`` at ``reference_chunks``, moving ``per_decade`` per tenfold index size,
    with sizes clamped to ``[min_chunks, max_chunks]`` (those it was fitted on)."""

    threshold: float
    per_decade: float
    min_chunks: int
    max_chunks: int
    reference_chunks: int = REFERENCE_CHUNKS

    def at(self, n_chunks: int) -> float:
        """The threshold for an index of ``n_chunks`` chunks."""
        n = min(max(int(n_chunks), self.min_chunks, 1), self.max_chunks)
        return self.threshold + self.per_decade * math.log10(n / self.reference_chunks)

    @classmethod
    def from_config(cls, value: dict) -> "SizeRule":
        """Read a rule from its ``reader_config.json`` form (a clear error when malformed)."""
        try:
            return cls(threshold=float(value["threshold"]), per_decade=float(value["per_decade"]),
                       min_chunks=int(value["min_chunks"]), max_chunks=int(value["max_chunks"]),
                       reference_chunks=int(value.get("reference_chunks", REFERENCE_CHUNKS)))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"Malformed threshold_by_size rule {value!r} in reader_config.json ({exc}); "
                             "expected threshold, per_decade, min_chunks, max_chunks. Re-fit it with "
                             "`python -m qa.reader.threshold RUNS --write`.") from exc


def size_rule(config: dict, language: str) -> SizeRule | None:
    """The size rule of ``config`` (a ``reader_config.json``) for ``language``, if it has one."""
    rules = config.get("threshold_by_size") or {}
    value = rules.get(language)
    return SizeRule.from_config(value) if value else None


# ------------------------------------------------------------------ fitting
def _scores(rows: list[dict]) -> tuple[list[float], list[float], list[bool]]:
    """(best span score, its F1, answerable) of ``qa eval`` rows; a row without a candidate never answers."""
    scores = [r["score"] if r.get("score") is not None and r.get("candidate") else -math.inf for r in rows]
    return scores, [r.get("candidate_f1") or 0.0 for r in rows], [bool(r["answerable"]) for r in rows]


def fit_size_rule(runs: list[tuple[int, list[dict]]]) -> tuple[SizeRule, float]:
    """The rule that maximises the mean F1 over ``runs`` (``(index chunks, rows)``, one language).

    A grid over the threshold at the reference size and the slope per decade; every run weighs
    the same whatever its number of questions. Ties keep the smallest slope, then the lowest
    threshold. Returns the rule and its mean F1.
    """
    if not runs:
        raise ValueError("fit_size_rule needs at least one run")
    sizes = [n for n, _ in runs]
    data = [(n, *_scores(rows)) for n, rows in runs]
    best: tuple[float, SizeRule] | None = None
    for slope in sorted(SLOPES, key=abs) if len(set(sizes)) > 1 else [0.0]:
        for intercept in INTERCEPTS:
            rule = SizeRule(intercept, slope, min(sizes), max(sizes))
            f1 = sum(f1_at_threshold(s, f, a, rule.at(n)) for n, s, f, a in data) / len(data)
            if best is None or f1 > best[0] + 1e-12:
                best = (f1, rule)
    return best[1], best[0]


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
    from qa.index import atomic_write_text
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
        rule, f1 = fit_size_rule(per_size)
        fixed = config.get("threshold_en" if language == "en" and "threshold_en" in config else "threshold", 0.0)
        report["rules"][language] = {**asdict(rule), "mean_f1": round(f1, 4)}
        report["by_size"][language] = [
            {"index_chunks": n, "questions": len(rows), "threshold": round(rule.at(n), 3),
             "f1_rule": round(f1_at_threshold(*_scores(rows), rule.at(n)), 4),
             "f1_fixed": round(f1_at_threshold(*_scores(rows), fixed), 4)} for n, rows in per_size]
    print(json.dumps(report, indent=2))
    if args.write:
        config["threshold_by_size"] = {lang: {k: v for k, v in rule.items() if k != "mean_f1"}
                                       for lang, rule in report["rules"].items()}
        config["threshold_by_size_source"] = (f"qa.reader.threshold on {args.runs} (index sizes "
                                              f"{', '.join(str(n) for n, _ in runs)}; validation questions)")
        atomic_write_text(config_path, json.dumps(config, indent=2) + "\n")
        print(f"threshold_by_size written to {config_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
