"""How much worse the reader does with English questions than with the same questions in Indonesian.

    .venv/bin/python bench/english_questions.py --data ../shared/qa-train [--bitext ../shared/bitext]

Reading-comprehension mode (each question with its own Indonesian context, the shipped reader as
the product runs it): the 222 validation questions of ``qa/training/valid/english_questions.tsv``
asked (1) in their original Indonesian, (2) in the hand-made fluent English translation, and with
``--bitext`` (3) glossed into English word by word (:class:`qa.training.reader_data.WordTranslator`, the
proxy the training script reports). Prints forced F1 (answerable questions, best span always
taken), F1 with the configured "not found" decision, the share of answerable questions declined and
the share of unanswerable ones declined; writes ``bench/out/english_questions.json``.
``eval/gold.jsonl`` plays no part.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import write_report  # noqa: E402


def score(reader, examples, language: str) -> dict:
    """Forced and decided F1 of ``reader`` on ``examples`` (each read with its own context)."""
    from qa.evaluation.metrics import f1_score
    from qa.pipeline import read_context

    forced, decided, declined_ans, declined_una = [], [], [], []
    for ex in examples:
        answer, result = read_context(reader, ex.question, ex.context, language)
        best = result.spans[0].text if result.spans else ""
        if ex.answerable:
            forced.append(f1_score(best, ex.answers))
            decided.append(f1_score(best, ex.answers) if result.found else 0.0)
            declined_ans.append(not result.found)
        else:
            decided.append(float(not result.found))
            declined_una.append(not result.found)
    mean = lambda xs: round(sum(xs) / len(xs), 4) if xs else None  # noqa: E731
    return {"n": len(examples), "forced_f1": mean(forced), "f1": mean(decided),
            "declined_answerable": mean(declined_ans), "declined_unanswerable": mean(declined_una)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the qa-train folder")
    ap.add_argument("--bitext", type=Path, default=None, help="folder with the lexicon, for the glossed proxy")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "english_questions.json")
    ap.add_argument("--weights", type=Path, default=None, help="reader weights folder (default: the shipped ones)")
    ap.add_argument("--write-gold", type=Path, default=None, metavar="JSONL",
                    help="only write the hand-translated questions with their contexts as a reading-comprehension "
                         "gold file for `qa eval --gold JSONL` (keep it out of the repository: bench/out/)")
    args = ap.parse_args(argv)

    from dataclasses import replace

    from qa.training.calibrate import translated_pool
    from qa.reader.neural import NeuralReader

    pairs = translated_pool(args.data)
    if args.write_gold:
        import json

        from qa.files import atomic_write_text

        args.write_gold.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(args.write_gold, "".join(
            json.dumps({"id": e.id, "lang": "en", "question": e.question, "context": e.context, "answers": e.answers,
                        "answerable": e.answerable, "source": f"{e.source} (hand-translated question)"},
                       ensure_ascii=False) + "\n" for _, e in pairs))
        print(f"wrote {len(pairs)} questions to {args.write_gold}")
        return 0
    groups = {"indonesian": ([i for i, _ in pairs], "id"), "english (hand-translated)": ([e for _, e in pairs], "en")}
    if args.bitext:
        from qa.training.reader_data import WordTranslator

        translator = WordTranslator.from_bitext(args.bitext)
        groups["english (glossed word by word)"] = (
            [replace(e, question=translator.translate(i.question)) for i, e in pairs], "en")
    groups["english (hand-translated), read twice"] = ([e for _, e in pairs], "en")
    reader = NeuralReader(weights_dir=args.weights, question_translation=False)
    reader.warm_up()
    results = {"questions": len(pairs), "unanswerable": sum(not i.answerable for i, _ in pairs),
               "threshold": reader.threshold_for("id"), "threshold_en": reader.threshold_for("en"), "groups": {}}
    print(f"{'questions':<32}{'forced F1':>10}{'F1':>8}{'declined ans.':>15}{'declined unans.':>17}{'s':>6}")
    for name, (examples, language) in groups.items():
        t0 = time.perf_counter()
        reader.question_translation = name.endswith("read twice")
        row = score(reader, examples, language)
        row["seconds"] = round(time.perf_counter() - t0, 1)
        results["groups"][name] = row
        print(f"{name:<32}{row['forced_f1']:>10.3f}{row['f1']:>8.3f}{row['declined_answerable']:>15.3f}"
              f"{row['declined_unanswerable']:>17.3f}{row['seconds']:>6.0f}")
    write_report(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
