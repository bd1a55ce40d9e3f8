"""Benchmark the BM25 analyzers and engines of ``qa.lexical``; results go to bench/BM25.md.

Quality: the answerable questions of ``eval/gold.jsonl`` against the seed articles split
into line passages; recall@1/3/5 and MRR@10 of the passage holding the evidence sentence,
per analyzer and question language; plus a larger monolingual check, 1,500 ID + 1,500 EN
qa-train questions retrieving their own context among all 17k unique contexts. Speed: analysis tokens/s per analyzer, build time and
query p50 latency at ~10k and ~100k passages (sliding windows over the ``context`` fields of
``/work/shared/qa-train/*.jsonl``), bm25s (via ``BM25Index``) vs rank_bm25.

Usage: .venv/bin/python bench/bm25_analyzers.py [--sizes 10000 100000] [--queries 200]
Writes bench/out/bm25_analyzers.json and prints tables. Times are CPU seconds of this process
(time.process_time), robust to other jobs on a shared machine.
"""
from __future__ import annotations

import argparse
import glob
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from timing import percentiles, run_ms, write_report  # noqa: E402

from qa import lexical  # noqa: E402
from qa.lexical import ANALYZER_NAMES, STOPWORDS, Analyzer, BM25Index, make_analyzer  # noqa: E402

# CPU time of this process: the benchmark machine is shared, so wall time is inflated by
# other jobs; all code measured here is single-threaded.
clock = time.process_time

TRAIN_GLOB = "/work/shared/qa-train/*.jsonl"
WINDOW, STRIDE = 60, 15  # words per speed-corpus passage, step between windows
KS = (1, 3, 5)


def norm(text: str) -> str:
    """Whitespace-normalized text for evidence matching."""
    return " ".join(text.split())


# ------------------------------------------------------------------------- quality


def seed_passages() -> tuple[list[str], list[str]]:
    """Every non-blank line of every seed article is a passage; returns (texts, doc names)."""
    texts, docs = [], []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(line.strip())
                docs.append(path.name)
    return texts, docs


def gold_targets(texts: list[str], docs: list[str]) -> tuple[list[dict], int]:
    """Answerable gold questions with the row of their evidence passage (missing ones counted)."""
    rows = [json.loads(line) for line in (ROOT / "eval/gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    normed = [norm(t) for t in texts]
    out, missing = [], 0
    for q in rows:
        if not q.get("answerable"):
            continue
        ev = norm(q["evidence"])
        hit = [i for i, t in enumerate(normed) if docs[i] == q["doc"] and (ev in t or t in ev and len(t) > 40)]
        if not hit:
            missing += 1
            continue
        out.append({"lang": q["lang"], "question": q["question"], "targets": set(hit)})
    return out, missing


def reciprocal_ranks(rankings: list[list[int]], targets: list[set[int]]) -> list[float]:
    """1/rank of the first target within the top 10 (0 when absent), per query."""
    out = []
    for r, t in zip(rankings, targets):
        rank = next((i + 1 for i, d in enumerate(r[:10]) if d in t), None)
        out.append(1.0 / rank if rank else 0.0)
    return out


def rank_metrics(rankings: list[list[int]], targets: list[set[int]]) -> dict[str, float]:
    """Recall@k (any target in top k) and MRR@10."""
    res = {f"R@{k}": float(np.mean([bool(set(r[:k]) & t) for r, t in zip(rankings, targets)])) for k in KS}
    res["MRR@10"] = float(np.mean(reciprocal_ranks(rankings, targets)))
    return res


PAIRS = [("id-sastrawi", "plain"), ("id-snowball", "plain"), ("id-sastrawi", "id-snowball"),
         ("bi-sastrawi", "id-sastrawi"), ("bi-sastrawi", "bi-snowball"), ("plain", "plain-nostop")]


def rank_bm25_search(model, query_tokens: list[str], k: int) -> list[int]:
    """Top-k rows from a rank_bm25 model (positive scores only)."""
    if not query_tokens:
        return []
    scores = model.get_scores(query_tokens)
    order = np.argsort(-scores, kind="stable")[:k]
    return [int(i) for i in order if scores[i] > 0]


def quality() -> dict:
    """Recall/MRR per analyzer and language, plus engine agreement on the default analyzer."""
    from rank_bm25 import BM25Okapi

    texts, docs = seed_passages()
    qs, missing = gold_targets(texts, docs)
    variants: dict[str, Analyzer] = {n: make_analyzer(n) for n in ANALYZER_NAMES}
    variants["plain-nostop"] = Analyzer("plain", stopwords=())
    variants["bi-sastrawi-nostop"] = Analyzer("bi-sastrawi", id_stemmer="sastrawi", en_stemmer=True, stopwords=())
    result: dict = {"passages": len(texts), "questions": len(qs), "evidence_not_found": missing, "analyzers": {}}
    for name, an in variants.items():
        index = _build_with(an, texts)  # -nostop variants are not registered analyzers
        per: dict = {}
        for lang in ("id", "en", "all"):
            sel = [q for q in qs if lang == "all" or q["lang"] == lang]
            rankings = [[r for r, _ in index.search(q["question"], 10)] for q in sel]
            per[lang] = {"n": len(sel), **rank_metrics(rankings, [q["targets"] for q in sel])}
        result["analyzers"][name] = per

    # Engine comparison on the default analyzer: bm25s (Lucene) vs rank_bm25 BM25Okapi.
    an = make_analyzer(lexical.DEFAULT_ANALYZER)
    okapi = BM25Okapi(an.analyze_many(texts), k1=1.5, b=0.75)
    ours = BM25Index.build(texts, analyzer=an.name)
    engines = {}
    for eng in ("bm25s-lucene", "rank_bm25-okapi"):
        per = {}
        for lang in ("id", "en", "all"):
            sel = [q for q in qs if lang == "all" or q["lang"] == lang]
            if eng == "bm25s-lucene":
                rankings = [[r for r, _ in ours.search(q["question"], 10)] for q in sel]
            else:
                rankings = [rank_bm25_search(okapi, an(q["question"]), 10) for q in sel]
            per[lang] = {"n": len(sel), **rank_metrics(rankings, [q["targets"] for q in sel])}
        engines[eng] = per
    result["engines_default_analyzer"] = engines
    return result


def _build_with(an: Analyzer, texts: list[str]) -> BM25Index:
    """Build an index with an analyzer object that is not registered under its name."""
    import bm25s

    model = bm25s.BM25(k1=1.5, b=0.75, method=lexical.BM25_METHOD)
    model.index(an.analyze_many(texts), create_empty_token=False, show_progress=False)
    return BM25Index(model, an, len(texts), 1.5, 0.75)


def train_quality(n_per_lang: int, seed: int = 7) -> dict:
    """Larger monolingual check: qa-train questions retrieving their own context.

    Corpus: every unique ``context`` of ``/work/shared/qa-train/*.jsonl`` (Indonesian and
    English mixed); queries: ``n_per_lang`` answerable questions per language (seeded sample).
    """
    contexts: dict[str, int] = {}
    by_lang: dict[str, list[tuple[str, int]]] = {"id": [], "en": []}
    for path in sorted(glob.glob(TRAIN_GLOB)):
        with open(path, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                row_id = contexts.setdefault(row["context"], len(contexts))
                if row.get("answerable") and row["lang"] in by_lang:
                    by_lang[row["lang"]].append((row["question"], row_id))
    texts = list(contexts)
    rng = random.Random(seed)
    sample = {lang: rng.sample(qs, min(n_per_lang, len(qs))) for lang, qs in by_lang.items()}
    result: dict = {"passages": len(texts), "analyzers": {}}
    variants: dict[str, Analyzer] = {n: make_analyzer(n) for n in ANALYZER_NAMES}
    variants["plain-nostop"] = Analyzer("plain", stopwords=())
    rrs: dict[tuple[str, str], np.ndarray] = {}
    for name, an in variants.items():
        t = clock()
        index = _build_with(an, texts)
        per: dict = {"build_s": clock() - t}
        for lang, qs in sample.items():
            rankings = [[r for r, _ in index.search(q, 10)] for q, _ in qs]
            targets = [{row} for _, row in qs]
            per[lang] = {"n": len(qs), **rank_metrics(rankings, targets)}
            rrs[(name, lang)] = np.array(reciprocal_ranks(rankings, targets))
        result["analyzers"][name] = per
        print(f"train_quality {name} done", file=sys.stderr, flush=True)
    # Paired comparison: on how many questions does analyzer A rank the context higher than B?
    result["paired"] = {
        f"{a} vs {b}": {lang: {"better": int((rrs[a, lang] > rrs[b, lang]).sum()),
                               "worse": int((rrs[a, lang] < rrs[b, lang]).sum())} for lang in sample}
        for a, b in PAIRS
    }
    return result


# ------------------------------------------------------------------------- speed


def speed_corpus(n: int, seed: int = 13) -> tuple[list[str], list[str]]:
    """``n`` passages (60-word windows, step 15, over unique contexts, shuffled) and questions."""
    contexts: dict[str, None] = {}
    questions: list[str] = []
    for path in sorted(glob.glob(TRAIN_GLOB)):
        with open(path, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                contexts.setdefault(row["context"], None)
                questions.append(row["question"])
    passages = []
    for ctx in contexts:
        words = ctx.split()
        for start in range(0, max(1, len(words) - WINDOW + STRIDE), STRIDE):
            passages.append(" ".join(words[start : start + WINDOW]))
    rng = random.Random(seed)
    rng.shuffle(passages)
    rng.shuffle(questions)
    if len(passages) < n:
        passages = (passages * (n // len(passages) + 1))[:n]
    return passages[:n], questions


def bincount_scores(index: BM25Index, ids: list[int]) -> np.ndarray:
    """Alternative scorer over the same CSC arrays (np.bincount instead of bm25s's np.add.at)."""
    sc = index._model.scores
    sl = [slice(sc["indptr"][i], sc["indptr"][i + 1]) for i in ids]
    rows = np.concatenate([sc["indices"][s] for s in sl])
    vals = np.concatenate([sc["data"][s] for s in sl])
    return np.bincount(rows, weights=vals, minlength=len(index))


def p50_ms(fn, items) -> float:
    """Median latency in ms of ``fn(item)``."""
    return percentiles([run_ms(fn, it, clock) for it in items], digits=6)["p50"]


def analysis_speed(passages: list[str]) -> dict:
    """Tokens/s of each analyzer on ``passages`` (fresh cache = cold, second pass = warm)."""
    t = clock()
    lexical._indonesian_roots.cache_clear()
    lexical._sastrawi_full_stem_word.cache_clear()
    lexical._sastrawi_full_stem_word()
    sastrawi_load = clock() - t
    out: dict = {"sastrawi_dictionary_load_s": sastrawi_load}
    n_tokens = sum(len(lexical.tokenize(p)) for p in passages)
    t = clock()
    for p in passages:
        lexical.tokenize(p)
    out["tokenize_only"] = {"tokens_per_s": n_tokens / (clock() - t)}
    for name in ANALYZER_NAMES:
        id_stem, en_stem = lexical._ANALYZER_SPECS[name]
        an = Analyzer(name, id_stemmer=id_stem, en_stemmer=en_stem)
        t = clock()
        an.analyze_many(passages)
        cold = clock() - t
        t = clock()
        an.analyze_many(passages)
        warm = clock() - t
        out[name] = {"tokens_per_s_cold": n_tokens / cold, "tokens_per_s_warm": n_tokens / warm, "cache_size": len(an._cache)}
    # Sastrawi with no cache at all, on the distinct words of the corpus: the full stemmer vs
    # the affix pre-check used by qa.lexical (which must give identical stems).
    types = sorted({t for p in passages for t in lexical.tokenize(p) if t.isalpha() and t not in STOPWORDS})
    full, quick = lexical._sastrawi_full_stem_word(), lexical._sastrawi_stem_word()
    t = clock()
    full_stems = [full(w) for w in types]
    t_full = clock() - t
    t = clock()
    quick_stems = [quick(w) for w in types]
    t_quick = clock() - t
    out["sastrawi_uncached"] = {
        "word_types": len(types),
        "types_per_s_full": len(types) / t_full,
        "types_per_s_with_affix_precheck": len(types) / t_quick,
        "precheck_mismatches": sum(a != b for a, b in zip(full_stems, quick_stems)),
    }
    out["n_tokens"] = n_tokens
    return out


def engine_speed(passages: list[str], queries: list[str], n_rank_queries: int, run_rank_bm25: bool) -> dict:
    """Build time and query p50 for BM25Index (bm25s) and rank_bm25 on the same tokens."""
    import shutil

    import bm25s
    from rank_bm25 import BM25Okapi

    lexical.make_analyzer.cache_clear()  # cold stem cache, as in a fresh `qa index` process
    t = clock()
    index = BM25Index.build(passages)
    res: dict = {"n_passages": len(passages), "build_cold_s": clock() - t}
    an = index.analyzer
    t = clock()
    tokens = an.analyze_many(passages)
    res["analyze_warm_s"] = clock() - t
    res["n_tokens"] = sum(map(len, tokens))

    t = clock()
    bm25s.BM25(k1=1.5, b=0.75, method=lexical.BM25_METHOD).index(tokens, create_empty_token=False, show_progress=False)
    res["bm25s"] = {"index_only_s": clock() - t}
    for q in queries[:5]:
        index.search(q, 10)
    res["bm25s"]["query_p50_ms"] = p50_ms(lambda q: index.search(q, 10), queries)
    # Scoring only (pre-analyzed queries): bm25s's own accumulation vs a numpy bincount.
    qids = [ids for ids in (index._term_ids(q) for q in queries) if ids]
    res["bm25s"]["score_p50_ms_native"] = p50_ms(index._model.get_scores_from_ids, qids)
    res["bm25s"]["score_p50_ms_bincount"] = p50_ms(lambda ids: bincount_scores(index, ids), qids)
    tmp = ROOT / "bench/out/tmp_bm25_index"
    t = clock()
    index.save(tmp)
    res["bm25s"]["save_s"] = clock() - t
    t = clock()
    BM25Index.load(tmp)
    res["bm25s"]["load_s"] = clock() - t
    res["bm25s"]["disk_mb"] = sum(f.stat().st_size for f in tmp.iterdir()) / 1e6
    shutil.rmtree(tmp)

    if run_rank_bm25:
        t = clock()
        okapi = BM25Okapi(tokens, k1=1.5, b=0.75)
        res["rank_bm25"] = {"index_only_s": clock() - t}
        res["rank_bm25"]["query_p50_ms"] = p50_ms(
            lambda q: rank_bm25_search(okapi, an(q), 10), queries[:n_rank_queries]
        )
        res["rank_bm25"]["n_queries"] = n_rank_queries
    return res


# ------------------------------------------------------------------------- report


def print_tables(res: dict) -> None:
    """Human-readable summary of ``res``."""
    q = res["quality"]
    print(f"\n## Quality: {q['questions']} answerable gold questions, {q['passages']} seed passages "
          f"(evidence not found: {q['evidence_not_found']})")
    print(f"{'analyzer':20s} {'lang':4s} {'n':>3s} {'R@1':>6s} {'R@3':>6s} {'R@5':>6s} {'MRR@10':>7s}")
    for name, per in {**q["analyzers"], **{f"[{k}]": v for k, v in q["engines_default_analyzer"].items()}}.items():
        for lang, m in per.items():
            print(f"{name:20s} {lang:4s} {m['n']:3d} {m['R@1']:6.3f} {m['R@3']:6.3f} {m['R@5']:6.3f} {m['MRR@10']:7.3f}")
    t = res.get("train_quality")
    if t:
        print(f"\n## qa-train questions -> own context among {t['passages']} unique contexts")
        print(f"{'analyzer':20s} {'lang':4s} {'n':>4s} {'R@1':>6s} {'R@3':>6s} {'R@5':>6s} {'MRR@10':>7s}")
        for name, per in t["analyzers"].items():
            for lang in ("id", "en"):
                m = per[lang]
                print(f"{name:20s} {lang:4s} {m['n']:4d} {m['R@1']:6.3f} {m['R@3']:6.3f} {m['R@5']:6.3f} {m['MRR@10']:7.3f}")
        print("paired (questions where A ranks the context higher / lower than B):")
        for pair, per in t["paired"].items():
            print(f"  {pair:28s} " + "  ".join(f"{lang}: +{v['better']}/-{v['worse']}" for lang, v in per.items()))
    a = res["analysis_speed"]
    print(f"\n## Analysis speed on {a['n_tokens']} tokens (Sastrawi dictionary load {a['sastrawi_dictionary_load_s']:.2f}s)")
    su = a["sastrawi_uncached"]
    print(f"tokenize only: {a['tokenize_only']['tokens_per_s']:,.0f} tok/s; Sastrawi uncached on {su['word_types']} word types: "
          f"full {su['types_per_s_full']:,.0f}/s, with affix pre-check {su['types_per_s_with_affix_precheck']:,.0f}/s "
          f"(mismatches: {su['precheck_mismatches']})")
    for name in ANALYZER_NAMES:
        m = a[name]
        print(f"{name:14s} cold {m['tokens_per_s_cold']:>10,.0f} tok/s   warm {m['tokens_per_s_warm']:>10,.0f} tok/s   cache {m['cache_size']}")
    print("\n## Engines (default analyzer)")
    for size, m in res["engine_speed"].items():
        b = m["bm25s"]
        line = (f"{size:>7s} passages ({m['n_tokens']:,} tokens): BM25Index.build cold {m['build_cold_s']:.1f}s "
                f"(analysis warm {m['analyze_warm_s']:.1f}s) | bm25s index {b['index_only_s']:.2f}s, "
                f"query p50 {b['query_p50_ms']:.2f}ms (scoring only: bm25s {b['score_p50_ms_native']:.3f}ms, "
                f"bincount {b['score_p50_ms_bincount']:.3f}ms), save {b['save_s']:.2f}s load {b['load_s']:.2f}s "
                f"disk {b['disk_mb']:.1f}MB")
        if "rank_bm25" in m:
            r = m["rank_bm25"]
            line += f" | rank_bm25 index {r['index_only_s']:.2f}s, query p50 {r['query_p50_ms']:.1f}ms"
        print(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--queries", type=int, default=200, help="queries for bm25s latency")
    ap.add_argument("--rank-queries", type=int, default=30, help="queries for rank_bm25 latency")
    ap.add_argument("--rank-bm25-max", type=int, default=100_000, help="skip rank_bm25 above this size")
    ap.add_argument("--train-queries", type=int, default=1500, help="qa-train questions per language (0: skip)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench/out/bm25_analyzers.json")
    args = ap.parse_args()

    res: dict = {"default_analyzer": lexical.DEFAULT_ANALYZER, "method": lexical.BM25_METHOD,
                 "window_words": WINDOW, "stride_words": STRIDE}
    res["quality"] = quality()
    if args.train_queries > 0:
        res["train_quality"] = train_quality(args.train_queries)
    passages, questions = speed_corpus(max(args.sizes))
    res["analysis_speed"] = analysis_speed(passages[: min(args.sizes)])
    res["engine_speed"] = {}
    for n in args.sizes:
        res["engine_speed"][str(n)] = engine_speed(
            passages[:n], questions[: args.queries], args.rank_queries, n <= args.rank_bm25_max
        )
        print(f"done {n}", file=sys.stderr, flush=True)
    print_tables(res)
    write_report(args.out, res)


if __name__ == "__main__":
    main()
