"""The ONNX Runtime question encoder: same vectors as PyTorch, cached export, safe fallback."""
from __future__ import annotations

import logging

import numpy as np
import pytest

QUESTIONS = ["Siapa walikota Shenzhen?", "Who is the governor of Astana?", "Kapan?",
             "Berapa jumlah peserta yang diundang kegiatan ini, dan dari negara mana saja mereka datang?"]


def _torch_embedder(embedder):
    from qa.embedding import Embedder

    other = Embedder(embedder.model_name, embedder.cache_dir, progress=False, query_engine="torch")
    other._model, other.model_id, other._model_dir = embedder.model, embedder.model_id, embedder._model_dir
    return other


def test_onnx_questions_match_pytorch(embedder):
    fast = embedder.query_encoder()
    assert fast is not None and fast.path.exists()
    reference = _torch_embedder(embedder).encode_query(QUESTIONS)
    vectors = embedder.encode_query(QUESTIONS)  # one padded batch of four lengths
    assert vectors.shape == reference.shape
    assert float((vectors * reference).sum(axis=1).min()) > 0.99999
    single = embedder.encode_query([QUESTIONS[2]])[0]
    assert float(single @ reference[2]) > 0.99999


def test_export_is_cached(embedder):
    from qa.embedding import Embedder

    first = embedder.query_encoder()
    again = Embedder(embedder.model_name, embedder.cache_dir, progress=False)
    again._model, again.model_id, again._model_dir = embedder.model, embedder.model_id, embedder._model_dir
    second = again.query_encoder()
    assert second.path == first.path and not second.exported


def test_failed_export_falls_back_to_pytorch(embedder, monkeypatch, caplog):
    from qa import query_encoder

    def broken(*args, **kwargs):
        raise RuntimeError("simulated export failure")

    monkeypatch.setattr(query_encoder.OnnxQueryEncoder, "load_or_export", broken)
    fallback = _torch_embedder(embedder)
    fallback.query_engine = "onnx"
    with caplog.at_level(logging.WARNING, logger="qa.embedding"):
        assert fallback.query_encoder() is None
    assert "simulated export failure" in caplog.text and "QA_QUERY_ENGINE=torch" in caplog.text
    vectors = fallback.encode_query(QUESTIONS[:2])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_unknown_query_engine_is_a_clear_error():
    from qa.embedding import Embedder

    with pytest.raises(ValueError, match="Unknown query engine 'tpu'.*onnx"):
        Embedder(query_engine="tpu")


def test_new_export_forgets_stale_ones(tmp_path):
    import json

    from transformers import BertConfig, BertModel

    from qa.query_encoder import OnnxQueryEncoder

    torch_model = BertModel(BertConfig(vocab_size=30, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                       intermediate_size=32, max_position_embeddings=16)).eval()
    onnx_dir = tmp_path / "onnx"
    for name, source in (("old-version", None), ("same-model", {"model_dir": "tiny", "role": "base"}),
                         ("adapted", {"model_dir": "tiny", "role": "adapted"}),
                         ("other-model", {"model_dir": "elsewhere", "role": "base"})):
        (onnx_dir / name).mkdir(parents=True)
        (onnx_dir / name / "query.onnx").write_bytes(b"x")
        if source:
            (onnx_dir / name / "source.json").write_text(json.dumps(source))
    encoder = OnnxQueryEncoder.load_or_export(torch_model, "tiny", tmp_path, threads=1)
    assert encoder.exported and encoder.path.exists()
    left = sorted(p.name for p in onnx_dir.iterdir())
    assert left == sorted(["adapted", "other-model", encoder.path.parent.name])
    vector = encoder.encode_ids([[1, 5, 7, 2]], pad_id=0)
    assert vector.shape == (1, 16) and abs(float(np.linalg.norm(vector)) - 1) < 1e-5
