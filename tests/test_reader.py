"""Tests of the neural reader (shipped weights), the Hugging Face reader plumbing and windowing.

Everything runs offline on the CPU: the base model folder is built by ``ensure_offline_model``
into the user cache; the shipped weights come from ``qa/reader/weights``.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.reader import ReaderResult
from qa.retrieval import Passage
from qa.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed_text(prefix: str) -> str:
    """The text of the seed article whose file name starts with ``prefix``."""
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def passage_around(doc: str, needle: str, chars: int = 700, doc_id: str = "doc", chunk_id: int = 0) -> Passage:
    """A passage of whole sentences (about ``chars`` long) around the first ``needle`` in ``doc``."""
    pos = doc.index(needle)
    sents = split_sentences(doc)
    chosen = [(s, e) for s, e in sents if e > pos - chars // 2 and s < pos + chars // 2]
    start, end = chosen[0][0], chosen[-1][1]
    return Passage(doc_id=doc_id, chunk_id=chunk_id, text=doc[start:end], start=start, end=end, score=1.0,
                   rank=1, sentences=chosen)


def check_span_offsets(result: ReaderResult, docs: dict[str, str]) -> None:
    """Every span maps exactly back into its document and lies in its sentence and passage."""
    for span in result.spans:
        doc = docs[span.passage.doc_id]
        assert doc[span.start:span.end] == span.text
        assert span.text == span.text.strip() and span.text
        assert span.passage.start <= span.start < span.end <= span.passage.end
        assert span.sentence_start <= span.start and span.end <= span.sentence_end


@pytest.fixture(scope="module", params=["int8", "fp32"])
def reader(request):
    """The shipped neural reader, loaded once per precision (int8 is the product default)."""
    from qa.reader.neural import NeuralReader

    r = NeuralReader(precision=request.param)
    r.warm_up()
    return r


def test_precision_of_each_linear_layer(reader):
    """int8 quantises attention and FFN up-projections; FFN down-projections and the head stay
    fp32. The fp32 reader has no quantised layer."""
    kinds = {name: ("int8" if "quantized" in type(m).__module__ else "fp32")
             for name, m in reader._model.named_modules() if type(m).__name__ == "Linear"}
    down = [n for n in kinds if n.endswith(".output.dense") and ".attention." not in n]
    up = [n for n in kinds if n.endswith(".intermediate.dense") or n.endswith(".attention.self.query")]
    assert len(down) == 12 and len(up) == 24 and kinds["qa_outputs"] == "fp32"
    assert all(kinds[n] == "fp32" for n in down)
    assert all(kinds[n] == reader.precision for n in up), {n: kinds[n] for n in up[:2]}


def test_english_threshold_applies_to_english_questions_only():
    from qa.reader.neural import NeuralReader

    reader = NeuralReader.from_model(None, None, {"threshold": -1.5})
    assert reader.threshold_for("en") == reader.threshold_for("id") == -1.5
    reader.config["threshold_en"] = 0.75
    assert reader.threshold_for("en") == 0.75 and reader.threshold_for("id") == reader.threshold == -1.5
    assert NeuralReader(threshold=2.0).threshold_for("en") == 2.0  # an explicit override wins


def test_unknown_precision_is_a_clear_error():
    from qa.reader.neural import NeuralReader

    with pytest.raises(ValueError, match="Unknown reader precision 'fp8'.*int8"):
        NeuralReader(precision="fp8")


def test_unpadded_windows_give_the_batched_logits():
    """On the CPU each window runs without padding; the logits must equal the padded batch's."""
    import torch
    from transformers import BertConfig, BertModel

    from qa.reader.model import SpanModel
    from qa.reader.spans import span_logits

    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=64)
    model = SpanModel(BertModel(cfg, add_pooling_layer=False), 32).eval()
    ids = torch.randint(5, 100, (3, 20))
    mask = torch.ones_like(ids)
    mask[1, 12:] = 0
    mask[2, 7:] = 0
    ids = ids * mask
    class Recording(torch.nn.Module):  # notes the torch threads each window ran with
        def __init__(self, inner):
            super().__init__()
            self.inner, self.threads = inner, []

        def forward(self, *args, **kwargs):
            self.threads.append(torch.get_num_threads())
            return self.inner(*args, **kwargs)

    recording = Recording(model)
    threads = torch.get_num_threads()
    torch.set_num_threads(2)  # two windows run side by side on one thread each, the third on both
    try:
        start, end = span_logits(recording, ids, mask)
        assert torch.get_num_threads() == 2  # restored after the read
    finally:
        torch.set_num_threads(threads)
    assert recording.threads == [1, 1, 2]
    with torch.inference_mode():
        ref_start, ref_end = model(ids, mask)
    for w, n in enumerate(mask.sum(1).tolist()):
        assert torch.allclose(start[w, :n], ref_start[w, :n], atol=1e-5)
        assert torch.allclose(end[w, :n], ref_end[w, :n], atol=1e-5)
        assert torch.isinf(start[w, n:]).all() and torch.isinf(end[w, n:]).all()


SEED_QUESTIONS = [
    ("004", "Siapa Gubernur Ibu Kota Astana?", "id", "Zhenis Kassymbek"),
    ("000", "Siapa Walikota Shenzhen?", "id", "Qin Weizhong"),
    ("003", "Berapa jumlah peserta yang diundang kegiatan ini?", "id", "1.200"),
    ("004", "Who is the governor of Astana?", "en", "Zhenis Kassymbek"),
    ("000", "Who is the mayor of Shenzhen?", "en", "Qin Weizhong"),
]


@pytest.mark.parametrize("prefix,question,language,expected", SEED_QUESTIONS)
def test_answers_seed_questions(reader, prefix, question, language, expected):
    doc = seed_text(prefix)
    passage = passage_around(doc, expected)
    result = reader.read(question, [passage], language)
    assert result.spans, "no span returned"
    best = result.spans[0]
    assert expected in best.text or (best.text in expected and len(best.text) >= len(expected) // 2), best.text
    check_span_offsets(result, {"doc": doc})
    sentence = doc[best.sentence_start:best.sentence_end]
    assert best.text in sentence


def test_best_span_across_passages(reader):
    """Spans of several passages compete; the right passage wins and offsets stay exact."""
    doc0, doc4 = seed_text("000"), seed_text("004")
    passages = [passage_around(doc0, "Qin Weizhong", doc_id="p0"), passage_around(doc4, "Zhenis Kassymbek", doc_id="p4")]
    result = reader.read("Siapa Gubernur Ibu Kota Astana?", passages, "id")
    assert result.spans[0].passage.doc_id == "p4"
    assert "Zhenis Kassymbek" in result.spans[0].text
    check_span_offsets(result, {"p0": doc0, "p4": doc4})
    keys = [(s.passage.doc_id, s.start, s.end) for s in result.spans]
    assert len(keys) == len(set(keys)), "duplicate spans"


def test_early_stop_reads_later_passages_only_when_needed(reader, monkeypatch):
    """With a confident answer in the first two passages the other three are never run through the
    model, and the answer is the one a full read gives; without one, all five are read."""
    from dataclasses import replace

    from qa.reader import spans

    doc0, doc4 = seed_text("000"), seed_text("004")
    answer = passage_around(doc4, "Zhenis Kassymbek", doc_id="p4")
    others = [passage_around(doc0, needle, doc_id=f"o{i}") for i, needle in
              enumerate(["Qin Weizhong", "Shenzhen", "Bambang", "IKN"])]
    passages = [replace(p, rank=r) for r, p in enumerate([answer] + others, start=1)]
    calls = []
    original = spans._candidates
    monkeypatch.setattr(spans, "_candidates", lambda *a, **k: calls.append(len(a[3])) or original(*a, **k))
    question = "Siapa Gubernur Ibu Kota Astana?"
    monkeypatch.setitem(reader.config, "early_stop_margin", None)
    full = reader.read(question, passages, "id")
    assert calls == [5]
    calls.clear()
    monkeypatch.setitem(reader.config, "early_stop_margin", full.score - 1.0)
    monkeypatch.setitem(reader.config, "early_stop_passages", 2)
    early = reader.read(question, passages, "id")
    assert calls == [2] and early.score == pytest.approx(full.score)
    assert (early.spans[0].text, early.spans[0].start) == (full.spans[0].text, full.spans[0].start)
    calls.clear()
    late = [replace(p, rank=r) for r, p in enumerate(others[:2] + [answer] + others[2:], start=1)]
    monkeypatch.setitem(reader.config, "early_stop_margin", 100.0)  # never confident enough
    result = reader.read(question, late, "id")
    assert calls == [2, 3] and "Zhenis Kassymbek" in result.spans[0].text
    check_span_offsets(result, {"p4": doc4, **{f"o{i}": doc0 for i in range(4)}})


def test_unanswerable_has_lower_margin(reader):
    doc = seed_text("004")
    passage = passage_around(doc, "Zhenis Kassymbek")
    answerable = reader.read("Siapa Gubernur Ibu Kota Astana?", [passage], "id")
    absent = reader.read("Siapa pemenang Piala Dunia sepak bola 2022?", [passage], "id")
    assert answerable.found
    assert (not absent.found) or absent.score < answerable.score


def test_answer_in_second_window(reader):
    """A passage longer than one window: the answer lies only in the second window."""
    question = "Siapa kepala proyek bendungan Sungai Mahakam?"
    answer_sentence = "Kepala proyek bendungan Sungai Mahakam adalah insinyur Ratna Wulandari."
    filler_doc = seed_text("003")
    tok, max_length = reader._tokenizer, reader.config["max_length"]
    cut = 0
    for _, e in split_sentences(filler_doc):  # just over one window of filler
        cut = e
        if len(tok(question, filler_doc[:cut])["input_ids"]) > max_length + 20:
            break
    text = filler_doc[:cut] + "\n" + answer_sentence
    answer_at = text.index("Ratna Wulandari")
    enc = tok(question, text, truncation="only_second", max_length=max_length, stride=reader.config["stride"],
              return_overflowing_tokens=True, return_offsets_mapping=True)
    assert len(enc["input_ids"]) == 2, "the test passage must need exactly two windows"
    last_in_first = max(o[1] for o, s in zip(enc["offset_mapping"][0], enc.sequence_ids(0)) if s == 1)
    assert last_in_first < answer_at
    passage = Passage(doc_id="long", chunk_id=0, text=text, start=100, end=100 + len(text),
                      sentences=[(100 + s, 100 + e) for s, e in split_sentences(text)])
    result = reader.read(question, [passage], "id")
    best = result.spans[0]
    assert "Ratna Wulandari" in best.text
    assert best.start >= 100 + answer_at - len("insinyur ")
    doc = " " * 100 + text  # document coordinates: the passage starts at offset 100
    check_span_offsets(result, {"long": doc})


def test_empty_inputs(reader):
    assert reader.read("Siapa?", [], "id").spans == []
    empty = Passage(doc_id="e", chunk_id=0, text="   ", start=0, end=3)
    assert not reader.read("Siapa?", [empty], "id").found


def test_missing_weights_error(tmp_path):
    from qa.reader.model import WeightsError
    from qa.reader.neural import NeuralReader

    with pytest.raises(WeightsError) as err:
        NeuralReader(weights_dir=tmp_path).warm_up()
    assert str(tmp_path) in str(err.value) and "qa.training.train_reader" in str(err.value)
    (tmp_path / "model.safetensors").write_bytes(b"not a safetensors file")
    (tmp_path / "reader_config.json").write_text("{}")
    with pytest.raises(WeightsError):
        NeuralReader(weights_dir=tmp_path).warm_up()


def test_shipped_weights_do_not_include_word_embeddings():
    from safetensors import safe_open

    from qa.reader.model import WEIGHTS_DIR, read_config

    with safe_open(str(WEIGHTS_DIR / "model.safetensors"), "pt") as f:
        keys = list(f.keys())
    assert "qa_outputs.weight" in keys
    assert not any("word_embeddings" in k for k in keys)
    cfg = read_config(WEIGHTS_DIR)
    assert cfg["max_length"] >= 128 and isinstance(cfg["threshold"], float)
    assert (WEIGHTS_DIR / "model.safetensors").stat().st_size < 60e6


# ------------------------------------------------------------------ TransformersReader plumbing
@pytest.fixture(scope="module")
def tiny_qa_model(tmp_path_factory):
    """A randomly initialised 2-layer BertForQuestionAnswering with the offline tokenizer."""
    import torch
    from transformers import BertConfig, BertForQuestionAnswering

    from qa.reader.model import base_folder

    base = base_folder()
    out = tmp_path_factory.mktemp("tiny-qa")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(base / name, out / name)
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(out))
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=512, pad_token_id=tok.pad_token_id)
    BertForQuestionAnswering(cfg).save_pretrained(str(out))
    return out


def test_transformers_reader_mechanics(tiny_qa_model):
    from qa.reader.transformers_reader import TransformersReader

    doc = seed_text("004")
    short = passage_around(doc, "Zhenis Kassymbek", doc_id="a")
    long_text = doc[:4000]
    long = Passage(doc_id="b", chunk_id=1, text=long_text, start=0, end=len(long_text),
                   sentences=split_sentences(long_text))
    reader = TransformersReader(str(tiny_qa_model), max_length=128, stride=32)
    result = reader.read("Siapa Gubernur Ibu Kota Astana?", [short, long], "id")
    assert isinstance(result, ReaderResult) and result.spans
    check_span_offsets(result, {"a": doc, "b": doc})
    assert isinstance(result.found, bool) and result.score == result.spans[0].score


def test_transformers_reader_load_error(tmp_path):
    from qa.reader.transformers_reader import ReaderLoadError, TransformersReader

    with pytest.raises(ReaderLoadError) as err:
        TransformersReader(str(tmp_path / "no-such-model")).warm_up()
    assert "no-such-model" in str(err.value)


# ------------------------------------------------------------------ helpers
def test_strip_and_token_span():
    from qa.training.reader_data import token_span
    from qa.reader.spans import _strip

    assert _strip("  ab c ", 0, 7) == (2, 6)
    for raw, clean in [("31 Juli 2024.", "31 Juli 2024"), ("(22/10/2021", "22/10/2021"), ("2023)", "2023"),
                       ("Memorandum of Understanding).", "Memorandum of Understanding"),
                       ("Kementerian Dalam Negeri (Kemdagri),", "Kementerian Dalam Negeri (Kemdagri)"),
                       ("“kota hutan", "kota hutan"), ("“kota hutan”", "“kota hutan”"), ("(ASCN)", "(ASCN)"),
                       ("Sammy Davis Jr.", "Sammy Davis Jr."), ("the U.S.", "the U.S."), ("1.200", "1.200"),
                       (". B.R. Ambedkar", "B.R. Ambedkar"), (", dan Jepang", "dan Jepang"), (".NET", ".NET")]:
        text = f"x {raw} y"
        cs, ce = _strip(text, 2, 2 + len(raw))
        assert text[cs:ce] == clean, raw
    text = "Sidang Tahunan ke-7 ASCN"
    assert text[slice(*_strip(text, text.index("-7"), text.index("-7") + 2))] == "ke-7"  # the whole word
    assert _strip("suhu -7 derajat", 5, 7) == (5, 7)  # a minus sign after a space stays as it is
    seq = [None, 0, None, 1, 1, 1, None]
    offsets = [(0, 0), (0, 4), (0, 0), (0, 5), (5, 11), (11, 15), (0, 0)]
    assert token_span(seq, offsets, 6, 11) == (4, 4)
    assert token_span(seq, offsets, 0, 15) == (3, 5)
    assert token_span(seq, offsets, 10, 20) == (None, None)


def test_word_translator_keeps_names_and_numbers():
    from qa.training.reader_data import WordTranslator

    t = WordTranslator({"gubernur": "governor", "kota": "city"} | {"siapa": "who"})
    out = t.translate("Siapa gubernur kota Astana pada 2023?")
    assert out.startswith("Who governor city Astana") and "2023" in out


# ----------------------------------------------------------------------------- open corpus, dev gold
# Measured with the shipped weights in int8 (the default): F1 0.693 (id), 0.312 (en), 6 of 12
# unanswerable declined (qa eval, docs/results.md). A reader that always answers, or picks arbitrary spans,
# falls below these (the earlier 1-epoch CPU weights reached 0.511 / 0.323 / 2 of 12).
GOLD_F1_BAR = {"id": 0.60, "en": 0.25, "noans": 0.33}


def _gold_rows():
    import json

    path = Path(__file__).resolve().parent.parent / "eval" / "gold.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def neural_qa(seed_index):
    from qa.pipeline import QA

    root = Path(__file__).resolve().parent.parent
    return QA.load(corpus=root / "seeds", index_dir=seed_index, reader="neural", progress=False)


def test_shipped_reader_reaches_a_sane_f1_on_the_dev_gold(neural_qa):
    """End to end (hybrid retrieval + shipped reader) on eval/gold.jsonl.

    The bars sit below the measured figures (docs/results.md) and far above what a broken or untrained
    reader gets (an untrained head picks arbitrary spans: F1 near 0 on answerable questions).
    """
    from qa.evaluation.metrics import score_answer

    f1 = {"id": [], "en": []}
    declined_unanswerable = []
    for g in _gold_rows():
        answer = neural_qa.ask(g["question"])
        f1[g["lang"]].append(score_answer(answer.text, answer.found, g["answers"], g["answerable"])[1])
        if not g["answerable"]:
            declined_unanswerable.append(not answer.found)
        elif answer.found:
            doc = neural_qa.document(answer.citations[0].doc_id)["text"]
            c = answer.citations[0]
            assert doc[c.answer_start:c.answer_end] == answer.text
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    assert mean(f1["id"]) >= GOLD_F1_BAR["id"], mean(f1["id"])
    assert mean(f1["en"]) >= GOLD_F1_BAR["en"], mean(f1["en"])
    assert mean(declined_unanswerable) >= GOLD_F1_BAR["noans"], mean(declined_unanswerable)


def test_ask_decides_with_the_threshold_for_its_index_size(neural_qa, monkeypatch):
    """QA.ask passes the index's size to the reader: a size rule that puts the threshold out of reach
    at the seed index's size turns a confident answer into "not found"; a single given context
    (QA.read, no index) keeps the calibrated threshold."""
    question = "Siapa Kepala Otorita IKN yang bertemu Wali Kota Shenzhen?"
    assert neural_qa.ask(question).found
    chunks = len(neural_qa.index)
    config = dict(neural_qa.reader.config, threshold_by_size={"id": {
        "threshold": neural_qa.reader.threshold, "per_decade": 100.0, "min_chunks": 1, "max_chunks": chunks}})
    monkeypatch.setattr(neural_qa.reader, "config", config)
    assert neural_qa.reader.threshold_for("id", chunks) > neural_qa.reader.threshold + 100
    assert not neural_qa.ask(question).found
    context = neural_qa.ask(question, k=1).passages[0].text
    assert neural_qa.read(question, context, language="id").found


def test_fused_reading_scores_are_the_weighted_mean_of_both_readings(reader):
    """An English question read twice: one model call for both readings, and each span's score is
    the weighted mean of its scores in the two readings read separately."""
    from qa.reader import spans

    doc = seed_text("000")
    passage = passage_around(doc, "Qin Weizhong")
    tok, model = reader._tokenizer, reader._model
    decode = dict(max_length=256, stride=128, max_answer_tokens=30, rank_penalty=0.0, per_window=3)
    english, indonesian = "Who is the mayor of Shenzhen?", "siapa walikota Shenzhen?"
    alone = [{(p, s, e): score for score, p, s, e, _ in spans._candidates(model, tok, [q], [passage], **decode)}
             for q in (english, indonesian)]
    both_readings = spans._candidates(model, tok, [english, indonesian], [passage], **decode)
    fused = {(p, s, e): score for score, p, s, e, _ in both_readings}
    readings = {(p, s, e): r for _, p, s, e, r in both_readings}
    w = spans.SECOND_READING_WEIGHT
    both = set(alone[0]) & set(alone[1]) & set(fused)
    assert both
    for key in both:
        assert fused[key] == pytest.approx((1 - w) * alone[0][key] + w * alone[1][key], abs=1e-3)
        assert readings[key] == pytest.approx((alone[0][key], alone[1][key]), abs=1e-3)


def test_english_questions_get_a_second_reading_only_when_on(reader):
    passage = passage_around(seed_text("000"), "Qin Weizhong")
    reader.question_translation = True
    try:
        assert reader.second_reading("Who is the mayor of Shenzhen?", [passage], "en").startswith("siapa")
        assert reader.second_reading("Siapa walikota Shenzhen?", [passage], "id") is None
        reader.question_translation = False
        assert reader.second_reading("Who is the mayor of Shenzhen?", [passage], "en") is None
    finally:
        reader.question_translation = True
