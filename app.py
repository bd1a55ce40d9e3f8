"""Tanya Artikel chat: ``python app.py`` (or ``make run``), then open http://127.0.0.1:7860.

Options (each also has an environment variable):
  --corpus DIR      articles to index           QA_CORPUS_DIR (default: seeds)
  --index DIR       where the index lives       QA_INDEX_DIR  (default: index)
  --reader NAME     neural | sentence | HF model QA_READER     (default: neural)
  --host HOST       address to bind             QA_HOST       (default: 127.0.0.1)
  --port PORT       port                        QA_PORT       (default: 7860)
  --auth USER:PASS  log-in for the page         QA_AUTH       (required with a non-loopback host)

The first start builds the index (and the offline embedding model) with progress bars; later
starts open the saved index.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="app.py", description="Tanya Artikel: chat with news articles "
                                "(Indonesian + English).")
    p.add_argument("--corpus", default=None, help="folder of articles (default: QA_CORPUS_DIR or seeds)")
    p.add_argument("--index", default=None, help="index folder (default: QA_INDEX_DIR or index)")
    p.add_argument("--reader", default=None,
                   help="reader: neural (default), sentence, or a Hugging Face QA model (default: QA_READER)")
    p.add_argument("--host", default=os.environ.get("QA_HOST", "127.0.0.1"),
                   help="address to bind (default: QA_HOST or 127.0.0.1; anything else needs --auth)")
    p.add_argument("--port", type=int, default=None, help="port (default: QA_PORT or 7860)")
    p.add_argument("--auth", default=None, metavar="USER:PASSWORD",
                   help="require this log-in (default: QA_AUTH); required with a non-loopback --host")
    return p


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """``"user:password"`` → ``("user", "password")``; ``None``/"" → ``None``; raises ValueError."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("--auth / QA_AUTH must look like USER:PASSWORD (both non-empty)")
    return user, password


def _port(value: int | None) -> int:
    if value is None:
        raw = os.environ.get("QA_PORT", "7860")
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"QA_PORT must be a number, not {raw!r}") from None
    if not 1 <= value <= 65535:
        raise ValueError(f"port must be between 1 and 65535 (got {value})")
    return value


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def load_qa(corpus: str | None, index: str | None, reader: str | None):
    """Open (or first build) the index and warm the reader; falls back to the sentence reader
    when the default neural reader's weights are missing."""
    from qa import QA

    print("Tanya Artikel: opening the index (the first start builds it — this takes a few minutes)…",
          flush=True)
    qa = QA.load(corpus=corpus, index_dir=index, reader=reader, progress=True)
    print(f"Index ready in {qa.settings.index_dir} ({len(qa.documents())} articles). Loading the reader "
          f"'{qa.settings.reader}'…", flush=True)
    try:
        qa.reader.warm_up()
    except Exception as exc:  # noqa: BLE001 - any reader failure: explain, maybe fall back
        explicit = reader or os.environ.get("QA_READER")
        if explicit or qa.settings.reader == "sentence":
            raise RuntimeError(f"reader '{qa.settings.reader}' cannot be used: {exc}") from None
        detail = "\n  ".join(str(exc).splitlines())
        print(f"warning: the '{qa.settings.reader}' reader cannot be used:\n  {detail}\n"
              "Falling back to the 'sentence' reader (its answers are whole sentences). "
              "Choose a reader with --reader / QA_READER.", file=sys.stderr, flush=True)
        qa = QA.load(corpus=corpus, index_dir=index, reader="sentence", progress=True)
    return qa


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for ours in ("qa", "ui"):
        logging.getLogger(ours).setLevel(logging.INFO)
    try:
        port = _port(args.port)
        auth = parse_auth(args.auth if args.auth is not None else os.environ.get("QA_AUTH"))
    except ValueError as exc:
        return fail(str(exc))
    if args.host not in LOOPBACK and auth is None:
        return fail(f"--host {args.host} makes the chat reachable from other machines; give a log-in "
                    "with --auth USER:PASSWORD (or the QA_AUTH variable), or leave --host at 127.0.0.1.")
    corpus = args.corpus
    if corpus is not None and not Path(corpus).is_dir():
        return fail(f"corpus folder '{corpus}' does not exist")
    try:
        qa = load_qa(corpus, args.index, args.reader)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        return fail(str(exc))

    from ui import build_demo, launch

    demo = build_demo(qa)
    shown = "localhost" if args.host in ("127.0.0.1", "::1") else args.host
    print(f"Tanya Artikel is ready at http://{shown}:{port}  (reader: {getattr(qa.reader, 'name', '?')}; "
          f"{'log-in required; ' if auth else ''}Ctrl+C stops it)", flush=True)
    try:
        launch(demo, host=args.host, port=port, auth=auth, quiet=True)  # our own start-up line says where
    except OSError as exc:
        return fail(f"cannot serve on {args.host}:{port} ({exc}); choose another --port")
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
