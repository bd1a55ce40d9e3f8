"""News-style validation: hand-written questions over Indonesian news from ../shared/bitext.

The validation files of ../shared/qa-train are Wikipedia-style (TyDi, IDK-MRC, FacQA): short factoid
answers, almost no "why", "how", yes/no or list questions, few titled people. The questions users
ask about news are different (``eval/gold.jsonl`` shows the kinds). This script turns
``qa/training/valid/news_questions.jsonl`` (205 questions written by the developers, 23 unanswerable,
English and Indonesian, over 23 articles of NTREX-128, the Indonesian reference translation of WMT
newstest2019 English news; the 34 of set "b", ids h01…, were written after the question
translator's news rules, to check them out of sample; the 54 of set "c", ids c01…, are yes/no, list,
description and reason questions, written before the yes/no rule of :mod:`qa.reader.polar`; the 33 of
set "d", ids d01…, reasons and descriptions written before the focused reading of
:mod:`qa.reader.evidence`) into
gold files ``qa eval`` reads:

- ``OUT/corpus/``: every NTREX-128 article (the headline, then one paragraph per sentence), 139
  articles, so the open-corpus questions have other news to be confused with;
- ``OUT/open.jsonl``: the questions as open-corpus gold (doc, evidence sentence);
- ``OUT/rc.jsonl``: the same questions as reading-comprehension gold, the whole article as context.

    .venv/bin/python bench/news.py --bitext ../shared/bitext --out bench/out/news
    .venv/bin/qa eval --gold bench/out/news/rc.jsonl --json bench/out/news/rc_result.json
    .venv/bin/qa eval --gold bench/out/news/open.jsonl --corpus bench/out/news/corpus \\
        --index bench/out/news/index --json bench/out/news/open_result.json

Never used for training. Every answer occurs in its article, the first one in the evidence
sentence (this script stops on one that does not).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from qa.files import atomic_write_text

QUESTIONS = Path(__file__).resolve().parents[1] / "qa" / "training" / "valid" / "news_questions.jsonl"
SOURCE = "ntrex128"
_SENTENCE_END = (".", '"', "”", "?", "!", "'", "’", ")")


def ntrex_articles(bitext: Path) -> dict[int, list[str]]:
    """Line number of each NTREX-128 article's headline → its Indonesian lines (headline first).

    A line whose English side does not end like a sentence starts a new article (the headlines).
    """
    path = bitext / "parallel_en_id.jsonl"
    if not path.is_file():
        raise SystemExit(f"error: {path} not found; pass --bitext with the folder of parallel_en_id.jsonl")
    articles: dict[int, list[str]] = {}
    start = None
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            row = json.loads(line)
            if row.get("source") != SOURCE:
                start = None
                continue
            if start is None or not row["en"].rstrip().endswith(_SENTENCE_END):
                start = number
                articles[start] = []
            articles[start].append(row["id"].strip())
    return articles


def doc_name(start: int) -> str:
    return f"ntrex_{start}.txt"


def build(bitext: Path, out: Path, questions_path: Path = QUESTIONS) -> Counter:
    articles = ntrex_articles(bitext)
    lines = {start + i: text for start, body in articles.items() for i, text in enumerate(body)}
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for start, body in articles.items():
        atomic_write_text(corpus / doc_name(start), "\n\n".join(body) + "\n")
    open_rows, rc_rows, kinds = [], [], Counter()
    for number, raw in enumerate(questions_path.read_text(encoding="utf-8").splitlines(), 1):
        q = json.loads(raw)
        if q["doc"] not in articles:
            raise SystemExit(f"error: {questions_path}:{number}: no NTREX article starts at line {q['doc']}")
        body = articles[q["doc"]]
        context = " ".join(body[1:])
        answerable = bool(q["answers"])
        evidence = lines.get(q["line"]) if answerable else None
        if answerable and q["answers"][0] not in (evidence or ""):
            raise SystemExit(f"error: {questions_path}:{number}: answer {q['answers'][0]!r} is not in line {q['line']}")
        for answer in q["answers"]:
            if answer not in " ".join(body):
                raise SystemExit(f"error: {questions_path}:{number}: answer {answer!r} is not in the article")
        kinds[(q["lang"], q["type"] if answerable else "unanswerable")] += 1
        common = {"id": q["id"], "lang": q["lang"], "question": q["question"], "answers": q["answers"],
                  "answerable": answerable}
        open_rows.append({**common, "doc": doc_name(q["doc"]) if answerable else None, "evidence": evidence,
                          "type": q["type"], "hops": 1})
        rc_rows.append({**common, "context": context, "source": f"news_{q['type']}"})
    atomic_write_text(out / "open.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in open_rows))
    atomic_write_text(out / "rc.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rc_rows))
    return kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bitext", type=Path, default=Path("../shared/bitext"))
    parser.add_argument("--out", type=Path, default=Path("bench/out/news"))
    args = parser.parse_args(argv)
    kinds = build(args.bitext, args.out)
    print(f"{sum(kinds.values())} questions into {args.out}/open.jsonl and rc.jsonl; corpus in {args.out}/corpus")
    for (lang, kind), n in sorted(kinds.items()):
        print(f"  {lang} {kind}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
