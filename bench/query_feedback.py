"""Study: pseudo-relevance feedback for English questions (not in the product).

    .venv/bin/python bench/crosslingual.py --data ../shared/qa-train --bitext ../shared/bitext --chunks 10000
    .venv/bin/python bench/query_feedback.py --data ../shared/qa-train --bitext ../shared/bitext

Uses the 10k-chunk index and the question groups of ``bench/crosslingual.py`` (run it first). For
each English question the dense ranking with the product's cross-lingual bonus (0.03) is computed;
then the question vector moves toward the mean of the first ``m`` passages in the other language
among the top 5 (``q + alpha * mean``, renormalised) and the ranking is redone. ``when``: ``always``
(whenever such passages exist) or ``top1`` (only when the first passage is already in the other
language). Prints article recall@5 / MRR@10 per group and variant; ``eval/gold.jsonl`` plays no part.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import crosslingual  # noqa: E402
from scale import OUT as SCALE_OUT  # noqa: E402

BONUS = 0.03  # qa.retrieval.CROSS_LINGUAL_BONUS["en"]
VARIANTS = [(0, 0.0, "always"), (3, 0.3, "always"), (3, 0.5, "always"), (1, 0.3, "top1"), (3, 0.3, "top1"),
            (3, 0.5, "top1")]


def main(argv: list[str] | None = None) -> int:
    from qa.config import Settings
    from qa.embedding import Embedder
    from qa.index import Index
    from qa.ingest import read_corpus
    from qa.reader.data import WordTranslator

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--bitext", type=Path, required=True)
    ap.add_argument("--per-group", type=int, default=300)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args(argv)
    work = ROOT / "bench" / "out" / "crosslingual"
    if not (work / "index" / "manifest.json").exists():
        raise SystemExit("error: run bench/crosslingual.py first (it builds the index this study reads)")
    records = [json.loads(line) for line in open(SCALE_OUT / "articles" / "distractors.jsonl", encoding="utf-8")]
    documents, _ = read_corpus(work / "corpus", max_file_mb=1000)
    embedder = Embedder.from_settings(Settings(), progress=False)
    index = Index.open(work / "index", model_id=embedder.model_id)
    article_of_doc = {d.doc_id: i for i, d in enumerate(documents)}
    rows = list(range(len(index)))
    doc_of_row = {row: article_of_doc[c.doc_id] for row, c in zip(rows, index.chunks(rows))}
    vectors = np.stack([index.faiss.reconstruct(i) for i in rows]).astype(np.float32)
    other = np.asarray(index.languages[:len(rows)]) != "en"
    groups = crosslingual.questions(args.data, {r["text"]: i for i, r in enumerate(records[:len(documents)])},
                                    args.per_group, args.seed, WordTranslator.from_bitext(args.bitext))

    def ranked(qv):
        return list(np.argsort(-(vectors @ qv + BONUS * other))[:10])

    print(f"{len(rows)} chunks; variant = (passages m, alpha, when)")
    for group, items in groups.items():
        if group == "id":
            continue
        qvs = embedder.encode_query([q for q, _ in items], language="en")
        for m, alpha, when in VARIANTS:
            hits, rr = 0, 0.0
            for qv, (_, article) in zip(qvs, items):
                top = ranked(qv)
                feedback = [r for r in top[:5] if other[r]][:m]
                if feedback and (when == "always" or other[top[0]]):
                    q2 = qv + alpha * vectors[feedback].mean(0)
                    top = ranked(q2 / np.linalg.norm(q2))
                docs = [doc_of_row[r] for r in top]
                hits += article in docs[:5]
                rr += 1.0 / (docs.index(article) + 1) if article in docs else 0.0
            print(f"{group:<14} n {len(items):>3}  ({m}, {alpha}, {when:<6})  R@5 {hits / len(items):.3f}  "
                  f"MRR@10 {rr / len(items):.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
