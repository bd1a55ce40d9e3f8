"""Tests for qa.lexical: analyzers and the BM25 index."""
from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np
import pytest

from qa.lexical import (
    ANALYZER_NAMES,
    DEFAULT_ANALYZER,
    BM25Index,
    make_analyzer,
    tokenize,
)

DOCS = [
    "Kepala Otorita IKN Bambang Susantono bertemu Walikota Shenzhen, Qin Weizhong, Sabtu (29/7/2023).",
    "Pemerintah Kota Shenzhen menawarkan dukungan untuk pembangunan Ibu Kota Nusantara.",
    "Kegiatan ini mengundang 1.200 peserta dari negara-negara ASEAN-Jepang.",
    "Indonesia dan Kazakhstan menjalin kerja sama sister city antara Astana dan Nusantara.",
    "The ASEAN Smart City Network annual meeting was held in Luang Prabang, Laos.",
    "Harga beras naik 2,5 persen di pasar tradisional Jakarta.",
]


@pytest.fixture(scope="module")
def index() -> BM25Index:
    return BM25Index.build(DOCS)


# ----------------------------------------------------------------------- analysis


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("1.200 peserta", ["1200", "peserta"]),
        ("Rp1.200.000", ["rp", "1200000"]),
        ("naik 2,5 persen", ["naik", "2.5", "persen"]),
        ("1.200,50", ["1200.50"]),
        ("Sabtu (29/7/2023)", ["sabtu", "29/7/2023", "29", "7", "2023"]),
        ("29-7-2023", ["29/7/2023", "29", "7", "2023"]),
        ("ASEAN-Jepang", ["asean", "jepang"]),
        ("kota-kota", ["kota"]),
        ("G20 covid-19", ["g20", "covid", "19"]),
        ("Jum'at, China's Röntgen", ["jumat", "china", "rontgen"]),
    ],
)
def test_tokenize(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


def test_stopwords_removed_both_languages() -> None:
    plain = make_analyzer("plain")
    assert plain("Siapakah yang bertemu dengan walikota di Shenzhen?") == ["bertemu", "walikota", "shenzhen"]
    assert plain("Who is the mayor of Shenzhen?") == ["mayor", "shenzhen"]
    assert plain("yang dan the of") == []
    assert plain("US tariffs") == ["us", "tariffs"]  # "us" is not a stopword (US)


def test_stemming() -> None:
    assert make_analyzer("id-sastrawi")("pembangunan") == ["bangun"]
    assert make_analyzer("id-snowball")("pembangunan") == ["bangun"]
    bi = make_analyzer("bi-sastrawi")
    assert bi("pembangunan dilahirkan meeting cities jelas") == ["bangun", "lahir", "meet", "citi", "jelas"]
    assert bi("29/7/2023") == ["29/7/2023", "29", "7", "2023"]  # numbers are not stemmed
    assert make_analyzer("plain")("pembangunan meeting") == ["pembangunan", "meeting"]


def test_analyzer_names() -> None:
    assert DEFAULT_ANALYZER in ANALYZER_NAMES
    for name in ANALYZER_NAMES:
        assert make_analyzer(name).name == name
    with pytest.raises(ValueError, match=r"Unknown analyzer 'x'. Supported: \["):
        make_analyzer("x")
    with pytest.raises(ValueError, match="Supported"):
        BM25Index.build(DOCS, analyzer="klingon")


# ----------------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Siapa walikota Shenzhen yang bertemu Kepala Otorita IKN?", 0),
        ("berapa peserta yang diundang?", 2),
        ("Dengan negara apa Indonesia menjalin kerja sama sister city?", 3),
        ("Where was the ASEAN smart city meeting held?", 4),
        ("Who met the mayor of Shenzhen on 29/7/2023?", 0),
        ("harga beras naik berapa persen", 5),
        ("dibangun", 1),  # stemming: dibangun ~ pembangunan
    ],
)
def test_search_ranks_right_doc_first(index: BM25Index, query: str, expected: int) -> None:
    hits = index.search(query, k=3)
    assert hits and hits[0][0] == expected


def test_search_contract(index: BM25Index) -> None:
    hits = index.search("Shenzhen Nusantara ASEAN", k=100)  # k larger than the corpus
    assert 0 < len(hits) <= len(DOCS)
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert all(isinstance(r, int) and isinstance(s, float) for r, s in hits)
    assert index.search("", k=5) == []
    assert index.search("yang dan the of ?!", k=5) == []  # only stopwords
    assert index.search("xylofonzzz", k=5) == []  # unknown term
    assert index.search("Shenzhen", k=0) == []
    assert index.search_many(["Shenzhen", ""], k=2) == [index.search("Shenzhen", k=2), []]
    assert len(index) == len(DOCS)


def test_empty_corpus(tmp_path) -> None:
    for texts in ([], ["", "yang dan"]):
        idx = BM25Index.build(texts)
        assert idx.search("Shenzhen", k=3) == []
        loaded = BM25Index.load(idx.save(tmp_path / "empty"))
        assert len(loaded) == len(texts) and loaded.search("Shenzhen", k=3) == []


# ----------------------------------------------------------------------- persistence


def test_save_load_round_trip(index: BM25Index, tmp_path) -> None:
    target = tmp_path / "bm25"
    index.save(target)
    index.save(target)  # overwriting an existing index works
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["analyzer"] == DEFAULT_ANALYZER and manifest["n_docs"] == len(DOCS)
    assert manifest["k1"] == 1.5 and manifest["b"] == 0.75 and manifest["format_version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["bm25"]  # no temp dirs left behind
    loaded = BM25Index.load(target)
    for q in ["walikota Shenzhen", "ASEAN meeting", "1.200 peserta"]:
        assert loaded.search(q, 5) == index.search(q, 5)


def test_save_refuses_foreign_directory(index: BM25Index, tmp_path) -> None:
    (tmp_path / "other.faiss").write_text("not ours")
    with pytest.raises(ValueError, match="Refusing to replace"):
        index.save(tmp_path)
    assert (tmp_path / "other.faiss").read_text() == "not ours"


def test_load_errors(index: BM25Index, tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="qa index --rebuild"):
        BM25Index.load(tmp_path / "missing")
    target = index.save(tmp_path / "bm25")
    next(target.glob("data*.npy")).write_bytes(b"garbage")
    with pytest.raises(ValueError, match="qa index --rebuild"):
        BM25Index.load(target)
    (target / "manifest.json").write_text("[1, 2]")
    with pytest.raises(ValueError, match="qa index --rebuild"):
        BM25Index.load(target)
    (target / "manifest.json").write_text("{not json")
    with pytest.raises(ValueError, match="corrupt.*qa index --rebuild"):
        BM25Index.load(target)
    target = index.save(tmp_path / "bm25")
    manifest = json.loads((target / "manifest.json").read_text())
    (target / "manifest.json").write_text(json.dumps({**manifest, "format_version": 99}))
    with pytest.raises(ValueError, match="version"):
        BM25Index.load(target)


# ----------------------------------------------------------------------- scoring reference


def lucene_bm25(corpus: list[list[str]], query: list[str], k1: float, b: float) -> np.ndarray:
    """Reference BM25 (Lucene variant): sum idf * tf / (tf + k1 * (1 - b + b * dl / avgdl))."""
    n = len(corpus)
    avgdl = sum(map(len, corpus)) / n
    df = Counter(t for doc in corpus for t in set(doc))
    out = np.zeros(n)
    for i, doc in enumerate(corpus):
        tf = Counter(doc)
        for t in query:
            if tf[t]:
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                out[i] += idf * tf[t] / (tf[t] + k1 * (1 - b + b * len(doc) / avgdl))
    return out


@pytest.mark.parametrize(("k1", "b"), [(1.5, 0.75), (0.9, 0.4)])
def test_scores_match_reference_formula(k1: float, b: float) -> None:
    idx = BM25Index.build(DOCS, k1=k1, b=b)
    corpus = [idx.analyzer(d) for d in DOCS]
    for query in ["walikota Shenzhen bertemu", "kota Nusantara Shenzhen", "ASEAN 1.200 peserta", "Shenzhen Shenzhen"]:
        ref = lucene_bm25(corpus, idx.analyzer(query), k1, b)
        np.testing.assert_allclose(idx.scores(query), ref, rtol=1e-5, atol=1e-6)
        hits = idx.search(query, k=len(DOCS))
        assert [r for r, _ in hits] == sorted(np.flatnonzero(ref > 0), key=lambda i: (-ref[i], i))


def test_single_term_ranking_matches_rank_bm25() -> None:
    """Independent implementation: same ranking; scores differ only by the IDF formula."""
    rank_bm25 = pytest.importorskip("rank_bm25")
    texts = [
        "kota kota kota pintar",
        "kota pintar di asia tenggara yang berkembang",
        "kota",
        "pertemuan pintar",
        "jaringan asean",
        "pertemuan tahunan jaringan",
        "investasi hijau",
    ]
    idx = BM25Index.build(texts, analyzer="plain")
    corpus = [idx.analyzer(t) for t in texts]
    okapi = rank_bm25.BM25Okapi(corpus, k1=1.5, b=0.75)
    n = len(texts)
    for term in ["kota", "pintar", "jaringan"]:  # each occurs in fewer than half the docs
        ours, ref = idx.scores(term), okapi.get_scores([term])
        hit = ref > 0
        assert np.array_equal(ours > 0, hit)
        assert list(np.argsort(-ours, kind="stable")) == list(np.argsort(-ref, kind="stable"))
        df = sum(term in doc for doc in corpus)
        ratio = (math.log(n - df + 0.5) - math.log(df + 0.5)) * 2.5 / math.log(1 + (n - df + 0.5) / (df + 0.5))
        np.testing.assert_allclose(ref[hit] / ours[hit], ratio, rtol=1e-5)


def test_sastrawi_affix_precheck_is_exact() -> None:
    """Skipping words no Sastrawi rule can touch must not change any stem."""
    from qa.analysis import _sastrawi_full_stem_word, _sastrawi_stem_word

    words = tokenize(" ".join(DOCS)) + (
        "gerigi telunjuk kemauan kesejahteraan perekonomian rasis aprilis orientalisme "
        "kaudengar kubaca pertemuan pelajari mempermainkan bersama-sama shenzhen walikota "
        "meeting information technologies september universitas fasilitas"
    ).split()
    full, quick = _sastrawi_full_stem_word(), _sastrawi_stem_word()
    assert [quick(w) for w in words] == [full(w) for w in words]


def test_failed_save_keeps_previous_index(tmp_path, monkeypatch) -> None:
    target = BM25Index.build(DOCS[:2]).save(tmp_path / "bm25")
    idx = BM25Index.build(DOCS)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(idx._model, "save", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        idx.save(target)
    assert [p.name for p in tmp_path.iterdir()] == ["bm25"]
    assert len(BM25Index.load(target)) == 2


def test_building_logs_no_bm25s_debug_lines(caplog):
    """bm25s sets its logger to DEBUG; the product quietens it (no stray lines in `make run`)."""
    import logging

    from qa.lexical import BM25Index

    with caplog.at_level(logging.DEBUG):
        BM25Index.build(["Walikota Shenzhen bertemu Kepala Otorita IKN.", "Jakarta ibu kota."])
    assert not [r for r in caplog.records if r.name.startswith("bm25s") and r.levelno < logging.WARNING]
