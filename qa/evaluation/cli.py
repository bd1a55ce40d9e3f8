"""The ``qa eval`` subcommand.

    qa eval --gold eval/gold.jsonl --config mode=dense --config mode=hybrid,reader=sentence \\
        --out eval/out --json eval/out/results.json
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_eval_parser(sub) -> argparse.ArgumentParser:
    """Register ``eval`` on the ``qa`` subparsers (sets ``handler`` to :func:`cmd_eval`)."""
    p = sub.add_parser(
        "eval", help="score the system on a gold file (open-corpus or reading-comprehension)",
        description="Evaluate on a gold JSON Lines file. The kind is detected from the lines: open-corpus "
        "questions (with doc/evidence) are answered from the indexed corpus; reading-comprehension "
        "questions (with context) are answered by the reader alone. See eval/README.md.")
    p.add_argument("--gold", required=True, help="gold JSON Lines file (e.g. eval/gold.jsonl)")
    p.add_argument("--corpus", dest="corpus_dir", help="folder of articles (default: QA_CORPUS_DIR or seeds)")
    p.add_argument("--index", dest="index_dir", help="index folder (default: QA_INDEX_DIR or index)")
    p.add_argument("--config", action="append", metavar="KEY=VALUE[,KEY=VALUE…]",
                   help="a configuration to evaluate; repeat to compare several. Keys: mode, reader, top_k "
                   "or any Settings field (e.g. --config mode=bm25 --config mode=hybrid,reader=sentence,top_k=3)")
    p.add_argument("--limit", type=int, help="evaluate only the first N questions")
    p.add_argument("--out", help="folder for report.md and the PNG plots")
    p.add_argument("--json", dest="json_path", help="write all figures and per-question rows to this JSON file")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.set_defaults(handler=cmd_eval)
    return p


def cmd_eval(args) -> int:
    """Run ``qa eval``; returns the exit code (errors propagate as exceptions with clear messages)."""
    from qa.config import Settings
    from qa.evaluation.gold import KIND_NAMES, read_gold
    from qa.evaluation.report import comparison_table, write_outputs
    from qa.evaluation.runner import evaluate, parse_configs

    configs = parse_configs(args.config)  # fail on a bad --config before reading anything
    gold = read_gold(args.gold, limit=args.limit)
    updates = {}
    for name in ("corpus_dir", "index_dir"):
        value = getattr(args, name, None)
        if value is not None:
            updates[name] = Path(value)
    if updates and gold.kind == "reading":
        print("note: --corpus/--index are not used for reading-comprehension gold (no retrieval).",
              file=sys.stderr)
    base = Settings().model_copy(update=updates)
    progress = not args.no_progress
    print(f"Evaluating {len(gold)} {KIND_NAMES[gold.kind]} questions from {gold.path} "
          f"with {len(configs)} config(s)…", file=sys.stderr)
    document = evaluate(gold, configs, base, progress=progress)
    print(comparison_table(document))
    written = write_outputs(document, out_dir=args.out, json_path=args.json_path)
    for path in written:
        if path.suffix in (".md", ".json"):
            print(f"wrote {path}", file=sys.stderr)
    return 0
