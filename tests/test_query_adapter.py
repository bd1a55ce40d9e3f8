"""The question adapter: file format, merging, and the shipped adapter in the embedder."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from qa.query_adapter import (DEFAULT_ADAPTER, AdapterError, load_adapter, merge_adapter, question_encoder,
                              save_adapter, target_modules)


def _tiny_bert(layers: int = 2):
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=layers, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=32)
    return BertModel(config).eval()


def _random_adapter(bert, rank: int = 2) -> dict:
    g = torch.Generator().manual_seed(1)
    tensors = {}
    for name, linear in target_modules(bert).items():
        tensors[f"{name}.A"] = torch.randn(rank, linear.in_features, generator=g)
        tensors[f"{name}.B"] = torch.randn(linear.out_features, rank, generator=g)
    return tensors


def test_round_trip_and_exact_merge(tmp_path):
    bert = _tiny_bert()
    tensors = _random_adapter(bert)
    path = tmp_path / "a.safetensors"
    save_adapter(path, tensors, {"rank": 2, "scale": 0.5, "base_source_sha256": "x"})
    adapter = load_adapter(path)
    assert adapter.base_sha256 == "x" and len(adapter.sha256) == 64
    before = {n: m.weight.detach().clone() for n, m in target_modules(bert).items()}
    encoder = question_encoder(bert, adapter)
    for name, linear in target_modules(encoder).items():
        a, b = adapter.tensors[f"{name}.A"].float(), adapter.tensors[f"{name}.B"].float()
        assert torch.allclose(a, tensors[f"{name}.A"], rtol=1e-3, atol=1e-3)  # stored as fp16
        expected = before[name] + 0.5 * b @ a
        assert torch.allclose(linear.weight, expected, atol=1e-6)
    # the original model is untouched, and the word embeddings are shared, not copied
    for name, linear in target_modules(bert).items():
        assert torch.equal(linear.weight, before[name])
    assert encoder.embeddings.word_embeddings is bert.embeddings.word_embeddings
    ids = torch.tensor([[1, 5, 7, 2]])
    assert not torch.allclose(encoder(input_ids=ids).last_hidden_state, bert(input_ids=ids).last_hidden_state)


def test_missing_adapter_names_the_fix(tmp_path):
    with pytest.raises(AdapterError, match="QA_QUERY_ADAPTER=none"):
        load_adapter(tmp_path / "nothing.safetensors")


def test_adapter_for_another_model_is_refused(tmp_path):
    path = tmp_path / "a.safetensors"
    save_adapter(path, _random_adapter(_tiny_bert(layers=2)), {"rank": 2, "scale": 1.0})
    with pytest.raises(AdapterError, match="does not fit"):
        merge_adapter(_tiny_bert(layers=3), load_adapter(path))


def test_corrupt_adapter_is_a_clear_error(tmp_path):
    path = tmp_path / "a.safetensors"
    path.write_bytes(b"not a safetensors file")
    path.with_suffix(".json").write_text(json.dumps({"rank": 2, "scale": 1.0}))
    with pytest.raises(AdapterError, match="could not be read"):
        load_adapter(path)


def _sharing(embedder, **kwargs):
    """Another Embedder over the session's loaded model, with other settings."""
    from qa.embedding import Embedder

    other = Embedder(embedder.model_name, embedder.cache_dir, progress=False, **kwargs)
    other._model, other.model_id, other._model_dir = embedder.model, embedder.model_id, embedder._model_dir
    return other


@pytest.fixture(scope="module")
def shipped(embedder):
    """The session's model with the shipped question adapter (QA_QUERY_ADAPTER=shipped)."""
    return _sharing(embedder, query_adapter="shipped")


def test_adapter_is_off_by_default(embedder):
    assert embedder.question_model is embedder.model[0].auto_model and embedder.adapter is None


def test_shipped_adapter_moves_questions_not_passages(shipped):
    embedder = shipped
    assert DEFAULT_ADAPTER.exists() and embedder.question_model is not embedder.model[0].auto_model
    assert embedder.adapter is not None and embedder.adapter.path == DEFAULT_ADAPTER
    base = _sharing(embedder, query_adapter="none", query_engine="torch")
    assert embedder.adapter.config["languages"] == ["en"]
    questions = ["Who is the mayor of Shenzhen?", "Who did the IKN chief meet in Shenzhen?"]
    passages = ["Walikota Shenzhen, Qin Weizhong, bertemu Kepala Otorita IKN Bambang Susantono di Shenzhen.",
                "The 1961 San Francisco Stomp meets the definition of a line dance."]
    adapted, plain = embedder.encode_query(questions, language="en"), base.encode_query(questions, language="en")
    assert np.all((adapted * plain).sum(axis=1) < 0.99)  # English questions moved
    documents = embedder.encode_document(passages)
    assert np.allclose(documents, base.encode_document(passages), atol=1e-6)  # the passages did not
    scores = adapted @ documents.T
    assert np.all(scores[:, 0] > scores[:, 1])  # and still find their passage
    # Indonesian questions (and questions of unknown language) keep the base model's vectors
    indonesian = ["Siapa walikota Shenzhen?"]
    assert float(embedder.encode_query(indonesian, language="id")[0] @ base.encode_query(indonesian)[0]) > 0.9999
    assert float(embedder.encode_query(indonesian)[0] @ base.encode_query(indonesian)[0]) > 0.9999


def test_onnx_matches_pytorch_for_adapted_questions(shipped):
    embedder = shipped
    torch_path = _sharing(embedder, query_engine="torch", query_adapter="shipped")
    questions = ["Why is Nusantara expected to become the world's first forest capital?", "Kapan?"]
    fast = embedder.encode_query(questions, language="en")
    assert embedder.query_encoder(True) is not None
    assert float((fast * torch_path.encode_query(questions, language="en")).sum(axis=1).min()) > 0.99999


def _tiny_corpus(tmp_path, embedder):
    """A scale-corpus folder of eight one-chunk articles (real vectors) and qa files asking about them."""
    import lzma

    from qa.training.train_query_adapter import TRAIN_FILES, VALID_FILES, held_out

    facts = [("id", "Kota {} memiliki {} jembatan yang dibangun pada tahun {}.", "Berapa jembatan di kota {}?"),
             ("en", "The town of {} has {} bridges built in the year {}.", "How many bridges does {} have?")]
    towns = ["Ambon", "Bogor", "Cirebon", "Depok", "Ende", "Garut", "Jambi", "Kupang"]
    records, texts, questions = [], [], {stem: [] for stem in TRAIN_FILES + VALID_FILES}
    for i, town in enumerate(towns):
        lang, text, question = facts[i % 2]
        context = text.format(town, 10 + i, 1900 + i)
        stem = f"tydiqa_{lang}_train" if not held_out(context) else ("tydiqa_id_valid" if lang == "id" else "qed_en_valid")
        records.append({"id": f"d{i}", "outlet": f"tydiqa_{lang}_train", "text": context})
        texts.append(context)
        questions[stem].append({"id": f"q{i}", "lang": lang, "question": question.format(town), "context": context,
                                "answers": [str(10 + i)], "answerable": True})
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "vectors").mkdir()
    data.mkdir()
    (corpus / "articles" / "distractors.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    (corpus / "texts.jsonl.xz").write_bytes(lzma.compress("\n".join(json.dumps(t) for t in texts).encode()))
    (corpus / "corpus.json").write_text(json.dumps({"chunks_per_article": [1] * len(texts)}))
    np.save(corpus / "vectors" / "vectors_00.npy", embedder.encode_document(texts).astype(np.float16))
    for stem, rows in questions.items():
        (data / f"{stem}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return corpus, data, questions


def test_training_writes_an_adapter_that_loads(tmp_path, embedder, capsys):
    from qa.training.train_query_adapter import Corpus, main

    corpus, data, questions = _tiny_corpus(tmp_path, embedder)
    loaded = Corpus(corpus)
    assert 0 < loaded.held_out.sum() < len(loaded.held_out)  # both halves are used
    article, rows = loaded.answer_rows(questions["tydiqa_id_train"][0]["context"], ["10"])
    assert rows == [article]
    out = tmp_path / "adapter" / "a.safetensors"
    assert main(["--data", str(data), "--corpus", str(corpus), "--out", str(out), "--epochs", "2",
                 "--batch-size", "2", "--english-questions", "none"]) == 0
    adapter = load_adapter(out)
    config = adapter.config
    assert config["steps"] == config["planned_steps"] > 0 and config["base_source_sha256"]
    assert set(config["held_out_recall_adapter"]) == {"id", "en", "en->id (glossed)", "en->id (hand-translated)"}
    b = next(v for k, v in adapter.tensors.items() if k.endswith(".B"))
    assert b.abs().sum() > 0  # trained: B starts at zero
    assert "wrote" in capsys.readouterr().out
    assert main(["--data", str(data), "--corpus", str(corpus), "--english-questions", "none",
                 "--eval-only", str(out)]) == 0
    assert "with adapter:" in capsys.readouterr().out


def test_incomplete_corpus_is_a_clear_error(tmp_path, embedder):
    from qa.training.train_query_adapter import Corpus

    corpus, _, _ = _tiny_corpus(tmp_path, embedder)
    (corpus / "corpus.json").write_text(json.dumps({"chunks_per_article": [1] * 9}))
    with pytest.raises(SystemExit, match="incomplete"):
        Corpus(corpus)
