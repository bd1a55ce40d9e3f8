"""Helpers for the UI tests (tests/test_ui_*.py): one app per test process, on a free port.

The tests build a fresh index from ``seeds/`` in a temporary folder, start the chat on a loopback
port in a background thread, and share it between test modules (``shared_app``), so the index
is built once per ``pytest`` run.
"""
from __future__ import annotations

import atexit
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# The reader the UI tests use. The default "neural" reader needs trained weights
# (qa/reader/weights, shipped). Set QA_UI_TEST_READER=sentence to test the baseline reader, whose answer
# is a whole sentence. Switch here (or with QA_UI_TEST_READER=neural) once they exist; the
# expected texts below hold for both readers.
READER = os.environ.get("QA_UI_TEST_READER", "neural")

# Questions (written for the seed articles) and what the reply must contain.
ID_QUESTION = "Siapa Duta Besar Indonesia untuk Kazakhstan?"
ID_EXPECTED = "Fadjroel Rachman"
ID_OUTLET = "ANDALPOST.COM"
EN_QUESTION = "When was the World Smart City Expo 2024 held?"
EN_EXPECTED = "September 2024"
EN_OUTLET = "ANTARA"
UNANSWERABLE_EN = "What is the capital of France?"
UNANSWERABLE_ID = "Siapa pemenang Piala Dunia 2022?"
NOT_FOUND_ID = "Maaf, jawabannya tidak ditemukan di artikel."
NOT_FOUND_EN = "Sorry, the articles don't answer that."


@dataclass
class RunningApp:
    url: str
    port: int
    qa: object
    demo: object

    def close(self) -> None:
        self.demo.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(index_dir: Path, reader: str = READER, corpus: Path = SEEDS,
              auth: tuple[str, str] | None = None, qa=None) -> RunningApp:
    """Build (or open) the index in ``index_dir`` and serve the chat on a free loopback port."""
    from qa import QA
    from ui import build_demo, launch

    if qa is None:
        qa = QA.load(corpus=corpus, index_dir=index_dir, reader=reader, progress=False)
    demo = build_demo(qa)
    port = free_port()
    launch(demo, host="127.0.0.1", port=port, auth=auth, prevent_thread_lock=True, quiet=True)
    return RunningApp(f"http://127.0.0.1:{port}/", port, qa, demo)


_lock = threading.Lock()
_shared: RunningApp | None = None


def shared_app(index_dir: Path) -> RunningApp:
    """The process-wide test app (started on first use with an index in ``index_dir``)."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = start_app(index_dir)
            atexit.register(_shared.close)
        return _shared
