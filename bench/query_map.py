"""Study: a linear map of English question vectors toward Indonesian, fitted on parallel sentences.

    .venv/bin/python bench/query_map.py [CHUNKS] [PER_GROUP]     # defaults 10000 500

Both sides of ``../shared/bitext/parallel_en_id.jsonl`` are embedded as queries (cached in
``bench/out/query_map/``); a ridge map ``W`` (toward the identity) sends an English vector to the
mix ``(1 - a) * english + a * indonesian``, or a mean offset is added. English validation questions of
``bench/crosslingual.py`` (glossed English over Indonesian articles, English over English) are mapped,
searched among the distractor chunks, and scored by article recall@5 / MRR@10 with and without the
cross-lingual bonus. ``eval/gold.jsonl`` plays no part. Writes ``bench/out/query_map/maps.json``.
"""
import json
import sys
from pathlib import Path
import numpy as np
ROOT = Path(__file__).resolve().parent.parent; sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / "bench"))
from scale import OUT as SCALE_OUT, CachedEmbedder, load_table
from crosslingual import questions, rankings, score
from qa.config import Settings
from qa.embedding import Embedder
from qa.index import Index, build_index
from qa.ingest import read_corpus
from qa.reader.data import WordTranslator

chunks = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
per_group = int(sys.argv[2]) if len(sys.argv) > 2 else 500
info = json.loads((SCALE_OUT / "corpus.json").read_text())
records = [json.loads(l) for l in open(SCALE_OUT / "articles" / "distractors.jsonl", encoding="utf-8")]
n_articles, total = 0, 0
while total < chunks and n_articles < len(info["chunks_per_article"]):
    total += info["chunks_per_article"][n_articles]; n_articles += 1
work = ROOT / "bench" / "out" / "query_map" / f"xl_{chunks}"
embedder = CachedEmbedder(Embedder.from_settings(Settings(), progress=False), load_table(SCALE_OUT, SCALE_OUT / "vectors"))
(work / "corpus").mkdir(parents=True, exist_ok=True)
if not (work / "index").exists():
    with open(work / "corpus" / "articles.jsonl", "w", encoding="utf-8") as f:
        for r in records[:n_articles]:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    documents, _ = read_corpus(work / "corpus", max_file_mb=1000)
    build_index(work / "index", documents, embedder, chunk_tokens=Settings().chunk_tokens,
                overlap_sentences=Settings().chunk_overlap_sentences, progress=False)
documents, _ = read_corpus(work / "corpus", max_file_mb=1000)
index = Index.open(work / "index", model_id=embedder.model_id)
article_of_doc = {d.doc_id: i for i, d in enumerate(documents)}
article_of = {r["text"]: i for i, r in enumerate(records[:n_articles])}
rows = list(range(index.manifest.n_chunks))
doc_of_row = {r: article_of_doc[c.doc_id] for r, c in zip(rows, index.chunks(rows))}
groups = questions((ROOT.parent / "shared" / "qa-train"), article_of, per_group, 5, WordTranslator.from_bitext((ROOT.parent / "shared" / "bitext")))
E = embedder.inner
Q = {g: E.encode_query([q for q, _ in items]) for g, items in groups.items()}
A = {g: np.array([a for _, a in items]) for g, items in groups.items()}

def evaluate(qv, arts, bonus):
    """Article recall@5 and MRR@10 of English question vectors, dense only (bench/crosslingual.py's scoring)."""
    runs = [(rankings(index, None, q, "en", vector=v), a) for q, v, a in zip(texts, qv, arts)]
    res = score(runs, bonus, (1.0, 0.0), doc_of_row)
    return res["recall@5"], res["mrr@10"]


pairs_dir = ROOT / "bench" / "out" / "query_map"
if not (pairs_dir / "par_id.npy").exists():  # both sides of the parallel sentences, embedded as queries
    pairs = [json.loads(l) for l in open(ROOT.parent / "shared" / "bitext" / "parallel_en_id.jsonl", encoding="utf-8")]
    for side in ("en", "id"):
        np.save(pairs_dir / f"par_{side}.npy", E.encode_query([p[side] for p in pairs], show_progress=True))
X = np.load(pairs_dir / "par_en.npy"); Yid = np.load(pairs_dir / "par_id.npy")
def norm(v): return v / np.linalg.norm(v, axis=1, keepdims=True)
maps = {"identity": None}
d = X.shape[1]; n = len(X)
for alpha in (0.5, 1.0):
    Y = norm((1 - alpha) * X + alpha * Yid)
    for lam_rel in (0.3, 3.0, 30.0):
        lam = lam_rel * n / d
        W = np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ Y + lam * np.eye(d))
        maps[f"ridge a{alpha} l{lam_rel}"] = ("W", W)
    maps[f"offset a{alpha}"] = ("b", alpha * (Yid.mean(0) - X.mean(0)))
out = []
for name, m in maps.items():
    res = {"map": name}
    for g in ("en->id", "en"):
        q, texts = Q[g], [t for t, _ in groups[g]]
        if m is not None:
            q = norm(q @ m[1]) if m[0] == "W" else norm(q + m[1])
        for b in (0.0, 0.03):
            res[f"{g} b{b}"] = evaluate(q.astype(np.float32), A[g], b)
    print(res, flush=True); out.append(res)
json.dump(out, open(work / "maps.json", "w"), indent=1)
