"""Shared by the benchmarks: median-of-passes latency, and writing the JSON report."""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(fn, items, repeats: int) -> dict:
    """Median over ``repeats`` passes of the per-pass p50 and p95 (ms) of ``fn(item)``."""
    p50s, p95s = [], []
    for _ in range(repeats):
        times = []
        for item in items:
            t0 = time.perf_counter()
            fn(item)
            times.append(1000 * (time.perf_counter() - t0))
        times.sort()
        p50s.append(statistics.median(times))
        p95s.append(times[min(len(times) - 1, int(0.95 * len(times)))])
    return {"p50_ms": round(statistics.median(p50s), 2), "p95_ms": round(statistics.median(p95s), 2),
            "passes_p50_ms": [round(x, 2) for x in p50s]}


def write_report(path: Path, results: dict) -> None:
    """Write ``results`` as JSON atomically and say where."""
    from qa.index import atomic_write_text

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {path}")
