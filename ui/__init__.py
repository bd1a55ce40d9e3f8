"""The chat face of Tanya Artikel (Gradio). The core package ``qa`` never imports this.

    from qa import QA
    from ui import build_demo, launch
    demo = build_demo(QA.load(corpus="seeds", index_dir="index"))
    launch(demo, host="127.0.0.1", port=7860)

``ui.render`` builds every piece of HTML the page shows (everything interpolated is escaped)
and imports neither gradio nor torch, so it is cheap to test.
"""
from __future__ import annotations

__all__ = ["build_demo", "launch"]


def __getattr__(name: str):
    # Lazy: `import ui.render` must not pull in gradio.
    if name in __all__:
        from ui import app

        return getattr(app, name)
    raise AttributeError(f"module 'ui' has no attribute {name!r}")
