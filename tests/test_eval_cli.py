"""``qa eval``: --config parsing, error handling, atomic outputs and small end-to-end runs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.cli import main
from qa.evaluation import report
from qa.evaluation.runner import ConfigError, parse_config, parse_configs, runs_of

ROOT = Path(__file__).resolve().parent.parent
PNGS = ("f1_by_type_lang.png", "latency.png", "calibration.png")
RUN_KEYS = {"em", "f1", "noans_acc", "n", "by_lang", "by_type", "by_hops", "by_doc", "retrieval", "lang_acc",
            "latency_ms", "answer_precision", "answer_recall", "config", "rows"}
ROW_KEYS = {"id", "question", "lang", "gold", "predicted", "found", "score", "em", "f1", "evidence_rank"}

READING = [
    {"id": "r1", "lang": "id", "question": "Apa kepanjangan dari GPS?",
     "context": "Sistem Pemosisi Global (bahasa Inggris: Global Positioning System (GPS)) adalah sistem untuk "
                "menentukan letak di permukaan bumi. Sistem ini menggunakan 24 satelit.",
     "answers": ["Global Positioning System"], "answerable": True, "source": "A"},
    {"id": "r2", "lang": "en", "question": "Who got the first Nobel Prize in Physics?",
     "context": "The first Nobel Prize in Physics was awarded in 1901 to Wilhelm Conrad Röntgen. "
                "John Bardeen is the only laureate to win the prize twice.",
     "answers": ["Wilhelm Conrad Röntgen"], "answerable": True, "source": "B"},
    {"id": "r3", "lang": "id", "question": "Siapa presiden pertama Kazakhstan?",
     "context": "Harimau sumatera hidup di hutan Leuser. Tim Kompas memergoki harimau di tepi jalan.",
     "answers": [], "answerable": False, "source": "A"},
]


# ------------------------------------------------------------------------- --config

def test_parse_config_maps_keys_and_types():
    config = parse_config("mode=hybrid, reader=sentence,top_k=3")
    assert config.updates == {"retrieval_mode": "hybrid", "reader": "sentence", "top_k": 3}
    assert config.name == "mode=hybrid,reader=sentence,top_k=3"
    assert parse_config("chunk_tokens=128").updates == {"chunk_tokens": 128}
    assert [c.name for c in parse_configs(None)] == ["default"]


@pytest.mark.parametrize("text, fragment", [
    ("colour=blue", "Unknown --config key 'colour'"),
    ("mode", "write key=value pairs"),
    ("mode=", "write key=value pairs"),
    ("mode=dense,mode=bm25", "sets 'mode' twice"),
    ("mode=sparse", "Invalid --config 'mode=sparse': mode:"),
    ("top_k=zero", "top_k:"),
    ("top_k=0", "top_k:"),
])
def test_parse_config_errors(text, fragment):
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    assert fragment in str(info.value)


def test_unknown_key_lists_supported_keys():
    with pytest.raises(ConfigError) as info:
        parse_config("k=3")
    message = str(info.value)
    for key in ("mode", "reader", "top_k", "chunk_tokens", "embedding_model"):
        assert key in message


def test_cli_bad_config_is_one_clear_line(tmp_path, capsys):
    rc = main(["eval", "--gold", str(ROOT / "eval/gold.jsonl"), "--config", "mode=dense",
               "--config", "speed=fast", "--json", str(tmp_path / "r.json")])
    err = capsys.readouterr().err
    assert rc == 2 and "Unknown --config key 'speed'" in err and "Traceback" not in err
    assert not (tmp_path / "r.json").exists()


# ------------------------------------------------------------------------- malformed gold

def test_cli_malformed_gold_names_line_and_writes_nothing(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(READING[0]) + "\n" + '{"id": "r2", "lang": "en", "question": }\n', encoding="utf-8")
    out, js = tmp_path / "out", tmp_path / "res" / "r.json"
    rc = main(["eval", "--gold", str(gold), "--config", "reader=sentence", "--out", str(out), "--json", str(js)])
    err = capsys.readouterr().err
    assert rc == 2 and "line 2" in err and "not valid JSON" in err
    assert not out.exists() and not js.exists() and not js.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gold.jsonl"]


def _rc_document(tmp_path: Path) -> dict:
    from qa.config import Settings
    from qa.evaluation.gold import read_gold
    from qa.evaluation.runner import evaluate

    gold = tmp_path / "rc.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in READING), encoding="utf-8")
    return evaluate(read_gold(gold), parse_configs(["reader=sentence"]), Settings(), progress=False)


def test_failed_report_leaves_old_files_untouched(tmp_path, monkeypatch):
    document = _rc_document(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("old report", encoding="utf-8")

    def boom(*_):
        raise RuntimeError("plot failed")

    monkeypatch.setattr(report, "plot_calibration", boom)
    with pytest.raises(RuntimeError, match="plot failed"):
        report.write_outputs(document, out_dir=out, json_path=tmp_path / "r.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "rc.jsonl"]     # no JSON, no staging folder
    assert [p.name for p in out.iterdir()] == ["report.md"]
    assert (out / "report.md").read_text(encoding="utf-8") == "old report"


# ------------------------------------------------------------------------- end to end

def _strip_timing(document: dict) -> list:
    return [[{k: v for k, v in row.items() if k not in ("latency_ms",)} for row in run["rows"]]
            for run in runs_of(document)]


def test_reading_comprehension_run_needs_no_index(tmp_path, capsys):
    gold = tmp_path / "rc.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in READING), encoding="utf-8")
    index = tmp_path / "idx"
    args = ["eval", "--gold", str(gold), "--index", str(index), "--no-progress",
            "--config", "reader=sentence", "--config", "reader=sentence,max_question_chars=500"]
    assert main(args + ["--out", str(tmp_path / "out"), "--json", str(tmp_path / "a.json")]) == 0
    assert main(args + ["--json", str(tmp_path / "b.json")]) == 0
    printed = capsys.readouterr().out
    assert "| `reader=sentence` |" in printed and "reader=sentence,max_question_chars=500" in printed
    assert not index.exists()
    a = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert a["kind"] == "reading" and len(a["runs"]) == 2 and len(a["comparison"]) == 2
    run = a["runs"][0]
    assert RUN_KEYS <= set(run) and run["retrieval"] is None
    assert set(run["by_source"]) == {"A", "B"} and set(run["by_lang"]) == {"en", "id"}
    assert run["n"] == 3 and run["n_unanswerable"] == 1
    assert all(0.0 <= run[k] <= 1.0 for k in ("em", "f1", "lang_acc") if run[k] is not None)
    assert _strip_timing(a) == _strip_timing(b)       # deterministic run to run
    for name in ("report.md", *PNGS):
        assert (tmp_path / "out" / name).stat().st_size > 0


@pytest.mark.slow
def test_open_corpus_end_to_end(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_QUERY_ADAPTER", "shipped")  # also checks that the run names the adapter it used
    out, js = tmp_path / "out", tmp_path / "results.json"
    rc = main(["eval", "--gold", str(ROOT / "eval/gold.jsonl"), "--corpus", str(ROOT / "seeds"),
               "--index", str(tmp_path / "idx"), "--limit", "6", "--config", "reader=sentence",
               "--no-progress", "--out", str(out), "--json", str(js)])
    assert rc == 0
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert RUN_KEYS <= set(doc) and doc["kind"] == "open" and doc["n"] == 6
    assert set(doc["retrieval"]) >= {"recall@1", "recall@3", "recall@5", "recall@10", "mrr@10", "doc_recall@5"}
    assert set(doc["latency_ms"]) >= {"p50", "p95"}
    assert set(doc["by_lang"]["id"]) >= {"em", "f1", "noans_acc", "n"}
    assert doc["config"]["settings"]["reader"] == "sentence"
    from qa.index import Index
    assert doc["config"]["index_chunks"] == len(Index.open(tmp_path / "idx")) > 0  # sets the "not found" threshold
    import hashlib

    from qa.query_adapter import DEFAULT_ADAPTER
    assert doc["config"]["query_adapter_sha256"] == hashlib.sha256(DEFAULT_ADAPTER.read_bytes()).hexdigest()
    assert len(doc["rows"]) == 6 and ROW_KEYS <= set(doc["rows"][0])
    for key in ("em", "f1", "lang_acc", "answer_precision", "answer_recall"):
        assert doc[key] is None or 0.0 <= doc[key] <= 1.0
    assert all(0.0 <= v <= 1.0 for k, v in doc["retrieval"].items() if k != "n" and not isinstance(v, dict))
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "## Comparison" in text and "worst questions" in text and "### By question type" in text
    assert f"index of {doc['config']['index_chunks']:,} chunks" in text
    for name in PNGS:
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
