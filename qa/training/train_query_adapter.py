"""Train the question adapter (:mod:`qa.query_adapter`) against frozen passage vectors, on the CPU.

    python -m qa.training.train_query_adapter --data ../shared/qa-train --bitext ../shared/bitext \\
        --corpus bench/out/scale [--epochs 2] [--out qa/data/query_adapter.safetensors]

The corpus is the output of ``bench/scale.py corpus`` + ``embed``: every unique context of the
qa-train files as an article, chunked and embedded by the product (``texts.jsonl.xz``,
``corpus.json``, ``articles/distractors.jsonl``, ``vectors/vectors_*.npy``). Its articles are split in
two halves by a hash of their text: the *training* half gives the positives and the negatives, the
*held-out* half is only used to measure. A training question is a question of a ``*_train`` file whose
context is in the training half; its positives are the chunks of that article holding an answer
(all of its chunks when none does). Indonesian questions are also glossed into English word by word
(:class:`qa.training.reader_data.WordTranslator`, the bilingual lexicon) and paired with the same Indonesian
chunks: the English-question-over-Indonesian-article case. The loss is a softmax over *every* chunk
of the training half (about 15k; cheap, because passage vectors are fixed and only the question goes
through the model), so the hard negatives are real passages of other topics and languages.

Only low-rank updates (LoRA, :data:`qa.query_adapter.TARGETS` of every layer) are trained; the model
weights stay frozen. Measured at the start and the end on held-out questions (``*_valid`` files,
hand-translated English questions) whose article is in the held-out half, among the held-out half's
chunks: article recall@5 by group, with and without the product's cross-lingual bonus.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

from qa.query_adapter import DEFAULT_ADAPTER, TARGETS, replace_target, save_adapter, target_modules
from qa.training.calibrate import ENGLISH_QUESTIONS

TRAIN_FILES = ("tydiqa_id_train", "idkmrc_train", "facqa_train", "tydiqa_en_train", "qed_en_train")
VALID_FILES = ("tydiqa_id_valid", "idkmrc_valid", "qed_en_valid")
GROUPS = ("id", "en", "en->id (glossed)", "en->id (hand-translated)")


def load_corpus_vectors(corpus: Path, vectors: Path | None = None) -> tuple[list[str], np.ndarray]:
    """The embedded chunk texts of a ``bench/scale.py corpus`` folder and their unit-length float32
    vectors, row for row (vectors from ``corpus/vectors`` unless given)."""
    vectors = vectors or corpus / "vectors"
    texts = [json.loads(t) for t in lzma.decompress((corpus / "texts.jsonl.xz").read_bytes()).decode().splitlines()]
    parts = sorted(vectors.glob("vectors_*.npy"))
    if not parts:
        raise SystemExit(f"error: no vectors_*.npy in {vectors}; run `bench/scale.py embed` first")
    vecs = np.concatenate([np.load(p).astype(np.float32) for p in parts])
    if len(vecs) > len(texts):
        raise SystemExit(f"error: {len(vecs)} vectors for {len(texts)} texts; re-run `embed` on this corpus")
    texts = texts[:len(vecs)]  # `embed --limit N` embeds the first N texts only
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return texts, vecs


def held_out(text: str) -> bool:
    """Whether an article (by its text) is in the held-out half."""
    return int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16) % 2 == 1


def read_articles(folder: Path) -> tuple[list[dict], list[int]]:
    """The articles of a ``bench/scale.py corpus`` folder (``{"id", "outlet", "text"}``, in index
    order: doc id ``zz-distractors.jsonl#{i + 1}``) and the chunks each gives, for those counted."""
    counts = json.loads((folder / "corpus.json").read_text())["chunks_per_article"]
    with open(folder / "articles" / "distractors.jsonl", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    return records, counts


class Corpus:
    """Chunks of the scale corpus, with their article, language and half."""

    def __init__(self, folder: Path):
        texts, vecs = load_corpus_vectors(folder)
        records, counts = read_articles(folder)
        if sum(counts) != len(texts) or len(counts) > len(records):
            raise SystemExit(f"error: {folder} is incomplete ({len(texts)} vectors for {sum(counts)} chunks); "
                             "re-run `bench/scale.py embed` without --limit")
        self.texts, self.vectors = texts, vecs
        self.starts = np.concatenate([[0], np.cumsum(counts)]).astype(int)
        self.article_of_context = {r["text"]: i for i, r in enumerate(records)}
        self.article = np.repeat(np.arange(len(counts)), counts)
        held = np.array([held_out(r["text"]) for r in records])
        self.held_out = held[self.article]
        lang = np.array(["en" if "_en_" in r.get("outlet", "") else "id" for r in records])
        self.language = lang[self.article]

    def answer_rows(self, context: str, answers: list[str]) -> tuple[int | None, list[int]]:
        """The article of ``context`` and its chunks holding an answer (all of its chunks if none)."""
        article = self.article_of_context.get(context)
        if article is None:
            return None, []
        rows = list(range(self.starts[article], self.starts[article + 1]))
        squash = lambda s: " ".join(s.split()).lower()  # noqa: E731
        hit = [r for r in rows if any(squash(a) in squash(self.texts[r]) for a in answers)]
        return article, hit or rows


def training_questions(corpus: Corpus, data: Path, translator, gloss: float, seed: int) -> list[tuple]:
    """``(question, positive rows, kind)`` for the training half (rows: indexes into that half)."""
    from qa.training.reader_data import load_jsonl

    local = {int(r): i for i, r in enumerate(np.where(~corpus.held_out)[0])}
    rng, seen, out = random.Random(seed), set(), []
    for stem in TRAIN_FILES:
        path = data / f"{stem}.jsonl"
        if not path.exists():
            raise SystemExit(f"error: {path} not found; --data must be the qa-train folder")
        for ex in load_jsonl(path):
            if not ex.answerable or (ex.question, ex.context) in seen:
                continue
            seen.add((ex.question, ex.context))
            article, rows = corpus.answer_rows(ex.context, ex.answers)
            if article is None or corpus.held_out[rows[0]]:
                continue
            positives = [local[r] for r in rows]
            out.append((ex.question, positives, ex.lang))
            if ex.lang == "id" and translator is not None and rng.random() < gloss:
                out.append((translator.translate(ex.question, rng), positives, "en->id"))
    return out


def validation_groups(corpus: Corpus, data: Path, translator, english_questions: Path | None,
                      per_group: int = 400) -> dict[str, list]:
    """``{group: [(question, article)]}`` of answerable validation questions of the held-out half
    (``english_questions``: the hand-translated questions' TSV, None to leave that group empty)."""
    from qa.training.calibrate import translated_pool
    from qa.training.reader_data import load_jsonl

    groups: dict[str, list] = {g: [] for g in GROUPS}
    for stem in VALID_FILES:
        for ex in load_jsonl(data / f"{stem}.jsonl"):
            article = corpus.article_of_context.get(ex.context)
            if not ex.answerable or article is None or not corpus.held_out[corpus.starts[article]]:
                continue
            groups["id" if ex.lang == "id" else "en"].append((ex.question, article))
            if ex.lang == "id" and translator is not None:
                groups["en->id (glossed)"].append((translator.translate(ex.question, random.Random(0)), article))
    for _, en in translated_pool(data, english_questions) if english_questions else []:
        article = corpus.article_of_context.get(en.context)
        if en.answerable and article is not None and corpus.held_out[corpus.starts[article]]:
            groups["en->id (hand-translated)"].append((en.question, article))
    for name in groups:
        random.Random(3).shuffle(groups[name])
        groups[name] = groups[name][:per_group]
    return groups


def low_rank(linear, rank: int, scale: float, generator):
    """``linear`` (frozen) plus a trainable ``scale · B @ A`` update; B starts at zero."""
    import torch

    class LowRank(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.base, self.scale = linear, scale
            self.A = torch.nn.Parameter(torch.randn(rank, linear.in_features, generator=generator)
                                        / math.sqrt(linear.in_features))
            self.B = torch.nn.Parameter(torch.zeros(linear.out_features, rank))

        def forward(self, x):
            return self.base(x) + (x @ self.A.t() @ self.B.t()) * self.scale

    return LowRank()


def embed_questions(bert, tokenizer, questions: list[str], prompt: str, grad: bool = False, batch: int = 64):
    """Mean-pooled, normalised question vectors (a torch tensor), as the product computes them."""
    import torch

    from qa.pooling import mean_pool

    out = []
    for a in range(0, len(questions), batch):
        enc = tokenizer([prompt + q for q in questions[a:a + batch]], padding=True, truncation=True,
                        max_length=64, return_tensors="pt")
        with torch.set_grad_enabled(grad):
            hidden = bert(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
            out.append(mean_pool(hidden, enc["attention_mask"]))
    return torch.cat(out)


def held_out_recall(bert, tokenizer, prompt: str, corpus: Corpus, groups: dict[str, list]) -> dict:
    """Article recall@5 and @1 of each group among the held-out chunks, without and with the bonus."""
    import torch

    from qa.retrieval import CROSS_LINGUAL_BONUS

    rows = np.where(corpus.held_out)[0]
    matrix, articles, languages = torch.from_numpy(corpus.vectors[rows]), corpus.article[rows], corpus.language[rows]
    out = {}
    for name, items in groups.items():
        language = "id" if name == "id" else "en"
        row = {"n": len(items)}
        if not items:
            out[name] = row
            continue
        scores = (embed_questions(bert, tokenizer, [q for q, _ in items], prompt) @ matrix.t()).numpy()
        for bonus in sorted({0.0, CROSS_LINGUAL_BONUS.get("en", 0.0)}):
            adjusted = scores + bonus * (languages != language)[None, :]
            top = np.argsort(-adjusted, axis=1)[:, :5] if adjusted.shape[1] <= 5 else \
                np.argpartition(-adjusted, 5, axis=1)[:, :5]
            best = adjusted.argmax(axis=1)
            row[f"recall@5 bonus {bonus}"] = round(float(np.mean(
                [items[i][1] in set(articles[top[i]]) for i in range(len(items))])), 3)
            row[f"recall@1 bonus {bonus}"] = round(float(np.mean(
                [items[i][1] == articles[best[i]] for i in range(len(items))])), 3)
        out[name] = row
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Train the question adapter of the embedding model (CPU).")
    ap.add_argument("--data", type=Path, required=True, help="the qa-train folder")
    ap.add_argument("--bitext", type=Path, help="folder with the bilingual lexicon (glossed English questions)")
    ap.add_argument("--corpus", type=Path, default=Path("bench/out/scale"), help="bench/scale.py corpus + embed output")
    ap.add_argument("--out", type=Path, default=DEFAULT_ADAPTER)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--tau", type=float, default=0.02, help="softmax temperature over cosines")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--gloss", type=float, default=1.0, help="share of Indonesian questions also glossed into English")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--minutes", type=float, default=60.0, help="stop after this long (the plan is kept)")
    ap.add_argument("--languages", default="en",
                    help="question languages the adapter is used for, comma-separated ('all': every language)")
    ap.add_argument("--english-questions", type=Path, default=ENGLISH_QUESTIONS,
                    help="hand-translated validation questions (TSV); 'none' to skip that group")
    ap.add_argument("--eval-only", type=Path, help="measure this adapter (.safetensors) instead of training")
    args = ap.parse_args(argv)

    import torch

    from qa.config import Settings
    from qa.embedding import Embedder
    from qa.offline_model import source_sha256
    from qa.query_adapter import load_adapter, merge_adapter

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    settings = Settings()
    corpus = Corpus(args.corpus)
    translator = None
    if args.bitext:
        from qa.training.reader_data import WordTranslator

        translator = WordTranslator.from_bitext(args.bitext)
    english = None if str(args.english_questions).lower() == "none" else args.english_questions
    groups = validation_groups(corpus, args.data, translator, english)
    embedder = Embedder(settings.embedding_model, settings.cache_dir, progress=False, query_adapter="none")
    bert, tokenizer, prompt = embedder.model[0].auto_model, embedder.model.tokenizer, settings.query_prompt
    bert.eval()
    before = held_out_recall(bert, tokenizer, prompt, corpus, groups)
    print("base model:", json.dumps(before), flush=True)
    if args.eval_only:
        merge_adapter(bert, load_adapter(args.eval_only))
        print("with adapter:", json.dumps(held_out_recall(bert, tokenizer, prompt, corpus, groups)))
        return 0

    train = training_questions(corpus, args.data, translator, args.gloss, args.seed)
    kinds = {k: sum(t[2] == k for t in train) for k in ("id", "en", "en->id")}
    print(f"{len(train)} training questions {kinds}; {int((~corpus.held_out).sum())} training chunks, "
          f"{int(corpus.held_out.sum())} held out", flush=True)
    for p in bert.parameters():
        p.requires_grad_(False)
    generator = torch.Generator().manual_seed(args.seed)
    scale = 2.0  # alpha / rank with alpha = 2 · rank
    wrapped = {}
    for name, linear in target_modules(bert).items():
        wrapped[name] = low_rank(linear, args.rank, scale, generator)
        replace_target(bert, name, wrapped[name])
    params = [p for m in wrapped.values() for p in (m.A, m.B)]
    negatives = torch.from_numpy(corpus.vectors[~corpus.held_out])
    steps = max(1, int(args.epochs * len(train) / args.batch_size))
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.0)
    warmup = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1 - s / steps))
    rng, order, t0, done, losses = random.Random(args.seed), [], time.perf_counter(), 0, []
    bert.train()
    for step in range(steps):
        if len(order) < args.batch_size:
            order = list(range(len(train)))
            rng.shuffle(order)
        batch = [train[order.pop()] for _ in range(args.batch_size)]
        logits = embed_questions(bert, tokenizer, [b[0] for b in batch], prompt, grad=True) @ negatives.t() / args.tau
        positive = torch.full_like(logits, float("-inf"))
        for i, b in enumerate(batch):
            positive[i, b[1]] = 0.0
        loss = (torch.logsumexp(logits, 1) - torch.logsumexp(logits + positive, 1)).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
        done = step + 1
        if step % 25 == 0 or done == steps:
            print(f"step {done}/{steps} loss {np.mean(losses[-25:]):.3f} ({time.perf_counter() - t0:.0f} s)", flush=True)
        if time.perf_counter() - t0 > args.minutes * 60:
            print(f"stopped by --minutes after {done} of {steps} steps", flush=True)
            break
    minutes = (time.perf_counter() - t0) / 60
    bert.eval()
    after = held_out_recall(bert, tokenizer, prompt, corpus, groups)
    print("with adapter:", json.dumps(after), flush=True)
    base_sha = source_sha256(Path(embedder._model_dir))
    languages = None if args.languages == "all" else [x.strip() for x in args.languages.split(",") if x.strip()]
    config = {"rank": args.rank, "scale": scale, "languages": languages, "targets": list(TARGETS), "base_model_id": embedder.model_id,
              "base_source_sha256": base_sha, "prompt": prompt, "epochs": args.epochs, "steps": done,
              "planned_steps": steps, "lr": args.lr, "tau": args.tau, "batch_size": args.batch_size,
              "gloss": args.gloss, "seed": args.seed, "train_minutes": round(minutes, 1), "threads": args.threads,
              "training_questions": kinds, "training_chunks": int((~corpus.held_out).sum()),
              "held_out_chunks": int(corpus.held_out.sum()), "held_out_recall_base": before,
              "held_out_recall_adapter": after, "command": "python -m qa.training.train_query_adapter " + " ".join(sys.argv[1:])}
    save_adapter(args.out, {f"{n}.{x}": getattr(m, x) for n, m in wrapped.items() for x in ("A", "B")}, config)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) and {args.out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
