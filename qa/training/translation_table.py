"""Build the English→Indonesian word table that :mod:`qa.translate` ships (a build-time tool).

    .venv/bin/python -m qa.training.translation_table --bitext ../shared/bitext --data ../shared/qa-train

For every English entry of ``lexicon_en_id.core.tsv`` (single words and multi-word phrases) the
Indonesian candidates are ranked by

* how often the candidate occurs in Indonesian text (the contexts of ``tydiqa_id_train`` and
  ``idkmrc_train`` plus the Indonesian side of ``parallel_en_id.jsonl``): the common word of
  news and encyclopaedia text first ("meeting" → "pertemuan", not "perhimpunan");
* the share of the parallel sentences with the English word whose Indonesian side has the
  candidate (smoothed), which promotes the translation actually used ("capital" → "ibu kota",
  not the more frequent "besar");
* single words before phrases when both score alike.

The best four candidates of each entry are written, so that at run time :mod:`qa.translate` can
prefer the one the passages use. Each English word is also marked *common* when the English side
of the parallel sentences writes it in lower case at least as often as capitalised inside a
sentence: a capitalised common word in a question ("the Nusantara *Capital* Authority") is
translated, a name ("Bambang") is kept.

The written file (``qa/data/en_id_table.tsv.gz``) is derived from the lexicon's sources and the
Indonesian texts; its licence notice is ``qa/data/en_id_table.LICENSE.md``.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from qa.translate import TABLE_PATH

CANDIDATES_KEPT = 4
FREQUENCY_FILES = ("tydiqa_id_train.jsonl", "idkmrc_train.jsonl")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def indonesian_counts(texts) -> Counter:
    """Counts of Indonesian words and word pairs (``"kerja sama"``) over ``texts``."""
    counts: Counter = Counter()
    for text in texts:
        words = _words(text)
        counts.update(words)
        counts.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    return counts


def _contexts(data_dir: Path):
    seen: set[str] = set()
    for name in FREQUENCY_FILES:
        path = data_dir / name
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                context = json.loads(line)["context"]
                if context not in seen:
                    seen.add(context)
                    yield context


def build_table(bitext_dir: Path, data_dir: Path | None) -> tuple[dict[str, list[str]], set[str]]:
    """``(table, common)``: ranked Indonesian candidates per English entry, and the common English words."""
    lexicon: dict[str, set[str]] = defaultdict(set)
    with open(bitext_dir / "lexicon_en_id.core.tsv", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and parts[0].strip() and parts[1].strip():
                lexicon[parts[0].strip()].add(parts[1].strip())
    parallel = []
    with open(bitext_dir / "parallel_en_id.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            parallel.append((row["en"], row["id"]))
    id_counts = indonesian_counts([i for _, i in parallel])
    if data_dir is not None:
        id_counts.update(indonesian_counts(_contexts(data_dir)))
    en_sets = [set(_words(e)) for e, _ in parallel]
    id_sets = [set(_words(i)) for _, i in parallel]
    en_freq: Counter = Counter(w for s in en_sets for w in s)
    pair: Counter = Counter()
    for en, idw in zip(en_sets, id_sets):
        for e in en:
            for c in lexicon.get(e, ()):
                if all(w in idw for w in c.split()):
                    pair[(e, c)] += 1
    lower: Counter = Counter()
    capital: Counter = Counter()
    for en, _ in parallel:
        tokens = re.findall(r"[^\W\d_]+", en)
        for tok in tokens[1:]:
            (capital if tok[0].isupper() else lower)[tok.lower()] += 1
    table: dict[str, list[str]] = {}
    for english, candidates in lexicon.items():
        def score(c: str, e: str = english) -> tuple[float, str]:
            # share of the parallel sentences with ``e`` whose Indonesian side has ``c`` (smoothed),
            # then how common ``c`` is in Indonesian text: "capital" → "ibu kota", not "besar"
            words = c.split()
            assoc = (pair[(e, c)] + 0.2) / (en_freq[e] + 1) if " " not in e else 0.2
            frequency = id_counts[c] if len(words) <= 2 else min(id_counts[w] for w in words) / 10
            return (math.log(assoc) + 0.5 * math.log1p(frequency) - 0.3 * abs(len(words) - len(e.split())), c)

        ranked = sorted(candidates, key=score, reverse=True)
        table[english] = ranked[:CANDIDATES_KEPT]
    common = {w for w in lower if lower[w] >= max(1, capital[w])}
    return table, common


def write_table(table: dict[str, list[str]], common: set[str], path: Path) -> None:
    """Write the table atomically: ``english<TAB>common(0/1)<TAB>cand1|cand2|…`` per line, gzip."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        with gzip.GzipFile(tmp, "wb", mtime=0) as raw:
            body = "".join(f"{e}\t{int(e in common)}\t{'|'.join(c)}\n" for e, c in sorted(table.items()))
            raw.write(body.encode("utf-8"))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m qa.training.translation_table", description=__doc__.split("\n")[0])
    ap.add_argument("--bitext", type=Path, required=True, help="folder with lexicon_en_id.core.tsv and parallel_en_id.jsonl")
    ap.add_argument("--data", type=Path, default=None, help="the qa-train folder (Indonesian word frequencies)")
    ap.add_argument("--out", type=Path, default=TABLE_PATH)
    args = ap.parse_args(argv)
    for name in ("lexicon_en_id.core.tsv", "parallel_en_id.jsonl"):
        if not (args.bitext / name).exists():
            print(f"error: {args.bitext / name} not found; point --bitext at the bitext folder", file=sys.stderr)
            return 2
    table, common = build_table(args.bitext, args.data)
    write_table(table, common, args.out)
    print(f"wrote {args.out}: {len(table):,} English entries, {args.out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
