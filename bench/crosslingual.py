"""Cross-lingual retrieval with distractors, on validation questions: the cross-lingual bonus and fusion weights.

    .venv/bin/python bench/crosslingual.py --data ../shared/qa-train --bitext ../shared/bitext \\
        [--chunks 10000] [--per-group 300]

The index holds the first distractor articles of ``bench/scale.py corpus`` (real contexts of the
qa-train files, one article each) up to ``--chunks`` chunks, with the vectors of
``bench/scale.py embed``. The questions are those of the qa-train files whose context is one of
those articles, in four groups:

- ``id``: Indonesian questions (TyDi-ID, IDK-MRC answerable) over their Indonesian article;
- ``en->id``: the same questions glossed into English word by word with the bilingual lexicon
  (:class:`qa.training.reader_data.WordTranslator`; names and numbers kept), over the Indonesian article
  — the setting of an English user reading Indonesian news;
- ``en``: English questions (TyDi-EN, QED) over their English article;
- ``en(hand)->id``: the answerable hand-translated English validation questions
  (``qa/training/valid/english_questions.tsv``) whose Indonesian article is in the index — fluent
  English, the check on the glossed group.

For each question the dense ranking (with each cross-lingual bonus: passages in another language
than the question's get it added to their cosine) and the BM25 ranking are computed once; every
combination of bonus, fusion weights and RRF constant k0 is then scored by article recall@5 (the question's article
among the articles of the top 5 passages) and MRR@10. Then, with the product's fusion weights,
reserved slots: 0, 1 or 2 of the top 5 go to the best passages in the other language than the
question's (``reserve_trials``). For the English groups, BM25 also runs over the question's Indonesian
translation (:mod:`qa.translate`), alone or with every table candidate of its content words, and the
dense ranking of the translation is fused in its place (``translated_trials``). ``eval/gold.jsonl`` plays no part. Prints a table, writes
``bench/out/crosslingual.json``.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import OUT as SCALE_OUT, CachedEmbedder, load_table  # noqa: E402
from timing import write_report  # noqa: E402

ID_FILES = ("tydiqa_id_valid", "idkmrc_valid", "tydiqa_id_train", "idkmrc_train")
EN_FILES = ("tydiqa_en_train", "qed_en_valid", "qed_en_train")
TRIALS = [(1.0, 0.0), (1.0, 0.25), (1.0, 1.0)]  # (dense, bm25) fusion weights; the first is dense only
BONUSES = (0.0, 0.02, 0.03, 0.04)  # dense bonus for passages in another language than the question
RRF_KS = (60, 20, 10, 5, 2)
TRANSLATED_TRIALS = [(1.0, 0.25), (1.0, 0.5), (1.0, 1.0)]  # (dense, BM25 over the translated English question)
RESERVES = (0, 1, 2)  # top-5 slots kept for the best passages in the other language
FUSION = {"id": (1.0, 1.0), "en": (1.0, 0.0)}  # the product's weights (qa.retrieval.FUSION_WEIGHTS)  # k0 of reciprocal-rank fusion: smaller lets a first place in one ranking count more


def questions(data: Path, article_of: dict[str, int], per_group: int, seed: int, translator) -> dict[str, list]:
    """``{group: [(question, article index)]}`` for the articles in the index."""
    from qa.training.reader_data import load_jsonl

    groups: dict[str, list] = {"id": [], "en->id": [], "en": []}
    for files, lang in ((ID_FILES, "id"), (EN_FILES, "en")):
        for stem in files:
            path = data / f"{stem}.jsonl"
            if not path.exists():
                continue
            for ex in load_jsonl(path):
                if ex.answerable and ex.context in article_of:
                    groups[lang].append((ex.question, article_of[ex.context]))
    rng = random.Random(seed)
    for key in ("id", "en"):
        rng.shuffle(groups[key])
        groups[key] = groups[key][:per_group]
    groups["en->id"] = [(translator.translate(q), a) for q, a in groups["id"]]
    from qa.training.calibrate import translated_pool

    groups["en(hand)->id"] = [(en.question, article_of[en.context]) for _, en in translated_pool(data)
                              if en.answerable and en.context in article_of]
    return groups


def rankings(index, embedder, question: str, language: str, depth: int = 50,
             vector=None, translator=None) -> tuple:
    """Dense rankings (one for each of BONUSES) and the BM25 ranking, best first (``vector``: the
    question's embedding when already computed); with ``translator`` (English questions), also the
    BM25 ranking of the question's Indonesian translation (:mod:`qa.translate`)."""
    hits = index.search_dense(embedder.encode_query([question], language=language)[0] if vector is None else vector,
                              4 * depth)
    other = {r: float(index.languages[r] != language) for r, _ in hits}
    dense = {b: [r for r, _ in sorted(hits, key=lambda rs: (-(rs[1] + b * other[rs[0]]), rs[0]))[:depth]]
             for b in BONUSES}
    lexical = [r for r, _ in index.lexical.search(question, depth)]
    if translator is None:
        return dense, lexical
    translated = [r for r, _ in index.lexical.search(translator.translate(question), depth)]
    expanded = [r for r, _ in index.lexical.search(expanded_query(translator, question), depth)]
    translation_vector = embedder.encode_query([translator.translate(question)], language="id")[0]
    dense_translated = [r for r, _ in index.search_dense(translation_vector, depth)]
    return dense, lexical, translated, expanded, dense_translated


def expanded_query(translator, question: str) -> str:
    """The question's translation followed by every Indonesian candidate the table gives for each of
    its content words (question and function words are in the translation; names are kept there)."""
    import re

    from qa.translation_words import AUXILIARIES, DROPPED, FUNCTION_WORDS, QUESTION_WORDS

    words = [translator.translate(question)]
    for token in re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", question):
        low = token.lower()
        if len(low) < 3 or low in DROPPED or low in FUNCTION_WORDS or low in QUESTION_WORDS or low in AUXILIARIES:
            continue
        if token[0].isupper() and low not in translator.common:
            continue  # a name
        words.extend(translator.table.get(low, ()))
    return " ".join(words)


def score(runs: list[tuple[tuple, int]], bonus: float, weights: tuple, doc_of_row: dict[int, int],
          k0: int | None = None, reserve: int = 0, other_language: dict[int, bool] | None = None,
          translated: int = 0) -> dict:
    """Article recall@5 and MRR@10 of fused rankings (``reserve``: that many of the top 5 go to the
    best passages in another language than the question's, ``other_language`` marking their rows;
    ``translated``: fuse with BM25 over the question's Indonesian translation (1) or the translation
    with every table candidate (2), or with the dense ranking of the translation (3), instead of BM25
    over the question)."""
    from qa.retrieval import fuse_rankings

    ranked = []
    for ranks, article in runs:
        dense, lexical = ranks[0], ranks[1 + translated]
        fused = [row for row, _ in fuse_rankings([dense[bonus], lexical], list(weights), *([k0] if k0 else []))]
        if reserve:
            fused = reserve_slots(fused, other_language.__getitem__, 5, reserve)
        ranked.append((fused, article))
    return article_metrics(ranked, doc_of_row)


def article_metrics(ranked: list[tuple[list[int], int]], doc_of_row: dict[int, int]) -> dict:
    """Article recall@5 and MRR@10 of ``(ranked rows, the question's article)`` pairs."""
    hits, rr = 0, 0.0
    for fused, article in ranked:
        docs = [doc_of_row[r] for r in fused[:10]]
        hits += article in docs[:5]
        rr += 1.0 / (docs.index(article) + 1) if article in docs else 0.0
    n = max(len(ranked), 1)
    return {"recall@5": round(hits / n, 3), "mrr@10": round(rr / n, 3), "n": len(ranked)}


COMBINED_BM25 = (0.0, 0.5, 1.0, 1.5, 2.0)


def score_combined(runs: list[tuple[tuple, int]], bm25_weight: float, doc_of_row: dict[int, int],
                   bonus: float = 0.03) -> dict:
    """Article recall@5 and MRR@10 when the question's dense ranking, its translation's dense ranking
    (weight 1) and BM25 over its translation (``bm25_weight``) are fused, as the retriever does over a
    mostly Indonesian index (``QA_TRANSLATED_DENSE`` / ``QA_TRANSLATED_BM25``)."""
    from qa.retrieval import fuse_rankings

    ranked = [([row for row, _ in fuse_rankings([ranks[0][bonus], ranks[4], ranks[2]], [1.0, 1.0, bm25_weight])],
               article) for ranks, article in runs]
    return article_metrics(ranked, doc_of_row)


def reserve_slots(ranked: list[int], is_other, k: int, reserve: int) -> list[int]:
    """``ranked`` with at least ``reserve`` of its first ``k`` rows being rows that ``is_other`` marks:
    the best-ranked of those move up in place of the last unmarked rows; order kept otherwise."""
    top = ranked[:k]
    missing = reserve - sum(map(is_other, top))
    promote = [r for r in ranked[k:] if is_other(r)][:max(missing, 0)]
    if not promote:
        return ranked
    demote = set([r for r in reversed(top) if not is_other(r)][:len(promote)])
    new_top = sorted([r for r in top if r not in demote] + promote, key=ranked.index)
    return new_top + [r for r in ranked if r not in set(new_top)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the qa-train folder")
    ap.add_argument("--bitext", type=Path, required=True, help="folder with lexicon_en_id.core.tsv")
    ap.add_argument("--corpus", type=Path, default=SCALE_OUT, help="output of `bench/scale.py corpus`")
    ap.add_argument("--vectors", type=Path, default=SCALE_OUT / "vectors")
    ap.add_argument("--chunks", type=int, default=10_000, help="distractor chunks in the index")
    ap.add_argument("--per-group", type=int, default=300)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "crosslingual.json")
    args = ap.parse_args(argv)

    from qa.config import Settings
    from qa.embedding import Embedder
    from qa.index import Index, build_index
    from qa.ingest import read_corpus
    from qa.training.reader_data import WordTranslator
    from qa.translate import QuestionTranslator

    info = json.loads((args.corpus / "corpus.json").read_text())
    records = [json.loads(line) for line in open(args.corpus / "articles" / "distractors.jsonl", encoding="utf-8")]
    n_articles, total = 0, 0
    while total < args.chunks and n_articles < len(info["chunks_per_article"]):
        total += info["chunks_per_article"][n_articles]
        n_articles += 1
    work = ROOT / "bench" / "out" / "crosslingual"
    shutil.rmtree(work, ignore_errors=True)
    (work / "corpus").mkdir(parents=True)
    with open(work / "corpus" / "articles.jsonl", "w", encoding="utf-8") as f:
        for r in records[:n_articles]:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    embedder = CachedEmbedder(Embedder.from_settings(Settings(), progress=False), load_table(args.corpus, args.vectors))
    documents, _ = read_corpus(work / "corpus", max_file_mb=1000)
    build_index(work / "index", documents, embedder, chunk_tokens=Settings().chunk_tokens,
                overlap_sentences=Settings().chunk_overlap_sentences, progress=True)
    index = Index.open(work / "index", model_id=embedder.model_id)
    article_of_doc = {d.doc_id: i for i, d in enumerate(documents)}
    article_of = {r["text"]: i for i, r in enumerate(records[:n_articles])}
    doc_of_row = {}
    rows = list(range(index.manifest.n_chunks))
    for row, chunk in zip(rows, index.chunks(rows)):
        doc_of_row[row] = article_of_doc[chunk.doc_id]
    groups = questions(args.data, article_of, args.per_group, args.seed, WordTranslator.from_bitext(args.bitext))
    runs: dict[str, list] = {}
    t0 = time.perf_counter()
    for group, items in groups.items():
        language = "id" if group == "id" else "en"
        translator = QuestionTranslator.load() if language == "en" else None
        runs[group] = [(rankings(index, embedder.inner, q, language, translator=translator), a) for q, a in items]
    results = {"articles": n_articles, "chunks": index.manifest.n_chunks, "vectors_live": embedder.misses,
               "rank_s": round(time.perf_counter() - t0, 1), "trials": []}
    print(f"\n{n_articles} articles, {index.manifest.n_chunks} chunks; questions: "
          + ", ".join(f"{g} {len(v)}" for g, v in runs.items()))
    print(f"{'bonus':>6} {'dense,bm25':<12}{'rrf k':>6}" + "".join(f"{g + ' R@5':>12}{g + ' MRR':>12}" for g in runs))
    for bonus in BONUSES:
        for weights in TRIALS:
            for k0 in (RRF_KS if weights[1] > 0 else RRF_KS[:1]):  # one ranking alone: k0 changes nothing
                row = {"cross_lingual_bonus": bonus, "weights": weights, "rrf_k": k0,
                       **{g: score(r, bonus, weights, doc_of_row, k0) for g, r in runs.items()}}
                results["trials"].append(row)
                print(f"{bonus:>6} {','.join(map(str, weights)):<12}{k0:>6}"
                      + "".join(f"{row[g]['recall@5']:>12.3f}{row[g]['mrr@10']:>12.3f}" for g in runs))
    print("English questions, BM25 over their Indonesian translation (qa.translate):")
    variants = [(v, name, bonus, weights, k0) for v, name in ((1, "translation"), (2, "translation+candidates"),
                                                               (3, "dense over the translation"))
                for bonus in (0.0, 0.03) for weights in TRANSLATED_TRIALS for k0 in (60, 2)]
    for variant, name, bonus, weights, k0 in variants:
        row = {"cross_lingual_bonus": bonus, "weights": weights, "rrf_k": k0, "bm25_over": name,
               **{g: score(r, bonus, weights, doc_of_row, k0, translated=variant) for g, r in runs.items()
                  if g != "id"}}
        results.setdefault("translated_trials", []).append(row)
        print(f"{name[:12]:>12} {bonus:>6} {','.join(map(str, weights)):<12}{k0:>6}" + "".join(
            f"{row[g]['recall@5']:>12.3f}{row[g]['mrr@10']:>12.3f}" for g in runs if g != "id"))
    print("English questions, the product's three rankings (dense, dense over the translation at 1,"
          " BM25 over the translation at w), bonus 0.03, k0 2:")
    for w in COMBINED_BM25:
        row = {"translated_bm25": w, **{g: score_combined(r, w, doc_of_row) for g, r in runs.items() if g != "id"}}
        results.setdefault("combined_trials", []).append(row)
        print(f"{'bm25 ' + str(w):>12}" + "".join(
            f"{row[g]['recall@5']:>12.3f}{row[g]['mrr@10']:>12.3f}" for g in runs if g != "id"))
    for group, items in runs.items():
        language = "id" if group == "id" else "en"
        other = {r: index.languages[r] != language for r in range(index.manifest.n_chunks)}
        for bonus in (0.0, 0.03):
            for reserve in RESERVES:
                row = score(items, bonus, FUSION[language], doc_of_row, reserve=reserve, other_language=other)
                results.setdefault("reserve_trials", []).append(
                    {"group": group, "cross_lingual_bonus": bonus, "reserve": reserve, **row})
                print(f"reserve {reserve} bonus {bonus} {group}: R@5 {row['recall@5']:.3f} MRR {row['mrr@10']:.3f}")
    results["examples"] = {g: [q for q, _ in items[:5]] for g, items in groups.items()}
    write_report(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
