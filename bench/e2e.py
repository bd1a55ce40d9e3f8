"""End to end at scale: build a real index of N chunks, then time `QA.retrieve` and `QA.ask` on it.

    .venv/bin/python bench/e2e.py --sizes 100000,1000000

`bench/latency.py` times FAISS and BM25 alone; this builds the product's whole index (FAISS with the
product's exact/HNSW choice, SQLite store, BM25, chunk languages) through `qa.index.build_index` and
opens it with `QA.load`, as a user would, then asks the 98 questions of `eval/gold.jsonl`.

The chunks are the seed articles (chunked and embedded live) plus the distractor corpus of
`bench/scale.py` (run its `corpus` and `embed` steps first), grown past its real chunks by the
perturbation of `bench/latency.py` (texts and vectors). Two shortcuts, both outside what is timed
at query time: the distractor chunks are already chunk-sized, so each becomes one chunk without
running the chunker's tokenisation (chunking throughput is `bench/indexing.py`'s subject), and their
vectors come from the table instead of the model. Reports, per size: build seconds, index bytes on
disk, RSS after `QA.load`, the load time, `retrieve` p50/p95 (median over `--repeats` passes of the
98 questions, one at a time) and `ask` p50/p95 (one pass). Writes `bench/out/e2e.json`.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import shutil
import statistics
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from latency import corpus_at, rss_mb  # noqa: E402
from scale import OUT as SCALE, CachedEmbedder, load_texts_and_vectors  # noqa: E402
from timing import percentiles, write_report  # noqa: E402


def synthetic_documents(texts: list[str]):
    """One :class:`qa.ingest.Document` per distractor chunk (language detected as ingest does)."""
    from qa.ingest import LANGUAGE_SAMPLE_CHARS, Document
    from qa.language import detect_language

    for i, text in enumerate(texts):
        yield Document(doc_id=f"zz-synthetic-{i:07d}", text=text, title=None, outlet=None, date=None,
                       date_text=None, place=None, url=None, path="synthetic",
                       content_hash=hashlib.sha1(text.encode()).hexdigest(),
                       language=detect_language(text[:LANGUAGE_SAMPLE_CHARS]))


def one_chunk(doc_id: str, text: str, *args, **kwargs):
    """A distractor document is one chunk already; the seeds go through the real chunker."""
    from qa.chunking import Chunk

    if not doc_id.startswith("zz-synthetic-"):
        return REAL_CHUNKER(doc_id, text, *args, **kwargs)
    sentences, start = [], 0
    for part in text.split(". "):
        end = min(len(text), start + len(part) + 1)
        sentences.append((start, end))
        start = end + 1
    return [Chunk(doc_id, 0, text, 0, len(text), sentences)]


REAL_CHUNKER = None


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench_size(size: int, texts, vectors, questions: list[str], work: Path, repeats: int) -> dict:
    global REAL_CHUNKER
    import qa.index as index_module
    from qa.config import Settings
    from qa.embedding import Embedder
    from qa.ingest import read_corpus
    from qa.pipeline import QA

    syn_texts, syn_vecs = corpus_at(size, texts, vectors)
    settings = Settings().model_copy(update={"corpus_dir": ROOT / "seeds", "index_dir": work / "index"})
    embedder = CachedEmbedder(Embedder.from_settings(settings, progress=False), dict(zip(syn_texts, syn_vecs)))
    t0 = time.perf_counter()
    seeds, _ = read_corpus(ROOT / "seeds")
    documents = seeds + list(synthetic_documents(syn_texts))
    language_s = time.perf_counter() - t0
    REAL_CHUNKER, index_module.chunk_document = index_module.chunk_document, one_chunk
    try:
        t0 = time.perf_counter()
        report = index_module.build_index(settings.index_dir, documents, embedder, chunk_tokens=settings.chunk_tokens,
                                          overlap_sentences=settings.chunk_overlap_sentences,
                                          hnsw_threshold=settings.hnsw_threshold, progress=True)
        build_s = time.perf_counter() - t0
    finally:
        index_module.chunk_document = REAL_CHUNKER
    del documents, syn_texts, syn_vecs, embedder
    gc.collect()
    t0 = time.perf_counter()
    qa = QA.load(settings=settings, build_if_missing=False, progress=False)
    qa.reader.warm_up()
    load_s = time.perf_counter() - t0
    qa.ask(questions[0])  # first-call costs (thread pools, caches) out of the timings
    passes = []
    for _ in range(repeats):
        times = []
        for q in questions:
            t = time.perf_counter()
            qa.retrieve(q)
            times.append((time.perf_counter() - t) * 1000)
        passes.append(times)
    retrieve = [statistics.median(p[i] for p in passes) for i in range(len(questions))]
    ask = []
    for q in questions:
        t = time.perf_counter()
        qa.ask(q)
        ask.append((time.perf_counter() - t) * 1000)
    return {"chunks": report.manifest.n_chunks, "faiss": report.manifest.faiss_kind,
            "language_detection_s": round(language_s, 1), "build_s": round(build_s, 1),
            "index_bytes": dir_bytes(settings.index_dir), "load_s": round(load_s, 1), "rss_mb": round(rss_mb()),
            "retrieve_ms": percentiles(retrieve), "ask_ms": percentiles(ask)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100000,1000000", help="distractor chunks per index, comma-separated")
    ap.add_argument("--corpus", type=Path, default=SCALE)
    ap.add_argument("--vectors", type=Path, default=SCALE / "vectors")
    ap.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold.jsonl")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "e2e")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "e2e.json")
    ap.add_argument("--keep", action="store_true", help="keep the built indexes")
    args = ap.parse_args(argv)

    texts, vectors = load_texts_and_vectors(args.corpus, args.vectors)
    questions = [json.loads(line)["question"] for line in open(args.gold, encoding="utf-8") if line.strip()]
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        work = args.work / f"size-{size}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        row = {"distractor_chunks": size, **bench_size(size, texts, vectors, questions, work, args.repeats)}
        rows.append(row)
        print(json.dumps(row), flush=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        write_report(args.out, {"gold": str(args.gold), "real_chunks": len(texts), "sizes": rows})
    print("| chunks | FAISS | build s | index MB | load s | RSS MB | retrieve p50 / p95 ms | ask p50 / p95 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['chunks']:,} | {r['faiss']} | {r['build_s']} | {r['index_bytes'] / 2**20:.0f} | {r['load_s']} | "
              f"{r['rss_mb']} | {r['retrieve_ms']['p50']} / {r['retrieve_ms']['p95']} | "
              f"{r['ask_ms']['p50']} / {r['ask_ms']['p95']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
