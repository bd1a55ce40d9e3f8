"""Would reading only the first passages, when they already hold a confident answer, change answers?

    .venv/bin/python -m qa.reader.calibrate --data ../shared/qa-train --limit 200 --rows-out bench/out/rows_id.json
    .venv/bin/python -m qa.reader.calibrate --data ../shared/qa-train --translated --rows-out bench/out/rows_en.json
    .venv/bin/python bench/early_stop.py bench/out/rows_id.json bench/out/rows_en.json

The calibration rows hold every candidate span of every question read over all top-5 passages
(raw margin, retrieval rank, F1, sentence overlap). For each staging and margin ``T`` this
replays the reader's early stop (``early_stop_passages`` / ``early_stop_margin`` in
``reader_config.json``): the passages are read in stages (e.g. 1–2, 3–4, 5), and once the best span
so far, scored as the product scores it (rank penalty, overlap bonus), is above ``T`` that span is
the answer; otherwise the best of all.
Prints, per rows file, the F1 with the configured threshold, the share of questions that stop early
(their later passages are never run through the model) and how many answers change.

    .venv/bin/python bench/early_stop.py --latency [--passes 2] [--passages 1]

times ``QA.ask`` on the questions of ``eval/gold.jsonl`` over the seed index with the configured
early stop and without it, the two interleaved question by question (the order alternating) so that
the drift of a shared machine hits both alike; prints p50 / p95 / mean, how many questions stopped
early and whether any answer differs. ``--passages N`` compares the configured early stop with the
same margin after the first N passages instead.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def replay(rows: list[dict], config: dict, stages: list[int], margin: float) -> dict:
    """F1, share stopped before the last passage, passages read and answers changed, for reading in
    ``stages`` (e.g. ``[2, 4]``: passages 1–2, then 3–4, then the rest) with stopping ``margin``."""
    penalty, weight = float(config.get("rank_penalty", 0.0)), float(config.get("overlap_weight", 0.0))
    threshold = float(config.get("threshold", 0.0))
    total, stopped, changed, read = 0.0, 0, 0, 0
    for r in rows:
        scored = [(m - penalty * max(rank - 1, 0) + weight * ov, f1, rank) for m, rank, f1, ov in r["spans"]]
        best = max(scored, default=(float("-inf"), 0.0, 0))
        pick, n_read = best, 5
        for stage in stages:
            early = max((s for s in scored if s[2] <= stage), default=(float("-inf"), 0.0, 0))
            if early[0] > margin:
                pick, n_read = early, stage
                break
        stopped += n_read < 5
        read += n_read
        changed += pick != best
        answered = pick[0] > threshold
        total += (pick[1] if answered else 0.0) if r["answerable"] else float(not answered)
    n = max(len(rows), 1)
    return {"stages": stages, "margin": margin, "f1": round(total / n, 4), "stopped": round(stopped / n, 3),
            "passages_read": round(read / n, 2), "changed": changed}


STAGES = ([1], [2], [3], [1, 2], [2, 4], [2, 3, 4])


def latency(passes: int, passages: int | None = None) -> int:
    """Interleaved ``ask`` timings with the configured early stop and without it, or (``passages``)
    with the configured margin after that many first passages instead of the configured number."""
    import statistics
    import time

    from qa import QA
    from qa.reader import neural

    qa = QA.load(progress=False)
    questions = [json.loads(line)["question"] for line in open(ROOT / "eval" / "gold.jsonl", encoding="utf-8")]
    qa.ask(questions[0])  # load the reader
    configured = qa.reader.config.get("early_stop_margin")
    if configured is None:
        print("error: reader_config.json sets no early_stop_margin", file=sys.stderr)
        return 2
    calls = []
    model_call = neural._candidates
    neural._candidates = lambda *a, **k: calls.append(1) or model_call(*a, **k)
    first = int(qa.reader.config.get("early_stop_passages", 2))
    settings = {"configured": (configured, first), "other": (None, first) if passages is None else (configured, passages)}
    times: dict = {name: [] for name in settings}
    answers: dict = {name: [] for name in settings}
    stopped = {name: 0 for name in settings}
    for rep in range(passes):
        for i, question in enumerate(questions):
            for name in (("configured", "other") if (i + rep) % 2 == 0 else ("other", "configured")):
                qa.reader.config["early_stop_margin"], qa.reader.config["early_stop_passages"] = settings[name]
                calls.clear()
                t0 = time.perf_counter()
                answer = qa.ask(question)
                times[name].append((time.perf_counter() - t0) * 1000)
                if rep == 0:
                    answers[name].append(answer.text)
                    stopped[name] += settings[name][0] is not None and len(calls) == 1
    for name, t in times.items():
        t.sort()
        margin, n = settings[name]
        label = f"early stop {margin} after {n} passage(s)" if margin is not None else "no early stop"
        print(f"{label}: ask p50 {statistics.median(t):.0f} ms, p95 {t[int(0.95 * len(t))]:.0f} ms, "
              f"mean {statistics.mean(t):.0f} ms; {stopped[name]} of {len(questions)} questions stopped early")
    print(f"answers identical: {answers['configured'] == answers['other']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    from qa.reader.model import read_config

    argv = argv if argv is not None else sys.argv[1:]
    if argv[:1] == ["--latency"]:
        import argparse

        ap = argparse.ArgumentParser(prog="early_stop.py --latency")
        ap.add_argument("--passes", type=int, default=2)
        ap.add_argument("--passages", type=int, help="compare with stopping after this many first passages")
        args = ap.parse_args(argv[1:])
        return latency(args.passes, args.passages)
    paths = [Path(p) for p in argv]
    if not paths:
        print(__doc__)
        return 2
    config = read_config(ROOT / "qa" / "reader" / "weights")
    for path in paths:
        rows = json.loads(path.read_text())
        base = replay(rows, config, [], float("inf"))
        print(f"{path.name}: {len(rows)} questions, F1 reading all passages {base['f1']:.4f}")
        for stages in STAGES:
            for margin in (2.0, 4.0, 6.0, 8.0):
                r = replay(rows, config, stages, margin)
                print(f"  stages {str(stages):<10} margin {margin:>4}: F1 {r['f1']:.4f} ({r['f1'] - base['f1']:+.4f}), "
                      f"stopped early {r['stopped']:.2f}, passages read {r['passages_read']:.2f}, "
                      f"answers changed {r['changed']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
