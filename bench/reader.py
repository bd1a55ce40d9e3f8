"""Reader precision: fp32 vs int8 dynamic quantisation — validation F1 and top-5 read latency.

    .venv/bin/python bench/reader.py --data ../shared/qa-train [--max-eval 300] [--repeats 3]

For each precision it loads the shipped reader, reads the four validation files in
reading-comprehension mode (one context per question; forced F1 on the answerable questions,
thresholded F1 with the shipped single-context threshold) and times ``read`` over the top-5
passages that the seed index retrieves for a fixed list of questions (the median of
``--repeats`` passes; each pass's p50/p95 is kept). The issue's rule: quantise only if it is
faster without losing 1 F1 point on any file. Prints a table and writes
``bench/out/reader.json``.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import ROOT, timed, write_report  # noqa: E402

QUESTIONS = [  # timing only: typical questions over the seed articles, both languages
    "Siapa walikota Shenzhen?", "Kapan jembatan itu diresmikan?", "Berapa jumlah korban banjir?",
    "Who is the mayor of Shenzhen?", "When was the bridge opened?", "How many people were affected?",
    "Apa yang dikatakan menteri tentang harga beras?", "What did the minister say about rice prices?",
    "Di mana festival itu diadakan?", "Where was the festival held?", "Mengapa proyek itu ditunda?",
    "Why was the project delayed?", "Berapa anggaran yang disiapkan pemerintah?",
    "How much money did the government set aside?", "Siapa yang memenangkan pemilihan?",
    "Who won the election?", "Kapan acara itu dimulai?", "What was announced on Saturday?",
    "Berapa lama pembangunan berlangsung?", "Which company built the plant?",
]
VALID = ("tydiqa_id_valid", "idkmrc_valid", "facqa_valid", "qed_en_valid")


def time_reads(reader, qa, repeats: int) -> dict:
    """p50/p95 (ms) of ``reader.read`` on the seed index's top-5 passages, median over passes."""
    from qa.language import detect_language

    cases = [(q, qa.retrieve(q, k=5), detect_language(q)) for q in QUESTIONS]
    for q, passages, lang in cases[:3]:  # warm-up
        reader.read(q, passages, lang)
    t = timed(lambda case: reader.read(*case), cases, repeats)
    return {"read_top5_p50_ms": round(t["p50_ms"], 1), "read_top5_p95_ms": round(t["p95_ms"], 1),
            "passes_p50_ms": [round(x, 1) for x in t["passes_p50_ms"]]}


def compare_window_scheduling(reader, qa, repeats: int) -> dict:
    """The same windows run one after another (torch's threads split each operation) and side by
    side (``spans._run_windows``: one thread per window), interleaved question by question so
    that the machine's drift hits both alike. Median ms per top-5 read."""
    import statistics
    import time

    import torch

    from qa.reader import spans

    model, tok = reader._model, reader._tokenizer
    cases = []
    for q in QUESTIONS:
        passages = qa.retrieve(q, k=5)
        enc = tok([q] * len(passages), [p.text for p in passages], truncation="only_second", max_length=256,
                  stride=128, padding="longest", return_tensors="pt")
        lengths = enc["attention_mask"].sum(dim=1).tolist()
        cases.append([((enc["input_ids"][w:w + 1, :n], enc["attention_mask"][w:w + 1, :n]), {})
                      for w, n in enumerate(lengths)])

    def sequential(windows):
        with torch.inference_mode():
            for args, kwargs in windows:
                model(*args, **kwargs)

    times: dict[str, list[float]] = {"sequential": [], "side_by_side": []}
    for _ in range(repeats):
        for windows in cases:
            for name, fn in (("sequential", sequential), ("side_by_side", lambda w: spans._run_windows(model, w))):
                t0 = time.perf_counter()
                fn(windows)
                times[name].append(1000 * (time.perf_counter() - t0))
    return {name: round(statistics.median(v), 1) for name, v in times.items()}


def validate(reader, data: Path, max_eval: int) -> dict:
    """Forced and thresholded EM/F1 per validation file (single context per question)."""
    from qa.training.reader_data import load_jsonl
    from qa.training.train_reader import predict, summarise

    threshold = float(reader.config.get("threshold_single_context", reader.config.get("threshold", 0.0)))
    out = {}
    for stem in VALID:
        path = data / f"{stem}.jsonl"
        if path.exists():
            out[stem] = summarise(predict(reader, load_jsonl(path, max_eval)), threshold)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="folder with the *_valid.jsonl files")
    ap.add_argument("--max-eval", type=int, default=300, help="questions per validation file (0: timing only)")
    ap.add_argument("--repeats", type=int, default=3, help="timing passes over the questions")
    ap.add_argument("--precisions", default="fp32,int8")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "reader.json")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        ap.error(f"--data {args.data} is not a folder; point it at ../shared/qa-train")

    from qa.pipeline import QA
    from qa.reader.neural import NeuralReader

    qa = QA.load(progress=False, reader="sentence")
    results = {"machine": f"{os.cpu_count()} cores", "max_eval": args.max_eval, "precisions": {}}
    for precision in args.precisions.split(","):
        reader = NeuralReader(precision=precision)
        reader.warm_up()
        row = time_reads(reader, qa, args.repeats)
        row["windows_ms"] = compare_window_scheduling(reader, qa, args.repeats)
        row["valid"] = validate(reader, args.data, args.max_eval) if args.max_eval else {}
        results["precisions"][precision] = row
        print(f"{precision}: read top-5 p50 {row['read_top5_p50_ms']} ms, p95 {row['read_top5_p95_ms']} ms; windows "
              f"one after another {row['windows_ms']['sequential']} ms, side by side {row['windows_ms']['side_by_side']} ms",
              flush=True)
    print(f"\n{'file':<20}" + "".join(f"{p + ' forced':>14}{p + ' thr':>12}" for p in results["precisions"]))
    for stem in VALID:
        cells = []
        for row in results["precisions"].values():
            v = row["valid"].get(stem, {})
            cells.append(f"{v.get('forced_f1', float('nan')):>14.2f}{v.get('thresholded_f1', float('nan')):>12.2f}")
        print(f"{stem:<20}" + "".join(cells))
    write_report(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
