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
