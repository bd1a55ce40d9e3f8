"""Evaluation outputs: the Markdown report, PNG plots and the JSON file, written atomically.

Everything is rendered into a staging folder first; only when all of it succeeded are the
files moved into place with ``os.replace`` (each target file is either the old or the new
complete version, never half-written).
"""
from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from qa.evaluation import metrics as M
from qa.evaluation.runner import runs_of

REPORT_NAME = "report.md"
PLOTS = {"f1": "f1_by_type_lang.png", "latency": "latency.png", "calibration": "calibration.png"}
WORST_N = 20
KIND_TITLES = {"open": "open-corpus", "reading": "reading-comprehension"}


# ------------------------------------------------------------------------- formatting

def fmt(value: Any, digits: int = 3) -> str:
    """A table cell: numbers rounded, None as an en dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "–" if not math.isfinite(value) else f"{value:.{digits}f}"
    return str(value)


def cell(text: Any, limit: int = 120) -> str:
    """Text made safe for a Markdown table cell (no newlines or pipes), shortened to ``limit``."""
    s = " ".join(str(text).split()).replace("|", "\\|")
    return s if len(s) <= limit else s[:limit - 1] + "…"


def table(header: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(fmt(v) if not isinstance(v, str) else v for v in row) + " |" for row in rows]
    return "\n".join(lines)


COMPARISON_COLUMNS = [("config", "config"), ("em", "EM"), ("f1", "F1"), ("has_ans_f1", "F1 (answerable)"),
                      ("noans_acc", "no-ans acc"), ("answer_precision", "ans. P"), ("answer_recall", "ans. R"),
                      ("recall@1", "R@1"), ("recall@5", "R@5"), ("mrr@10", "MRR@10"),
                      ("doc_recall@5", "doc R@5"), ("lang_acc", "lang acc"), ("p50_ms", "p50 ms"),
                      ("p95_ms", "p95 ms"), ("total_s", "total s")]


def comparison_table(document: dict) -> str:
    """The comparison of all runs as a Markdown table (also printed by ``qa eval``)."""
    cols = COMPARISON_COLUMNS
    if document.get("kind") == "reading":
        cols = [c for c in cols if c[0] not in ("recall@1", "recall@5", "mrr@10", "doc_recall@5")]
    rows = []
    for row in document["comparison"]:
        rows.append([f"`{row[key]}`" if key == "config" else
                     (fmt(row[key], 0) if key.endswith("_ms") else fmt(row[key], 1) if key == "total_s" else row[key])
                     for key, _ in cols])
    return table([title for _, title in cols], rows)


def _group_table(groups: dict[str, dict], label: str) -> str:
    rows = [[cell(name, 60), g["n"], g["em"], g["f1"], g["has_ans_f1"], g["noans_acc"]] for name, g in groups.items()]
    return table([label, "n", "EM", "F1", "F1 (answerable)", "no-ans acc"], rows)


def _retrieval_table(retrieval: dict) -> str:
    keys = ["recall@1", "recall@3", "recall@5", "recall@10", "mrr@10", "doc_recall@5"]
    rows = [["all", retrieval["n"]] + [retrieval[k] for k in keys]]
    rows += [[lang, g["n"]] + [g[k] for k in keys] for lang, g in retrieval.get("by_lang", {}).items()]
    return table(["questions", "n", "R@1", "R@3", "R@5", "R@10", "MRR@10", "doc R@5"], rows)


def worst_rows(rows: list[dict], n: int = WORST_N) -> list[dict]:
    """The ``n`` worst questions: lowest F1 first, then the most confident, then by id."""
    def key(r):
        score = r.get("score")
        return (r["f1"], -(score if score is not None and math.isfinite(score) else -1e9), r["id"])
    return sorted(rows, key=key)[:n]


def _worst_table(rows: list[dict], kind: str) -> str:
    out = []
    for i, r in enumerate(worst_rows(rows), start=1):
        gold = r["gold"][0] if r["gold"] else "(unanswerable)"
        pred = r["predicted"] if r["found"] else f"(not found; candidate: {r.get('candidate') or '–'})"
        line = [str(i), f"`{r['id']}`", r["lang"], cell(r["question"], 90), cell(gold, 60), cell(pred, 90),
                fmt(r["f1"]), fmt(r.get("score"))]
        if kind == "open":
            top = r.get("retrieved") or []
            retrieved = f"{top[0]['doc_id']}#{top[0]['chunk_id']}: {top[0]['text']}" if top else "–"
            line += [fmt(r.get("evidence_rank")), cell(retrieved, 110)]
        out.append(line)
    header = ["#", "id", "lang", "question", "gold", "predicted", "F1", "score"]
    if kind == "open":
        header += ["evidence rank", "top retrieved"]
    return table(header, out)


def _calibration_text(cal: dict) -> str:
    bins = [[f"{b['lo']:.3f} … {b['hi']:.3f}", b["n"], b["accuracy"]] for b in cal["bins"]]
    t = cal["suggested_threshold"]
    advice = ("never answer (no threshold helps)" if t is None else
              f"answer only when score ≥ **{t:.4f}**")
    return (f"Suggested \"not found\" threshold: {advice} — overall F1 would be "
            f"{fmt(cal['f1_at_threshold'])} (now {fmt(cal['f1_now'])}). A candidate counts as correct "
            "when the question is answerable and its F1 ≥ 0.5.\n\n"
            + table(["score bin", "n", "share correct"], bins))


def render_markdown(document: dict) -> str:
    """The whole report as Markdown."""
    runs = runs_of(document)
    kind = document["kind"]
    first = runs[0]
    parts = [
        "# Evaluation report", "",
        f"Gold file `{document['gold']}`: {KIND_TITLES.get(kind, kind)}, {document['n']} questions "
        f"({first['n_answerable']} answerable, {first['n_unanswerable']} unanswerable). "
        "All figures are fractions in [0, 1] except latencies; `–` means not applicable.", "",
        "## Comparison", "", comparison_table(document), "",
        "## Plots", "",
        f"![F1 by question type and language]({PLOTS['f1']})", "",
        f"![Latency of ask]({PLOTS['latency']})", "",
        f"![Score calibration]({PLOTS['calibration']})", "",
    ]
    for run in runs:
        parts += [f"## Config `{run['config']['name']}`", "",
                  f"Reader `{run['config']['settings'].get('reader')}`, retrieval mode "
                  f"`{run['config']['settings'].get('retrieval_mode')}`, top_k "
                  f"{run['config']['settings'].get('top_k')}"
                  + (f", index of {run['config']['index_chunks']:,} chunks" if run["config"].get("index_chunks") else "")
                  + ".", "",
                  "### Overall", "",
                  table(["metric", "value"], [
                      ["n", run["n"]], ["EM", run["em"]], ["F1", run["f1"]],
                      ["EM (answerable)", run["has_ans_em"]], ["F1 (answerable)", run["has_ans_f1"]],
                      ["no-answer accuracy", run["noans_acc"]], ["answering precision", run["answer_precision"]],
                      ["answering recall", run["answer_recall"]], ["language detection accuracy", run["lang_acc"]],
                      ["latency p50 (ms)", fmt(run["latency_ms"]["p50"], 1)],
                      ["latency p95 (ms)", fmt(run["latency_ms"]["p95"], 1)],
                      ["total time (s)", fmt(run["total_s"], 1)]]), ""]
        if run.get("retrieval"):
            parts += ["### Retrieval (gold evidence passage, k = 10)", "", _retrieval_table(run["retrieval"]), ""]
        parts += ["### By language", "", _group_table(run["by_lang"], "language"), ""]
        if kind == "open":
            parts += ["### By question type", "", _group_table(run["by_type"], "type"), "",
                      "### By hops", "", _group_table(run["by_hops"], "hops"), "",
                      "### By document", "", _group_table(run["by_doc"], "document"), ""]
        else:
            parts += ["### By source", "", _group_table(run["by_source"], "source"), ""]
        parts += ["### Score calibration", "", _calibration_text(run["calibration"]), "",
                  f"### The {min(WORST_N, len(run['rows']))} worst questions", "",
                  _worst_table(run["rows"], kind), ""]
    return "\n".join(parts)


# ------------------------------------------------------------------------- plots

def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_f1_by_group(document: dict, path: Path) -> None:
    """Grouped bars: F1 per question type (or source) and language, one panel per run."""
    plt = _pyplot()
    runs = runs_of(document)
    group_key = "type" if document["kind"] == "open" else "source"
    fig, axes = plt.subplots(len(runs), 1, figsize=(10, 3.2 * len(runs)), squeeze=False)
    for ax, run in zip(axes[:, 0], runs):
        rows = run["rows"]
        groups = sorted({str(r.get(group_key)) for r in rows})
        langs = sorted({r["lang"] for r in rows})
        width = 0.8 / max(1, len(langs))
        for j, lang in enumerate(langs):
            per = M.group_by([r for r in rows if r["lang"] == lang], group_key)
            values = [(per.get(g) or {}).get("f1") or 0.0 for g in groups]
            ax.bar([i + (j - (len(langs) - 1) / 2) * width for i in range(len(groups))], values, width, label=lang)
        ax.set_xticks(range(len(groups)))
        ax.set_xticklabels(groups, rotation=30, ha="right", fontsize=8)
        ax.set_ylim(0, 1)
        ax.set_ylabel("F1")
        ax.set_title(f"{run['config']['name']}: F1 by {group_key} and language", fontsize=10)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_latency(document: dict, path: Path) -> None:
    """Histogram of ``ask`` latency per question, all runs overlaid."""
    import numpy as np

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4))
    runs = runs_of(document)
    values = [[r["latency_ms"] for r in run["rows"] if not r.get("error")] for run in runs]
    flat = [v for vs in values for v in vs]
    if flat:
        bins = np.linspace(0, max(flat) * 1.02 + 1e-9, 30)
        for run, vs in zip(runs, values):
            lat = run["latency_ms"]
            ax.hist(vs, bins=bins, histtype="step", linewidth=1.5,
                    label=f"{run['config']['name']} (p50 {fmt(lat['p50'], 0)}, p95 {fmt(lat['p95'], 0)} ms)")
        ax.legend(fontsize=8)
    ax.set_xlabel("latency per question (ms)")
    ax.set_ylabel("questions")
    ax.set_title("Latency of answering")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_calibration(document: dict, path: Path) -> None:
    """Answer score vs. correctness: points, binned share correct, suggested threshold."""
    plt = _pyplot()
    runs = runs_of(document)
    ncols = min(2, len(runs))
    nrows = math.ceil(len(runs) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6 * ncols, 4 * nrows), squeeze=False)
    for ax in axes.flat[len(runs):]:
        ax.set_visible(False)
    for ax, run in zip(axes.flat, runs):
        rows = [r for r in run["rows"] if r.get("score") is not None and math.isfinite(r["score"])]
        ok = [bool(r["answerable"] and r["candidate_f1"] >= 0.5) for r in rows]
        jitter = [((i * 37) % 17 - 8) / 200 for i in range(len(rows))]  # deterministic
        ax.scatter([r["score"] for r in rows], [float(c) + j for c, j in zip(ok, jitter)],
                   c=["tab:green" if c else "tab:red" for c in ok], s=10, alpha=0.5)
        cal = run["calibration"]
        bins = [b for b in cal["bins"] if math.isfinite(b["lo"]) and math.isfinite(b["hi"])]
        ax.plot([(b["lo"] + b["hi"]) / 2 for b in bins], [b["accuracy"] for b in bins], "o-", color="black",
                label="share correct (binned)")
        if cal["suggested_threshold"] is not None:
            ax.axvline(cal["suggested_threshold"], color="tab:blue", linestyle="--",
                       label=f"suggested threshold {cal['suggested_threshold']:.3g}")
        ax.set_ylim(-0.1, 1.1)
        ax.set_xlabel("answer score")
        ax.set_ylabel("correct (answerable, F1 ≥ 0.5)")
        ax.set_title(run["config"]["name"], fontsize=9)
        ax.legend(fontsize=7, loc="center right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# ------------------------------------------------------------------------- writing

def to_json(document: dict) -> str:
    """The JSON text of a document (non-finite numbers become null)."""
    def clean(value):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {str(k): clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        return value
    return json.dumps(clean(document), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _nearest_existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists():
        path = path.parent
    return path


def write_outputs(document: dict, out_dir: str | Path | None = None, json_path: str | Path | None = None) -> list[Path]:
    """Write the report folder (``report.md`` + PNGs) and/or the JSON file, atomically.

    Returns:
        The paths written.
    """
    staging = []
    moves: list[tuple[Path, Path]] = []
    try:
        if out_dir is not None:
            out_dir = Path(out_dir)
            if out_dir.exists() and not out_dir.is_dir():
                raise NotADirectoryError(f"--out '{out_dir}' is a file; give a folder for the report.")
            tmp = Path(tempfile.mkdtemp(prefix=".eval-report-", dir=_nearest_existing(out_dir.parent)))
            staging.append(tmp)
            (tmp / REPORT_NAME).write_text(render_markdown(document), encoding="utf-8")
            plot_f1_by_group(document, tmp / PLOTS["f1"])
            plot_latency(document, tmp / PLOTS["latency"])
            plot_calibration(document, tmp / PLOTS["calibration"])
            moves += [(tmp / name, out_dir / name) for name in [REPORT_NAME, *PLOTS.values()]]
        if json_path is not None:
            json_path = Path(json_path)
            if json_path.is_dir():
                raise IsADirectoryError(f"--json '{json_path}' is a folder; give a file name, e.g. results.json.")
            tmp = Path(tempfile.mkdtemp(prefix=".eval-json-", dir=_nearest_existing(json_path.parent)))
            staging.append(tmp)
            (tmp / json_path.name).write_text(to_json(document), encoding="utf-8")
            moves.append((tmp / json_path.name, json_path))
        for _, target in moves:
            target.parent.mkdir(parents=True, exist_ok=True)
        for source, target in moves:
            os.replace(source, target)
    finally:
        for tmp in staging:
            shutil.rmtree(tmp, ignore_errors=True)
    return [target for _, target in moves]
