"""Command line: ``qa index``, ``qa retrieve``, ``qa ask``, ``qa eval``.

Every command reads its defaults from :class:`qa.config.Settings` (``QA_*`` variables);
options given on the command line win. Errors are printed as one clear line (exit code 2),
never as a traceback.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from qa.config import RETRIEVAL_MODES, Settings


def _settings(args) -> Settings:
    updates = {}
    for name in ("corpus_dir", "index_dir"):
        value = getattr(args, name, None)
        if value is not None:
            updates[name] = Path(value)
    if getattr(args, "mode", None):
        updates["retrieval_mode"] = args.mode
    if getattr(args, "reader", None):
        updates["reader"] = args.reader
    return Settings().model_copy(update=updates)


def _add_paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", dest="corpus_dir", help="folder of articles (default: QA_CORPUS_DIR or seeds)")
    p.add_argument("--index", dest="index_dir", help="index folder (default: QA_INDEX_DIR or index)")


def _add_question(p: argparse.ArgumentParser, batch: bool = False) -> None:
    if batch:
        p.add_argument("question", nargs="?", help="the question, in Indonesian or English")
        p.add_argument("--questions", metavar="FILE",
                       help="ask every question of FILE instead ('-' = standard input): one question a line, "
                            "or JSON lines with a 'question' field (and an optional 'id') when FILE ends in "
                            ".jsonl; one JSON answer a line is written")
        p.add_argument("--out", metavar="FILE", help="with --questions: write the answers to FILE (atomically) "
                                                      "instead of standard output")
    else:
        p.add_argument("question", help="the question, in Indonesian or English")
    p.add_argument("-k", type=int, default=None, help="number of passages (default: QA_TOP_K or 5)")
    p.add_argument("--mode", choices=RETRIEVAL_MODES, help="retrieval mode (default: hybrid)")
    p.add_argument("--json", action="store_true", help="print JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Tanya Artikel: ask questions about news articles.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="build or update the index (only changed files are embedded)")
    _add_paths(p)
    p.add_argument("--rebuild", action="store_true", help="re-embed everything")

    p = sub.add_parser("retrieve", help="show the best passages for a question")
    _add_paths(p)
    _add_question(p)

    p = sub.add_parser("ask", help="answer a question (or a file of questions) with citations")
    _add_paths(p)
    _add_question(p, batch=True)
    p.add_argument("--reader", help="reader: neural (default), sentence, or a HF QA model name/path")

    try:
        from qa.evaluation.cli import add_eval_parser
    except ImportError:  # the evaluation package is optional at import time
        add_eval_parser = None
    if add_eval_parser is not None:
        add_eval_parser(sub)
    return parser


def cmd_index(args) -> int:
    from qa.embedding import Embedder
    from qa.pipeline import build_corpus_index

    settings = _settings(args)
    report = build_corpus_index(settings, Embedder.from_settings(settings), rebuild=args.rebuild)
    m = report.manifest
    if report.unchanged:
        print(f"Index in {settings.index_dir} is up to date ({m.n_documents} documents, {m.n_chunks} chunks).")
    else:
        print(f"Indexed {m.n_documents} documents into {m.n_chunks} chunks in {report.seconds:.1f}s "
              f"(embedded {report.embedded_documents}, reused {report.reused_documents}, "
              f"removed {report.removed_documents}) -> {settings.index_dir}")
    for w in report.warnings:
        print(f"warning: {w.path}: {w.message}", file=sys.stderr)
    return 0


def cmd_retrieve(args) -> int:
    from qa.pipeline import QA

    qa = QA.load(settings=_settings(args))
    passages = qa.retrieve(args.question, k=args.k, mode=args.mode)
    if args.json:
        from dataclasses import asdict

        print(json.dumps([asdict(p) for p in passages], ensure_ascii=False, indent=2))
        return 0
    for p in passages:
        print(f"#{p.rank}  {p.score:.4f}  {p.doc_id} [chunk {p.chunk_id}, chars {p.start}-{p.end}]")
        print("    " + p.text.replace("\n", " ")[:300])
    return 0


def cmd_ask(args) -> int:
    from qa.pipeline import QA

    if (args.question is None) == (args.questions is None):
        raise ValueError("Give one question, or a file of questions with --questions FILE (not both).")
    if args.out and not args.questions:
        raise ValueError("--out is for --questions FILE; a single answer is printed.")
    if args.questions:
        from qa.batch import ask_file

        return ask_file(args.questions, args.out, k=args.k, mode=args.mode, settings=_settings(args))
    qa = QA.load(settings=_settings(args))
    answer = qa.ask(args.question, k=args.k, mode=args.mode)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if not answer.found:
        print(answer.message)
        if answer.passages:
            p = answer.passages[0]
            print(f"Closest passage: {p.doc_id}: {p.text[:200]}")
        return 0
    print(answer.text + (f"  ({answer.english})" if answer.english else ""))
    for c in answer.citations:
        print(f"Source: {c.outlet or '?'}, {c.date or '?'}, {c.doc_id} (chars {c.answer_start}-{c.answer_end})")
        print(f"  \"{c.sentence}\"")
    print(f"[reader: {answer.reader}, score {answer.score:.3f}, {answer.latency_ms:.0f} ms]")
    return 0


COMMANDS = {"index": cmd_index, "retrieve": cmd_retrieve, "ask": cmd_ask}


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    handler = COMMANDS.get(args.command) or getattr(args, "handler", None)
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except (ValueError, FileNotFoundError, RuntimeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
