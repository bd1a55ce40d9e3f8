"""Question embedding and retrieval latency: PyTorch vs the ONNX Runtime question encoder.

    .venv/bin/python bench/query_latency.py [--index DIR --corpus DIR] [--repeats 5]

Embeds each of the 98 gold questions alone (as ``QA.ask`` does) with both engines, then times
``QA.retrieve`` (hybrid, k=5) for each question on the index (default: the seed index), engine by
engine. Each figure is the median over ``--repeats`` passes of the per-pass p50/p95. Also
reports the lowest cosine between the two engines' vectors. Prints a table and writes
``bench/out/query_latency.json``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import ROOT, timed, write_report  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "seeds")
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold.jsonl")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "query_latency.json")
    args = ap.parse_args(argv)

    import numpy as np

    from qa.config import Settings
    from qa.pipeline import QA

    questions = [json.loads(line)["question"] for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    results: dict = {"questions": len(questions), "index": str(args.index), "engines": {}}
    vectors = {}
    for engine in ("torch", "onnx"):
        settings = Settings().model_copy(update={"corpus_dir": args.corpus, "index_dir": args.index,
                                                 "query_engine": engine, "reader": "sentence"})
        qa = QA.load(settings=settings, progress=False)
        for q in questions[:5]:  # warm-up
            qa.retrieve(q)
        vectors[engine] = qa.embedder.encode_query(questions)
        row = {"encode_query": timed(lambda q: qa.embedder.encode_query([q]), questions, args.repeats),
               "retrieve_hybrid_k5": timed(lambda q: qa.retrieve(q, k=5, mode="hybrid"), questions, args.repeats),
               "chunks": len(qa.index)}
        results["engines"][engine] = row
    results["min_cosine_onnx_vs_torch"] = round(float(np.min((vectors["onnx"] * vectors["torch"]).sum(axis=1))), 6)
    print(f"{'engine':<8}{'encode p50':>12}{'encode p95':>12}{'retrieve p50':>14}{'retrieve p95':>14}")
    for engine, row in results["engines"].items():
        e, r = row["encode_query"], row["retrieve_hybrid_k5"]
        print(f"{engine:<8}{e['p50_ms']:>12.1f}{e['p95_ms']:>12.1f}{r['p50_ms']:>14.1f}{r['p95_ms']:>14.1f}")
    print(f"lowest cosine onnx vs torch: {results['min_cosine_onnx_vs_torch']}")
    write_report(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
