"""Take docs/screenshot.png: start the chat, ask one Indonesian and one English question.

    .venv/bin/python -m ui.screenshot [--index index] [--reader neural] [--out docs/screenshot.png]

Uses Debian's Chromium (/usr/bin/chromium) through Playwright; nothing is downloaded.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ui.testing import EN_QUESTION, ID_QUESTION, free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
QUESTIONS = [ID_QUESTION, EN_QUESTION]


def shrink_png(path: Path, colors: int = 256) -> None:
    """Re-save ``path`` as a palette PNG (a UI screenshot loses nothing visible; ~3x smaller)."""
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with matplotlib; without it keep the full-colour file
        return
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def ask(page, question: str, timeout_ms: int = 60_000) -> None:
    """Type ``question`` into the chat, send it and wait for the reply."""
    replies = page.locator("#ta-chat .ta-reply")
    before = replies.count()
    box = page.locator("#ta-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#ta-chat .ta-reply').length > n", arg=before, timeout=timeout_ms)


def shoot(url: str, out: Path, questions=QUESTIONS, width: int = 1360, height: int = 1000) -> None:
    """Open ``url``, ask ``questions`` and save the visible page to ``out`` (palette PNG)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url)
            page.wait_for_selector("#ta-question textarea", timeout=60_000)
            for q in questions:
                ask(page, q)
            page.wait_for_timeout(800)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=False)
        finally:
            browser.close()
    shrink_png(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", default=None)
    p.add_argument("--index", default=None)
    p.add_argument("--reader", default=None)
    p.add_argument("--out", default="docs/screenshot.png")
    p.add_argument("--width", type=int, default=1360)
    p.add_argument("--height", type=int, default=1000)
    args = p.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"error: {CHROMIUM} is missing; install it with: apt-get install chromium", file=sys.stderr)
        return 2

    from app import load_qa
    from ui import build_demo, launch

    qa = load_qa(args.corpus, args.index, args.reader)
    demo = build_demo(qa)
    port = free_port()
    launch(demo, port=port, prevent_thread_lock=True, quiet=True)
    try:
        out = Path(args.out)
        shoot(f"http://127.0.0.1:{port}/", out, width=args.width, height=args.height)
        print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    finally:
        demo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
