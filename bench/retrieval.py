"""Benchmark the retrieval backbone (dense, BM25, hybrid) on the seed articles.

Builds the index for ``seeds/`` into a temporary folder (index build time), then for every
answerable question of ``eval/gold.jsonl`` retrieves k=10 passages per mode and scores the
passage holding the gold evidence sentence: recall@1/3/5, MRR@10 and doc_recall@5, overall
and by question language, plus ``retrieve`` latency p50/p95. Scoring reuses
:mod:`qa.evaluation` (``runner.retrieval_row``, ``metrics.retrieval_summary``), so the numbers
match ``qa eval``.

Usage: .venv/bin/python bench/retrieval.py [--gold eval/gold.jsonl] [--corpus seeds] [--repeat 1]
Prints a Markdown table and writes bench/out/retrieval.json.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.config import RETRIEVAL_MODES, Settings  # noqa: E402
from qa.evaluation import metrics as M  # noqa: E402
from qa.evaluation.gold import read_gold  # noqa: E402
from qa.evaluation.report import fmt, table, to_json  # noqa: E402
from qa.evaluation.runner import retrieval_row  # noqa: E402
from qa.files import atomic_write_text  # noqa: E402

OUT = ROOT / "bench" / "out" / "retrieval.json"
METRICS = ("recall@1", "recall@3", "recall@5", "mrr@10", "doc_recall@5")


def build(corpus: Path, index_dir: Path) -> tuple[object, dict]:
    """Load the embedder, build the index from scratch and open a QA on it; returns (qa, timings)."""
    from qa.embedding import Embedder
    from qa.index import Index
    from qa.pipeline import QA, build_corpus_index
    from qa.reader import make_reader

    settings = Settings().model_copy(update={"corpus_dir": corpus, "index_dir": index_dir})
    t0 = time.perf_counter()
    embedder = Embedder.from_settings(settings, progress=False)
    embedder.warm_up()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = build_corpus_index(settings, embedder, rebuild=True, progress=False)
    build_s = time.perf_counter() - t0
    index = Index.open(index_dir, model_id=embedder.model_id)
    m = report.manifest
    timings = {"model_load_s": load_s, "index_build_s": build_s, "n_documents": m.n_documents,
               "n_chunks": m.n_chunks, "chunk_tokens": settings.chunk_tokens}
    return QA(settings, index, embedder, make_reader("sentence")), timings


def figures(rows: list[dict]) -> dict:
    """Retrieval summary plus ``retrieve`` latency of some rows."""
    out = M.retrieval_summary(rows)
    out["latency_ms"] = M.latency_summary([r["retrieve_ms"] for r in rows])
    return out


def bench_mode(qa, questions, mode: str, repeat: int) -> dict:
    """Retrieval figures of one mode, overall and by language, with latency."""
    qa.retrieve(questions[0].question, k=10, mode=mode)  # warm-up (lazy loads), not timed
    rows = []
    for item in questions:
        row = {"id": item.id, "lang": item.lang}
        row.update(retrieval_row(qa, item, mode))
        for _ in range(repeat - 1):
            row["retrieve_ms"] = min(row["retrieve_ms"], retrieval_row(qa, item, mode)["retrieve_ms"])
        rows.append(row)
    result = figures(rows)
    result["by_lang"] = M.group_by(rows, "lang", figures)
    result["ranks"] = {r["id"]: r["evidence_rank"] for r in rows}
    return result


def markdown(results: dict) -> str:
    """The table of every mode × language."""
    rows = []
    for mode, res in results["modes"].items():
        for lang, figures in [("all", res)] + sorted(res["by_lang"].items()):
            rows.append([f"`{mode}`", lang, figures["n"]] + [figures[k] for k in METRICS]
                        + [fmt(figures["latency_ms"]["p50"], 1), fmt(figures["latency_ms"]["p95"], 1)])
    return table(["mode", "questions", "n", "R@1", "R@3", "R@5", "MRR@10", "doc R@5", "p50 ms", "p95 ms"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(ROOT / "eval" / "gold.jsonl"))
    parser.add_argument("--corpus", default=str(ROOT / "seeds"))
    parser.add_argument("--repeat", type=int, default=1, help="time each query this many times (min is kept)")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    questions = [q for q in read_gold(args.gold).questions if q.answerable and q.evidence]
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        qa, timings = build(Path(args.corpus), Path(tmp) / "index")
        results = {"gold": args.gold, "corpus": args.corpus, "k": 10, "n_questions": len(questions), **timings,
                   "modes": {mode: bench_mode(qa, questions, mode, max(1, args.repeat)) for mode in RETRIEVAL_MODES}}
    print(f"Index: {timings['n_documents']} documents, {timings['n_chunks']} chunks "
          f"(chunk_tokens {timings['chunk_tokens']}), built in {timings['index_build_s']:.1f} s "
          f"(model load {timings['model_load_s']:.1f} s).\n")
    print(markdown(results))
    atomic_write_text(Path(args.out), to_json(results))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
