"""Timing and reporting shared by the benchmarks: latency percentiles, medians of repeated runs,
and the atomic JSON report every script writes."""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def percentiles(values: list[float], digits: int = 2) -> dict:
    """p50, p95 and max of ``values`` (the p95 is the value at rank ``0.95 * (n - 1)``)."""
    if not values:
        return {"p50": None, "p95": None, "max": None}
    ordered = sorted(values)
    return {"p50": round(statistics.median(ordered), digits),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1))], digits),
            "max": round(ordered[-1], digits)}


def run_ms(fn, item, clock=time.perf_counter) -> float:
    """Milliseconds that ``fn(item)`` takes by ``clock``."""
    t0 = clock()
    fn(item)
    return 1000 * (clock() - t0)


def median_ms(fn, item, repeats: int, clock=time.perf_counter) -> float:
    """Median over ``repeats`` runs of ``fn(item)``, in ms."""
    return statistics.median(run_ms(fn, item, clock) for _ in range(max(repeats, 1)))


def median_seconds(fn, repeats: int) -> tuple[float, object]:
    """(median seconds over ``repeats`` calls of ``fn()``, the last call's result)."""
    times, out = [], None
    for _ in range(max(repeats, 1)):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def timed(fn, items, repeats: int) -> dict:
    """Median over ``repeats`` passes of the per-pass p50 and p95 (ms) of ``fn(item)``."""
    passes = [percentiles([run_ms(fn, item) for item in items]) for _ in range(max(repeats, 1))]
    return {"p50_ms": round(statistics.median(p["p50"] for p in passes), 2),
            "p95_ms": round(statistics.median(p["p95"] for p in passes), 2),
            "passes_p50_ms": [p["p50"] for p in passes]}


def write_report(path: Path, results: dict) -> None:
    """Write ``results`` as JSON atomically and say where."""
    from qa.files import atomic_write_text

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {path}")
