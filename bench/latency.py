"""Retrieval components at 1k → 1M chunks: FAISS exact vs HNSW, and BM25 (bm25s).

    .venv/bin/python bench/latency.py --sizes 1000,10000,100000,1000000

Uses the distractor corpus of ``bench/scale.py`` (run its ``corpus`` and ``embed`` steps first):
29,784 real chunks with their real mE5-small vectors. Larger sizes are made by perturbation, as
the scale issue allows: synthetic chunk *i* gets the vector ``normalise(0.7·v_a + 0.3·v_b + 0.05·g)``
of two random real chunks ``a``, ``b`` and Gaussian noise ``g``, and the text of chunk ``a`` with
its sentences shuffled together with a few sentences of chunk ``b`` (so BM25 sees realistic term
statistics and no exact duplicates). Queries are the 98 questions of ``eval/gold.jsonl``, embedded
with the real query prompt.

For each size: FAISS ``IndexFlatIP`` (exact) and ``IndexHNSWFlat`` with the product's parameters
(M 32, efConstruction 80, efSearch 128): build seconds, search p50/p95 (k=10, one query at a time,
as the product searches), recall@10 of HNSW against exact, bytes on disk; BM25 with the product's
analyser: build seconds, query p50/p95, bytes on disk; the process RSS after each size. Every
latency is the median over ``--repeats`` passes of the 98 queries. Writes JSON and prints a table.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from timing import median_ms, percentiles, write_report  # noqa: E402

SCALE = ROOT / "bench" / "out" / "scale"


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def corpus_at(size: int, texts: list[str], vectors: np.ndarray, seed: int = 11) -> tuple[list[str], np.ndarray]:
    """``size`` chunks: the real ones first, then perturbed mixtures (see module docstring)."""
    n_real = min(size, len(texts))
    out_texts = texts[:n_real]
    out_vecs = [vectors[:n_real]]
    extra = size - n_real
    if extra > 0:
        rng = np.random.default_rng(seed)
        pyrng = random.Random(seed)
        a = rng.integers(0, len(texts), extra)
        b = rng.integers(0, len(texts), extra)
        for s in range(0, extra, 100_000):
            sa, sb = a[s:s + 100_000], b[s:s + 100_000]
            mix = 0.7 * vectors[sa] + 0.3 * vectors[sb] + 0.05 * rng.standard_normal((len(sa), vectors.shape[1]),
                                                                                     dtype=np.float32)
            out_vecs.append(mix / np.linalg.norm(mix, axis=1, keepdims=True))
        split = [t.split(". ") for t in texts]
        for i, j in zip(a, b):
            words = split[i] + pyrng.sample(split[j], min(2, len(split[j])))
            pyrng.shuffle(words)
            out_texts.append(". ".join(words))
    return out_texts, np.concatenate(out_vecs).astype(np.float32)


def timed_queries(fn, queries, repeats: int) -> dict:
    """p50/p95 in ms of ``fn(query)`` over the queries; per query the median of ``repeats`` runs."""
    return percentiles([median_ms(fn, q, repeats) for q in queries], digits=3)


def disk_bytes(write) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        write(Path(tmp))
        return sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())


def bench_size(size: int, texts, vectors, query_vecs, questions, repeats: int, skip_hnsw_above: int,
               ef_search: tuple[int, ...] = (), skip_bm25: bool = False) -> dict:
    import faiss

    from qa.index import make_faiss_index
    from qa.lexical import BM25Index

    row: dict = {"chunks": size}
    t_texts, t_vecs = corpus_at(size, texts, vectors)
    t0 = time.perf_counter()
    flat, _ = make_faiss_index(t_vecs, hnsw_threshold=size + 1)
    row["flat_build_s"] = round(time.perf_counter() - t0, 2)
    row["flat_search_ms"] = timed_queries(lambda q: flat.search(q[None, :], 10), query_vecs, repeats)
    row["flat_bytes"] = disk_bytes(lambda d: faiss.write_index(flat, str(d / "f.faiss")))
    exact = flat.search(query_vecs, 10)[1]
    del flat
    if size <= skip_hnsw_above:
        t0 = time.perf_counter()
        hnsw, kind = make_faiss_index(t_vecs, hnsw_threshold=0)
        row["hnsw_build_s"] = round(time.perf_counter() - t0, 2)
        default_ef = hnsw.hnsw.efSearch
        for ef in sorted({default_ef, *ef_search}):
            hnsw.hnsw.efSearch = ef
            suffix = "" if ef == default_ef else f"_ef{ef}"
            row["hnsw_search_ms" + suffix] = timed_queries(lambda q: hnsw.search(q[None, :], 10), query_vecs, repeats)
            approx = hnsw.search(query_vecs, 10)[1]
            row["hnsw_recall@10_vs_exact" + suffix] = round(float(np.mean([len(set(e) & set(a)) / 10
                                                                         for e, a in zip(exact, approx)])), 4)
        hnsw.hnsw.efSearch = default_ef
        row["hnsw_bytes"] = disk_bytes(lambda d: faiss.write_index(hnsw, str(d / "h.faiss")))
        del hnsw
    del t_vecs
    gc.collect()
    row["rss_mb"] = round(rss_mb(), 0)
    if skip_bm25:
        return row
    t0 = time.perf_counter()
    bm25 = BM25Index.build(t_texts, show_progress=False)
    row["bm25_build_s"] = round(time.perf_counter() - t0, 2)
    row["bm25_search_ms"] = timed_queries(lambda q: bm25.search(q, 10), questions, repeats)
    row["bm25_bytes"] = disk_bytes(lambda d: bm25.save(d / "bm25"))
    row["rss_mb"] = round(rss_mb(), 0)
    del bm25, t_texts
    gc.collect()
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--skip-hnsw-above", type=int, default=10**9, help="sizes above this get exact search only")
    ap.add_argument("--ef-search", default="", help="also measure HNSW at these efSearch values, e.g. 256,512")
    ap.add_argument("--skip-bm25", action="store_true")
    ap.add_argument("--scale", type=Path, default=SCALE, help="output folder of bench/scale.py")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "latency.json")
    args = ap.parse_args(argv)
    import faiss
    import torch

    from qa.config import Settings
    from qa.embedding import Embedder
    from qa.evaluation.gold import read_gold

    from scale import load_texts_and_vectors

    texts, vectors = load_texts_and_vectors(args.scale, args.scale / "vectors")
    questions = [q.question for q in read_gold(ROOT / "eval" / "gold.jsonl").questions]
    embedder = Embedder.from_settings(Settings(), progress=False)
    query_vecs = embedder.encode_query(questions).astype(np.float32)
    machine = {"cpu_count": os.cpu_count(), "faiss_threads": faiss.omp_get_max_threads(),
               "torch_threads": torch.get_num_threads()}
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        row = bench_size(size, texts, vectors, query_vecs, questions, args.repeats, args.skip_hnsw_above,
                         tuple(int(e) for e in args.ef_search.split(",") if e), args.skip_bm25)
        rows.append(row)
        print(json.dumps(row), flush=True)
        write_report(args.json, {"machine": machine, "real_chunks": len(texts), "sizes": rows})
    print("\n| chunks | flat p50 ms | HNSW p50 ms | HNSW recall@10 | HNSW build s | BM25 p50 ms | BM25 build s "
          "| FAISS flat MB | HNSW MB | BM25 MB | RSS MB |")
    print("|---" * 11 + "|")
    for r in rows:
        mb = lambda k: f"{r[k] / 2**20:.0f}" if k in r else "–"  # noqa: E731
        print(f"| {r['chunks']:,} | {r['flat_search_ms']['p50']} | {r.get('hnsw_search_ms', {}).get('p50', '–')} "
              f"| {r.get('hnsw_recall@10_vs_exact', '–')} | {r.get('hnsw_build_s', '–')} "
              f"| {r.get('bm25_search_ms', {}).get('p50', '–')} | {r.get('bm25_build_s', '–')} | {mb('flat_bytes')} "
              f"| {mb('hnsw_bytes')} | {mb('bm25_bytes')} | {r['rss_mb']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
