"""Tune the reader's "not found" threshold in the open-corpus setting, on validation data.

Training tunes the threshold with one given context per question. The product reads the top
passages of the retriever instead, where a wrong span can come from any of them, so the
margin distribution differs. This tool rebuilds that setting from validation files: every
context becomes an article of a temporary corpus, the real pipeline (hybrid retrieval,
top-k passages, the reader) answers each question, and the per-rank penalty and the
threshold that together maximise SQuAD-2.0-style F1 are chosen (answer when
``score > threshold``; a declined unanswerable question scores 1).

    python -m qa.training.calibrate --data ../shared/qa-train --files idkmrc_valid tydiqa_id_valid \\
        [--weights qa/reader/weights] [--write]

With ``--gloss BITEXT`` the questions are first glossed into English word by word with the
bilingual lexicon (:class:`qa.training.reader_data.WordTranslator`, names and numbers kept): English
questions over Indonesian articles, the cross-lingual setting, where the reader's margins run
lower. Then only the threshold is tuned (rank penalty and overlap weight stay those of the
configuration) and ``--write`` stores it as ``threshold_en``, used for English questions.
``--parallel BITEXT`` does the same with the held-out English questions built from the parallel
sentences (:mod:`qa.training.parallel_qa`: real English sentences turned into questions over their
Indonesian translations, a quarter of them unanswerable) instead of glossed ones, and
``--translated [TSV]`` with 222 TyDi-ID / IDK-MRC validation questions translated into fluent
English by hand (``qa/training/valid/english_questions.tsv``, 70 unanswerable) — the closest to what
English users ask.

``--answer-types on|off`` forces the number/date/name answer filter (:mod:`qa.reader.answer_type`)
on or off for the run (and, with ``--write``, in the configuration), for comparing the two.

The gold questions of ``eval/gold.jsonl`` are never used here.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from qa.evaluation.metrics import best_threshold, f1_score
from qa.training.reader_data import Example, load_jsonl
from qa.reader.model import WEIGHTS_DIR


def collect_margins(examples: list[Example], corpus_dir: Path, index_dir: Path, weights: Path | None,
                    top_k: int = 5, progress: bool = True, answer_types: bool | None = None) -> list[dict]:
    """Index the examples' contexts, ask every question through the pipeline, record margins
    (``answer_types``: override the weights' setting of the answer-kind filter)."""
    from tqdm.auto import tqdm

    from qa.config import Settings
    from qa.analysis import question_terms, sentence_overlap
    from qa.pipeline import QA
    from qa.reader import spans as span_decoding
    from qa.reader.base import span_sentence
    from qa.reader.neural import NeuralReader

    contexts = sorted({ex.context for ex in examples})
    with open(corpus_dir / "contexts.jsonl", "w", encoding="utf-8") as f:
        for i, ctx in enumerate(contexts):
            f.write(json.dumps({"id": f"c{i}", "text": ctx}, ensure_ascii=False) + "\n")
    settings = Settings().model_copy(update={"corpus_dir": corpus_dir, "index_dir": index_dir, "reader": "sentence"})
    qa = QA.load(settings=settings, progress=progress)
    reader = NeuralReader(weights_dir=weights)
    reader.warm_up()
    reader.config["rank_penalty"] = 0.0  # spans are re-ranked per penalty and weight below
    reader.config["overlap_weight"] = 0.0
    reader.config["early_stop_margin"] = None  # every passage is read: all spans are recorded
    if answer_types is not None:
        reader.config["answer_types"] = answer_types
    span_decoding.MAX_SPANS = 50
    rows = []
    for ex in tqdm(examples, desc="Reading", disable=not progress):
        passages = qa.retriever.retrieve(ex.question, k=top_k, language=ex.lang)
        result = reader.read(ex.question, passages, ex.lang)
        terms = question_terms(ex.question)
        spans = [(s.score, s.passage.rank, f1_score(s.text, ex.answers) if ex.answerable else 0.0,
                  sentence_overlap(terms, span_sentence(s)))
                 for s in result.spans]
        rows.append({"id": ex.id, "lang": ex.lang, "answerable": ex.answerable, "spans": spans})
    return rows


def collect_pool(data: Path, pool: str, limit: int = 200, weights: Path | None = None, seed: int = 13,
                 progress: bool = True) -> list[dict]:
    """Rows for :mod:`qa.reader.decision`: every question of a validation pool answered through the
    pipeline with the product's settings (among all the pool's contexts), with the best span's
    margin, its F1 and the decision features. ``pool``: ``"indonesian"`` (``limit`` questions each of
    idkmrc_valid and tydiqa_id_valid, seeded sample) or ``"english"`` (the hand-translated ones)."""
    from tqdm.auto import tqdm

    from qa.config import Settings
    from qa.pipeline import QA
    from qa.reader.neural import NeuralReader

    if pool == "english":
        examples = [en for _, en in translated_pool(data)]
    else:
        rng = random.Random(seed)
        examples = []
        for name in ("idkmrc_valid", "tydiqa_id_valid"):
            rows = load_jsonl(Path(data) / f"{name}.jsonl")
            rng.shuffle(rows)
            examples += rows[:limit]
    with tempfile.TemporaryDirectory(prefix="qa-decision-") as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        corpus.mkdir()
        with open(corpus / "contexts.jsonl", "w", encoding="utf-8") as f:
            for i, ctx in enumerate(sorted({ex.context for ex in examples})):
                f.write(json.dumps({"id": f"c{i}", "text": ctx}, ensure_ascii=False) + "\n")
        settings = Settings().model_copy(update={"corpus_dir": corpus, "index_dir": index, "reader": "sentence"})
        qa = QA.load(settings=settings, progress=progress)
        reader = NeuralReader(weights_dir=weights)
        reader.warm_up()
        reader.config["decision_weights"] = None  # rows hold the raw margin and the features
        out = []
        for ex in tqdm(examples, desc="Reading", disable=not progress):
            passages = qa.retriever.retrieve(ex.question, k=5, language=ex.lang)
            result = reader.read(ex.question, passages, ex.lang, index_chunks=len(qa.index))
            best = result.spans[0].text if result.spans else ""
            out.append({"id": ex.id, "lang": ex.lang, "answerable": ex.answerable,
                        "margin": result.score if result.spans else -1e9,
                        "candidate_f1": f1_score(best, ex.answers) if ex.answerable else 0.0,
                        "features": result.features, "index_chunks": len(qa.index)})
    return out


def with_penalty(rows: list[dict], penalty: float, overlap_weight: float = 0.0) -> list[dict]:
    """Each question's best span (score, candidate F1) with ``penalty`` charged per rank and
    ``overlap_weight`` × sentence overlap added."""
    out = []
    for r in rows:
        scored = [(m - penalty * max(rank - 1, 0) + overlap_weight * ov, f1) for m, rank, f1, ov in r["spans"]]
        margin, f1 = max(scored, key=lambda x: x[0]) if scored else (-1e9, 0.0)
        out.append({"lang": r["lang"], "answerable": r["answerable"], "margin": margin, "candidate_f1": f1})
    return out


PENALTIES = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
OVERLAP_WEIGHTS = (0.0, 1.0, 2.0, 4.0, 6.0)
F1_TOLERANCE = 0.005


def grid(rows: list[dict]) -> list[dict]:
    """For every rank penalty × overlap weight: the best threshold and the scores at it."""
    trials = []
    for penalty, weight in ((p, w) for p in PENALTIES for w in OVERLAP_WEIGHTS):
        scored = with_penalty(rows, penalty, weight)
        best = best_threshold([r["margin"] for r in scored], [r["candidate_f1"] for r in scored],
                              [r["answerable"] for r in scored])
        threshold = best["threshold"] if best["threshold"] is not None else float("inf")
        threshold -= 1e-6  # best_threshold answers at score >= t; the reader at score > t
        trials.append({"rank_penalty": penalty, "overlap_weight": weight, "threshold": round(threshold, 4),
                       **summarise(scored, threshold)})
    return trials


def summarise(rows: list[dict], threshold: float) -> dict:
    """F1 (SQuAD 2.0 style), answerable F1 and no-answer accuracy at ``threshold``."""
    def score(r):
        answered = r["margin"] > threshold
        return (r["candidate_f1"] if answered else 0.0) if r["answerable"] else float(not answered)

    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    return {"n": len(rows), "f1": sum(map(score, rows)) / max(len(rows), 1),
            "answerable_f1": sum(map(score, ans)) / max(len(ans), 1),
            "forced_f1": sum(r["candidate_f1"] for r in ans) / max(len(ans), 1),
            "noans_acc": sum(map(score, una)) / len(una) if una else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m qa.training.calibrate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="folder with the *_valid.jsonl files")
    ap.add_argument("--files", nargs="+", default=["idkmrc_valid", "tydiqa_id_valid"])
    ap.add_argument("--weights", type=Path, default=None, help="reader weights (default: the shipped ones)")
    ap.add_argument("--limit", type=int, default=400, help="questions per file (random sample, seeded)")
    ap.add_argument("--top-k", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--write", action="store_true", help="store the threshold in reader_config.json")
    ap.add_argument("--gloss", type=Path, default=None, metavar="BITEXT",
                    help="gloss the questions into English with the lexicon in BITEXT and tune threshold_en")
    ap.add_argument("--parallel", type=Path, default=None, metavar="BITEXT",
                    help="tune threshold_en on English questions over Indonesian passages built from the "
                         "held-out parallel sentences in BITEXT (instead of --files)")
    ap.add_argument("--answer-types", choices=("on", "off"), default=None,
                    help="force the number/date/name answer filter on or off (default: as the weights say)")
    ap.add_argument("--translated", type=Path, nargs="?", const=ENGLISH_QUESTIONS, default=None, metavar="TSV",
                    help="tune threshold_en on the hand-translated English validation questions "
                         "(default file: qa/training/valid/english_questions.tsv) over their Indonesian contexts")
    ap.add_argument("--rows-out", type=Path, default=None,
                    help="also write every question's candidate spans (score, rank, F1, overlap) as JSON")
    args = ap.parse_args(argv)
    if args.parallel:
        return _calibrate_english(parallel_pool(args.parallel, args.limit, args.seed), args)
    if args.data is None:
        ap.error("give --data (a folder with the *_valid.jsonl files) or --parallel BITEXT")
    if args.translated:
        return _calibrate_english([en for _, en in translated_pool(args.data, args.translated)], args)

    rng = random.Random(args.seed)
    examples: list[Example] = []
    for name in args.files:
        path = args.data / f"{name}.jsonl"
        if not path.exists():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
        rows = load_jsonl(path)
        rng.shuffle(rows)
        examples += rows[:args.limit]
    if args.gloss:
        from qa.training.reader_data import WordTranslator

        translator = WordTranslator.from_bitext(args.gloss)
        examples = [Example(e.id, "en", translator.translate(e.question), e.context, e.answers, e.answerable,
                            e.source) for e in examples]
        return _calibrate_english(examples, args)
    rows = _margins(examples, args)
    trials = grid(rows)
    # The smallest penalty within F1_TOLERANCE of the best: validation contexts are short and
    # distinct, so retrieval there is easier than in a news collection, where over-trusting
    # rank 1 costs more.
    top_f1 = max(t["f1"] for t in trials)
    chosen = min((t for t in trials if t["f1"] >= top_f1 - F1_TOLERANCE),
                 key=lambda t: (t["rank_penalty"], t["overlap_weight"]))
    penalty, weight, threshold = chosen["rank_penalty"], chosen["overlap_weight"], chosen["threshold"]
    rows = with_penalty(rows, penalty, weight)
    report = {"files": args.files, "per_file_limit": args.limit, "top_k": args.top_k,
              "answer_types": args.answer_types, "trials": trials,
              "rank_penalty": penalty, "overlap_weight": weight, "threshold": threshold, "at_threshold": summarise(rows, threshold),
              "by_lang": {lang: summarise([r for r in rows if r["lang"] == lang], threshold)
                          for lang in sorted({r["lang"] for r in rows})}}
    print(json.dumps(report, indent=2))
    if args.write:
        from qa.files import atomic_write_text
        from qa.reader.model import read_config

        weights = args.weights or WEIGHTS_DIR
        config = read_config(weights)
        config["threshold_single_context"] = config.get("threshold")
        config["threshold"] = report["threshold"]
        config["rank_penalty"] = report["rank_penalty"]
        config["overlap_weight"] = report["overlap_weight"]
        if args.answer_types is not None:
            config["answer_types"] = args.answer_types == "on"
        config["threshold_source"] = f"open-corpus calibration on {', '.join(args.files)} (qa.training.calibrate)"
        atomic_write_text(weights / "reader_config.json", json.dumps(config, indent=2) + "\n")
        atomic_write_text(weights / "calibration.json", json.dumps(report, indent=2) + "\n")
        print(f"threshold {report['threshold']} written to {weights / 'reader_config.json'}")
    return 0


def _margins(examples: list[Example], args: argparse.Namespace) -> list[dict]:
    """:func:`collect_margins` over a temporary corpus of the examples' contexts."""
    with tempfile.TemporaryDirectory(prefix="qa-calibrate-") as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        corpus.mkdir()
        rows = collect_margins(examples, corpus, index, args.weights, args.top_k,
                               answer_types={"on": True, "off": False, None: None}[args.answer_types])
    if args.rows_out:
        from qa.files import atomic_write_text

        atomic_write_text(args.rows_out, json.dumps(rows) + "\n")
    return rows


def parallel_pool(bitext: Path, limit: int, seed: int, unanswerable_share: float = 0.4) -> list[Example]:
    """Up to ``limit`` held-out cross-lingual questions (the validation half of the training
    script's split) for an open-corpus pool where about ``unanswerable_share`` cannot be answered.

    Each sentence's question is taken answerable or unanswerable, never both (the unanswerable
    twin would find the answerable twin's passage in the corpus); answerable passages that hold
    an unanswerable question's answer (neighbouring sentences overlap) are left out, and so are
    unanswerable questions whose answer another unanswerable question's passage holds.
    """
    import re
    from dataclasses import replace

    from qa.training.parallel_qa import parallel_split

    path = bitext / "parallel_en_id.jsonl"
    if not path.exists():
        raise SystemExit(f"error: {path} not found (--parallel takes the bitext folder)")
    valid = parallel_split(path)[1]
    twins: dict[str, dict[bool, Example]] = {}
    for ex in valid:
        twins.setdefault(ex.id.removesuffix("-neg"), {})[ex.answerable] = ex
    rng = random.Random(seed)
    negatives, positives = [], []
    for key, pair in sorted(twins.items()):
        if False in pair:  # every question built with an unanswerable twin (a quarter) is asked that way
            negatives.append((pair[False], pair[True].answers[0]))
        elif True in pair:
            positives.append(pair[True])

    def holds(text: str, answer: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", text) is not None

    negatives = [(ex, a) for ex, a in negatives if not any(holds(o.context, a) for o, _ in negatives if o is not ex)]
    positives = [ex for ex in positives if not any(holds(ex.context, a) for _, a in negatives)]
    rng.shuffle(positives)
    n_neg = min(len(negatives), round(limit * unanswerable_share))
    pool = [ex for ex, _ in negatives[:n_neg]] + positives[:limit - n_neg]
    rng.shuffle(pool)
    return [replace(ex, lang="en") for ex in pool]


ENGLISH_QUESTIONS = Path(__file__).parent / "valid" / "english_questions.tsv"


def translated_pool(data: Path, tsv: Path = ENGLISH_QUESTIONS) -> list[tuple[Example, Example]]:
    """(Indonesian original, English translation) pairs: the hand-translated validation questions
    of ``tsv`` (``file<TAB>id<TAB>question``, ``#`` comments) joined by id with the files in ``data``."""
    from dataclasses import replace

    wanted: dict[str, dict[str, str]] = {}
    for n, line in enumerate(Path(tsv).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"{tsv}, line {n}: expected 'file<TAB>id<TAB>question', got {line!r}")
        wanted.setdefault(parts[0], {})[parts[1]] = parts[2].strip()
    pairs = []
    for name, ids in wanted.items():
        path = Path(data) / f"{name}.jsonl"
        if not path.exists():
            raise SystemExit(f"error: {path} not found (the translated questions need --data with {name}.jsonl)")
        found = {ex.id: ex for ex in load_jsonl(path) if ex.id in ids}
        missing = sorted(set(ids) - set(found))
        if missing:
            raise SystemExit(f"error: {len(missing)} ids of {tsv} are not in {path} (first: {missing[0]})")
        pairs += [(found[i], replace(found[i], question=q, lang="en")) for i, q in ids.items()]
    return pairs


def _calibrate_english(examples: list[Example], args: argparse.Namespace) -> int:
    """Tune ``threshold_en`` on English questions over Indonesian passages (glossed or from parallel
    sentences) with the configured penalty and overlap weight."""
    from qa.files import atomic_write_text
    from qa.reader.model import read_config

    weights = args.weights or WEIGHTS_DIR
    config = read_config(weights)
    penalty, weight = float(config.get("rank_penalty", 0.0)), float(config.get("overlap_weight", 0.0))
    margins = _margins(examples, args)
    rows = with_penalty(margins, penalty, weight)
    best = best_threshold([r["margin"] for r in rows], [r["candidate_f1"] for r in rows],
                          [r["answerable"] for r in rows])
    threshold = (best["threshold"] if best["threshold"] is not None else float("inf")) - 1e-6
    source = ("parallel sentences (held out)" if args.parallel else
              f"hand-translated questions ({args.translated.name})" if args.translated else
              f"{', '.join(args.files)} glossed into English")
    report = {"files": args.files, "questions": source, "per_file_limit": args.limit, "top_k": args.top_k,
              "rank_penalty": penalty, "overlap_weight": weight, "threshold_en": round(threshold, 4),
              "at_threshold_en": summarise(rows, threshold),
              "at_threshold": summarise(rows, float(config.get("threshold", 0.0))),
              "samples": [e.question for e in examples[:5]],
              "trials": grid(margins)}  # what other penalties / weights would give (not written)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.write:
        config["threshold_en"] = report["threshold_en"]
        config["threshold_en_source"] = f"open-corpus calibration on {source} (qa.training.calibrate)"
        atomic_write_text(weights / "reader_config.json", json.dumps(config, indent=2) + "\n")
        atomic_write_text(weights / "calibration_en.json", json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"threshold_en {report['threshold_en']} written to {weights / 'reader_config.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
