"""Reader window schedule on the CPU: every window on one worker thread (the schedule before session 9)
versus full rounds on one thread each and the leftover windows on all threads (`qa.reader.neural._run_windows`).

    .venv/bin/python bench/window_schedule.py [--repeats 3]

Asks every gold question with both schedules, interleaved question by question (the order swapped
each repeat, so drift of this shared VM hits both alike), and prints ``ask`` p50 / mean per schedule
and how many answers or scores differ (they should not). Writes nothing; ``eval/gold.jsonl`` is used
for its questions only, no answer is scored.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qa.reader.neural as neural  # noqa: E402


_POOL: dict[int, ThreadPoolExecutor] = {}


def one_thread_each(model, windows):
    """The earlier schedule: every window on a worker pool, one torch thread each."""
    def run(w):
        with torch.inference_mode():
            return model(*w[0], **w[1])

    threads = torch.get_num_threads()
    if threads < 2 or len(windows) < 2:
        return [run(w) for w in windows]
    pool = _POOL.setdefault(threads, ThreadPoolExecutor(max_workers=threads))
    torch.set_num_threads(1)
    try:
        return list(pool.map(run, windows))
    finally:
        torch.set_num_threads(threads)


def main(argv: list[str] | None = None) -> int:
    from qa.pipeline import QA

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    qa = QA.load(progress=False)
    qa.reader.warm_up()
    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "gold.jsonl").read_text().splitlines()
                 if line.strip()]
    schedules = {"one thread each": one_thread_each, "leftovers on all threads": neural._run_windows}
    times: dict[str, list[float]] = {name: [] for name in schedules}
    differ = 0
    for rep in range(args.repeats):
        order = list(schedules) if rep % 2 == 0 else list(reversed(schedules))
        for question in questions:
            seen = set()
            for name in order:
                neural._run_windows = schedules[name]
                t0 = time.perf_counter()
                answer = qa.ask(question)
                times[name].append((time.perf_counter() - t0) * 1000)
                seen.add((answer.text, round(answer.score, 3)))
            differ += len(seen) > 1
    neural._run_windows = schedules["leftovers on all threads"]
    for name, ts in times.items():
        print(f"{name:<26} ask p50 {statistics.median(ts):6.1f} ms   mean {statistics.mean(ts):6.1f} ms")
    print(f"answers or scores that differ: {differ} of {len(questions) * args.repeats}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
