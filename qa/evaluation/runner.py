"""Running evaluation configurations over a gold set and collecting per-question rows.

    configs = parse_configs(["mode=dense", "mode=hybrid,reader=sentence,top_k=3"])
    doc = evaluate(read_gold("eval/gold.jsonl"), configs, Settings())

Open-corpus questions go through the full system: ``QA.retrieve(k=10)`` for the retrieval
metrics and ``QA.ask(k=top_k)`` for the answer. Reading-comprehension questions go to the
reader alone, with the given context as the only passage (:func:`read_context`).
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import ValidationError

from qa.answer import Answer
from qa.config import Settings
from qa.evaluation import metrics as M
from qa.evaluation.gold import GoldQuestion, GoldSet

SCHEMA_VERSION = 1
RETRIEVAL_K = 10
ALIASES: dict[str, str] = {"mode": "retrieval_mode"}
ALIASES_BACK: dict[str, str] = {v: k for k, v in ALIASES.items()}
SNIPPET_CHARS = 240


class ConfigError(ValueError):
    """A ``--config`` value is malformed or names an unknown setting."""


def supported_keys() -> list[str]:
    """Keys a ``--config`` may set: the short names, then every Settings field."""
    return ["mode", "reader", "top_k"] + sorted(set(Settings.model_fields) - {"reader", "top_k"})


@dataclass
class RunConfig:
    """One configuration to evaluate: a display name and the Settings fields it changes."""

    name: str
    updates: dict[str, Any] = field(default_factory=dict)


def parse_config(text: str) -> RunConfig:
    """Parse ``"mode=hybrid,reader=sentence,top_k=3"`` into a validated :class:`RunConfig`.

    Raises:
        ConfigError: an item is not ``key=value``, a key is unknown or repeated, or a value is invalid.
    """
    raw: dict[str, str] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise ConfigError(f"Bad --config item '{item}' in '{text}': write key=value pairs separated by "
                              "commas, e.g. --config mode=hybrid,reader=sentence,top_k=3")
        field_name = ALIASES.get(key, key)
        if field_name not in Settings.model_fields:
            raise ConfigError(f"Unknown --config key '{key}' in '{text}'. Supported keys: "
                              f"{', '.join(supported_keys())}")
        if field_name in raw:
            raise ConfigError(f"--config '{text}' sets '{key}' twice; give each key once.")
        raw[field_name] = value
    try:
        validated = Settings(**raw)
    except ValidationError as exc:
        problems = "; ".join(f"{ALIASES_BACK.get(str(e['loc'][0]), e['loc'][0]) if e['loc'] else 'settings'}: "
                             f"{e['msg']}" for e in exc.errors())
        raise ConfigError(f"Invalid --config '{text}': {problems}") from None
    updates = {k: getattr(validated, k) for k in raw}
    name = ",".join(f"{k}={v}" for k, v in ((ALIASES_BACK.get(k, k), raw[k]) for k in raw)) or "default"
    return RunConfig(name=name, updates=updates)



def parse_configs(texts: list[str] | None) -> list[RunConfig]:
    """Parse every ``--config``; none given means one run with the default settings."""
    return [parse_config(t) for t in texts] if texts else [RunConfig("default", {})]


def describe_settings(settings: Settings) -> dict[str, Any]:
    """The JSON-ready settings of a run."""
    return settings.model_dump(mode="json")


# ------------------------------------------------------------------------- per question

def read_context(reader, question: str, context: str, max_question_chars: int = 2000,
                 language: str | None = None):
    """Answer ``question`` from ``context`` with ``reader`` alone (see :func:`qa.pipeline.read_context`)."""
    from qa.pipeline import read_context as _read_context

    return _read_context(reader, question, context, language, max_question_chars)


def _base_row(item: GoldQuestion) -> dict[str, Any]:
    return {"id": item.id, "line": item.line_no, "question": item.question, "lang": item.lang,
            "answerable": item.answerable, "gold": item.answers}


def _score_row(row: dict, item: GoldQuestion, answer: Answer | None, candidate: str, latency_ms: float) -> dict:
    found = bool(answer and answer.found)
    em, f1 = M.score_answer(answer.text if answer else "", found, item.answers, item.answerable)
    row.update({
        "predicted": answer.text if found else "", "found": found,
        "score": float(answer.score) if answer else None,
        "em": em, "f1": f1, "pred_lang": answer.language if answer else None,
        "candidate": candidate,
        "candidate_f1": M.f1_score(candidate, item.answers) if item.answerable else 0.0,
        "latency_ms": latency_ms,
    })
    return row


def open_row(qa, item: GoldQuestion, mode: str, top_k: int) -> dict[str, Any]:
    """Retrieve (k=10) and answer (k=top_k) one open-corpus question; returns its row."""
    from qa.pipeline import QuestionError, clean_question

    row = _base_row(item)
    row.update({"type": item.type, "hops": item.hops, "doc": item.doc, "evidence": item.evidence,
                "has_evidence": bool(item.answerable and item.evidence)})
    try:
        text = clean_question(item.question, qa.settings.max_question_chars)
        row.update(retrieval_row(qa, item, mode))
        t0 = time.perf_counter()
        answer = qa.ask(item.question, k=top_k, mode=mode)
        latency = (time.perf_counter() - t0) * 1000
    except QuestionError as exc:
        row.update({"error": str(exc), "evidence_rank": None, "doc_rank": None, "retrieved": []})
        return _score_row(row, item, None, "", 0.0)
    candidate = answer.text
    if not answer.found:  # what the reader would have said: needed for the threshold analysis
        result = qa.reader.read(text, answer.passages, answer.language, index_chunks=len(qa.index))
        candidate = result.spans[0].text if result.spans else ""
    return _score_row(row, item, answer, candidate, latency)


def retrieval_row(qa, item: GoldQuestion, mode: str | None = None, k: int = RETRIEVAL_K) -> dict[str, Any]:
    """Retrieve ``k`` passages for one question (timed); evidence/document ranks and a short listing.

    Raises:
        qa.pipeline.QuestionError: the question cannot be asked.
    """
    t0 = time.perf_counter()
    passages = qa.retrieve(item.question, k=k, mode=mode)
    out = {"retrieve_ms": (time.perf_counter() - t0) * 1000}
    out.update(retrieval_fields(passages, item))
    return out


def retrieval_fields(passages: list, item: GoldQuestion) -> dict[str, Any]:
    """Evidence and document ranks of a question's retrieved passages, and a short listing."""
    return {
        "has_evidence": bool(item.answerable and item.evidence),
        "evidence_rank": M.evidence_rank([p.text for p in passages], item.evidence),
        "doc_rank": M.document_rank([p.doc_id for p in passages], item.doc),
        "retrieved": [{"doc_id": p.doc_id, "chunk_id": p.chunk_id, "score": round(float(p.score), 6),
                       "text": " ".join(p.text.split())[:SNIPPET_CHARS]} for p in passages[:3]],
    }


def reading_row(reader, item: GoldQuestion, max_question_chars: int) -> dict[str, Any]:
    """Answer one reading-comprehension question from its context; returns its row."""
    from qa.pipeline import QuestionError

    row = _base_row(item)
    row["source"] = item.source
    try:
        answer, result = read_context(reader, item.question, item.context or "", max_question_chars)
    except QuestionError as exc:
        row["error"] = str(exc)
        return _score_row(row, item, None, "", 0.0)
    candidate = result.spans[0].text if result.spans else ""
    return _score_row(row, item, answer, candidate, answer.latency_ms)


# ------------------------------------------------------------------------- summaries

def calibration(rows: list[dict]) -> dict[str, Any]:
    """Score-vs-correctness analysis: binned accuracy and the best "not found" threshold.

    A candidate counts as correct when the question is answerable and the candidate's F1 is
    at least 0.5; answering an unanswerable question is never correct.
    """
    rows = [r for r in rows if r.get("score") is not None]
    scores = [r["score"] for r in rows]
    correct = [bool(r["answerable"] and r["candidate_f1"] >= 0.5) for r in rows]
    best = M.best_threshold(scores, [r["candidate_f1"] for r in rows], [r["answerable"] for r in rows])
    return {"suggested_threshold": best["threshold"], "f1_at_threshold": best["f1"],
            "f1_now": M.answer_summary(rows)["f1"] if rows else None,
            "bins": M.calibration_bins(scores, correct)}


def summarize_rows(rows: list[dict], kind: str) -> dict[str, Any]:
    """All aggregate figures of one run (no timing, no config)."""
    out = M.answer_summary(rows)
    out["by_lang"] = M.group_by(rows, "lang")
    if kind == "open":
        out["by_type"] = M.group_by(rows, "type")
        out["by_hops"] = M.group_by(rows, "hops")
        out["by_doc"] = M.group_by(rows, lambda r: r.get("doc") or "(unanswerable)")
        out["by_source"] = {}
        retrieval = M.retrieval_summary(rows)
        retrieval["by_lang"] = M.group_by(rows, "lang", M.retrieval_summary)
        out["retrieval"] = retrieval
    else:
        out["by_type"], out["by_hops"], out["by_doc"] = {}, {}, {}
        out["by_source"] = M.group_by(rows, "source")
        out["retrieval"] = None
    out["lang_acc"] = M.language_accuracy(rows)
    out["latency_ms"] = M.latency_summary([r["latency_ms"] for r in rows if not r.get("error")])
    out["calibration"] = calibration(rows)
    return out


def comparison_row(run: dict) -> dict[str, Any]:
    """One line of the comparison table."""
    retrieval = run.get("retrieval") or {}
    return {"config": run["config"]["name"], "em": run["em"], "f1": run["f1"], "has_ans_f1": run["has_ans_f1"],
            "noans_acc": run["noans_acc"], "answer_precision": run["answer_precision"],
            "answer_recall": run["answer_recall"], "recall@1": retrieval.get("recall@1"),
            "recall@5": retrieval.get("recall@5"), "mrr@10": retrieval.get("mrr@10"),
            "doc_recall@5": retrieval.get("doc_recall@5"), "lang_acc": run["lang_acc"],
            "p50_ms": run["latency_ms"]["p50"], "p95_ms": run["latency_ms"]["p95"], "total_s": run["total_s"]}


# ------------------------------------------------------------------------- running

def _progress(items, desc: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="q", file=sys.stderr, disable=not enabled, leave=False)


def _load_error(config: RunConfig, settings: Settings, exc: Exception) -> RuntimeError:
    hint = config.name + ",reader=sentence" if config.name != "default" else "reader=sentence"
    return RuntimeError(f"config '{config.name}' (reader '{settings.reader}') could not be loaded: "
                        f"{type(exc).__name__}: {str(exc).rstrip('.')}.\nFix that setting or evaluate another "
                        f"reader, e.g. --config {hint}")


def load_systems(gold: GoldSet, configs: list[RunConfig], base: Settings,
                 progress: bool = True) -> list[tuple[RunConfig, Settings, Any]]:
    """Load every configuration's system before running any (so a bad config fails fast).

    Open-corpus gold loads a :class:`qa.pipeline.QA` per distinct setting (configs that differ only
    in ``retrieval_mode``/``top_k`` share one, since those are passed per call); reading-comprehension
    gold loads only the reader (no index).
    """
    from qa.pipeline import QA
    from qa.reader import reader_for

    cache: dict[str, Any] = {}
    out = []
    for config in configs:
        settings = base.model_copy(update=config.updates)
        if gold.kind == "open":
            key = settings.model_dump_json(exclude={"retrieval_mode", "top_k"})
        else:
            key = f"{settings.reader}/{settings.reader_precision}/{settings.question_translation}"
        if key not in cache:
            try:
                if gold.kind == "open":
                    system = QA.load(settings=settings, progress=progress)
                    system.reader.warm_up()
                else:
                    system = reader_for(settings)
                    system.warm_up()
            except (KeyboardInterrupt, SystemExit):
                raise
            except Exception as exc:  # any load failure becomes one clear message
                raise _load_error(config, settings, exc) from exc
            cache[key] = system
        out.append((config, settings, cache[key]))
    return out


def run_one(gold: GoldSet, config: RunConfig, settings: Settings, system, progress: bool = True) -> dict[str, Any]:
    """Evaluate one loaded configuration; returns its run object (figures, config, rows)."""
    t0 = time.perf_counter()
    rows = []
    for item in _progress(gold.questions, config.name, progress):
        if gold.kind == "open":
            rows.append(open_row(system, item, settings.retrieval_mode, settings.top_k))
        else:
            rows.append(reading_row(system, item, settings.max_question_chars))
    total = time.perf_counter() - t0
    run: dict[str, Any] = {"config": {"name": config.name, "updates": {k: _jsonable(v) for k, v in config.updates.items()},
                                      "settings": describe_settings(settings)}}
    if gold.kind == "open":  # the index size sets the "not found" threshold (qa.reader.threshold)
        run["config"]["index_chunks"] = len(system.index)
    adapter = getattr(getattr(system, "embedder", None), "adapter", None) if gold.kind == "open" else None
    if adapter is not None:  # which question adapter file answered (the setting alone says "default")
        run["config"]["query_adapter_sha256"] = adapter.sha256
    run.update(summarize_rows(rows, gold.kind))
    if gold.kind == "open":
        run["retrieve_latency_ms"] = M.latency_summary([r["retrieve_ms"] for r in rows if "retrieve_ms" in r])
    run["total_s"] = total
    run["rows"] = rows
    return run


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def evaluate(gold: GoldSet, configs: list[RunConfig], base: Settings, progress: bool = True,
             on_run: Callable[[dict], None] | None = None) -> dict[str, Any]:
    """Evaluate every configuration on ``gold``; returns the JSON document (see eval/README.md).

    One configuration gives its run object at the top level; several give ``{"runs": [...],
    "comparison": [...]}``. Both carry ``schema_version``, ``kind``, ``gold`` and ``n``.
    """
    t0 = time.perf_counter()
    systems = load_systems(gold, configs, base, progress)
    load_s = time.perf_counter() - t0
    runs = []
    for config, settings, system in systems:
        run = run_one(gold, config, settings, system, progress)
        runs.append(run)
        if on_run:
            on_run(run)
    meta = {"schema_version": SCHEMA_VERSION, "kind": gold.kind, "gold": str(gold.path), "n": len(gold),
            "load_s": load_s}
    if len(runs) == 1:
        return {**meta, **runs[0], "comparison": [comparison_row(runs[0])]}
    return {**meta, "runs": runs, "comparison": [comparison_row(r) for r in runs]}


def runs_of(document: dict) -> list[dict]:
    """The run objects of an evaluation document, whatever its shape."""
    return document["runs"] if "runs" in document else [document]
