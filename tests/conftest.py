"""Shared fixtures: the real offline embedding model (built once into the user cache)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def embedder():
    """The default embedder (offline mE5-small), loaded once per test session."""
    from qa.config import Settings
    from qa.embedding import Embedder

    emb = Embedder.from_settings(Settings(), progress=False)
    emb.warm_up()
    return emb


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, embedder):
    """An index of the five seed articles, built once per test session."""
    from qa.index import build_index
    from qa.ingest import read_corpus

    index_dir = tmp_path_factory.mktemp("seed-index")
    documents, _ = read_corpus(ROOT / "seeds")
    build_index(index_dir, documents, embedder, progress=False)
    return index_dir


@pytest.fixture(scope="session")
def sentence_qa(seed_index):
    """A QA over the seed index with the baseline sentence reader."""
    from qa.pipeline import QA

    return QA.load(corpus=ROOT / "seeds", index_dir=seed_index, reader="sentence", progress=False)
