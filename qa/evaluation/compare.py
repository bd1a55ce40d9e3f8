"""Whether two ``qa eval --json`` runs gave the same answers, question by question.

For refactors that must not change behaviour::

    qa eval --gold eval/gold.jsonl --json before.json     # on the old commit
    qa eval --gold eval/gold.jsonl --json after.json      # on the new one
    python -m qa.evaluation.compare before.json after.json

A question counts as the same when its answer text, its answered / "not found" decision and its
retrieved passages are equal and its score is within ``--tolerance``. Exit status 0 when every
question is the same, 1 otherwise (the differing questions are listed).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

FIELDS = ("predicted", "found", "retrieved")


def load_rows(path: Path) -> dict[str, dict]:
    """The per-question rows of a ``qa eval --json`` file, by question id."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        return {str(row["id"]): row for row in document["rows"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path} is not a `qa eval --json` report ({exc}); write one with "
                         "`qa eval --gold FILE --json PATH`") from exc


def differences(before: dict[str, dict], after: dict[str, dict], tolerance: float = 1e-4) -> list[str]:
    """One line per question whose answer, decision, passages or score differ (or that one run lacks)."""
    lines = []
    for qid in sorted(set(before) | set(after)):
        if qid not in before or qid not in after:
            lines.append(f"{qid}: only in {'after' if qid not in before else 'before'}")
            continue
        a, b = before[qid], after[qid]
        changed = [f for f in FIELDS if a.get(f) != b.get(f)]
        sa, sb = a.get("score"), b.get("score")
        if (sa is None) != (sb is None) or (sa is not None and abs(float(sa) - float(sb)) > tolerance):
            changed.append("score")
        if changed:
            detail = "; ".join(f"{f}: {a.get(f)!r} -> {b.get(f)!r}" for f in changed if f != "retrieved")
            lines.append(f"{qid}: {', '.join(changed)} differ" + (f" ({detail})" if detail else ""))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m qa.evaluation.compare", description=__doc__.split("\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--tolerance", type=float, default=1e-4, help="largest score difference still 'the same'")
    args = ap.parse_args(argv)
    try:
        before, after = load_rows(args.before), load_rows(args.after)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lines = differences(before, after, args.tolerance)
    same = len(set(before) | set(after)) - len(lines)
    print(f"{args.before.name}: {same} of {len(set(before) | set(after))} questions the same"
          + (":" if lines else "."))
    for line in lines:
        print("  " + line)
    return 0 if not lines else 1


if __name__ == "__main__":
    raise SystemExit(main())
