"""Tanya Artikel: bilingual (Indonesian + English) extractive question answering over news articles.

    from qa import QA
    qa = QA.load(corpus="seeds", index_dir="index")
    answer = qa.ask("Siapa Gubernur Ibu Kota Astana?")
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["QA", "Answer", "Citation", "Passage", "Settings"]


def __getattr__(name: str):
    # Lazy imports keep `import qa` fast (torch and faiss load only when needed).
    if name == "QA":
        from qa.pipeline import QA

        return QA
    if name in ("Answer", "Citation"):
        from qa import answer

        return getattr(answer, name)
    if name == "Passage":
        from qa.retrieval import Passage

        return Passage
    if name == "Settings":
        from qa.config import Settings

        return Settings
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
