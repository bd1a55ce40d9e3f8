"""The `qa` command line, run in-process and as a console script."""
from __future__ import annotations

import json
import subprocess
import sys

from qa.cli import main
from tests.conftest import ROOT


def test_ask_json(seed_index, capsys):
    code = main(["ask", "--index", str(seed_index), "--corpus", str(ROOT / "seeds"), "--reader", "sentence",
                 "--json", "Siapa Gubernur Ibu Kota Astana?"])
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert data["found"] and data["citations"][0]["outlet"] == "ANDALPOST.COM"
    assert {"text", "score", "language", "found", "citations", "passages"} <= data.keys()


def test_retrieve_text(seed_index, capsys):
    assert main(["retrieve", "--index", str(seed_index), "-k", "2", "Walikota Shenzhen"]) == 0
    out = capsys.readouterr().out
    assert out.count("#") >= 2 and "000_fcfbe484d47b2d48.txt" in out


def test_errors_are_one_line_not_tracebacks(seed_index, tmp_path, capsys):
    assert main(["ask", "--index", str(seed_index), "--reader", "sentence", "   "]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err
    assert main(["index", "--corpus", str(tmp_path / "missing"), "--index", str(tmp_path / "i")]) == 2
    assert "missing" in capsys.readouterr().err


def test_missing_question_adapter_is_one_clear_line(seed_index, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QA_QUERY_ADAPTER", str(tmp_path / "gone.safetensors"))
    assert main(["retrieve", "--index", str(seed_index), "Who is the mayor of Shenzhen?"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: No question adapter") and "QA_QUERY_ADAPTER=none" in err and "Traceback" not in err


def test_console_script_index_is_up_to_date(seed_index):
    proc = subprocess.run([sys.executable, "-m", "qa.cli", "index", "--corpus", str(ROOT / "seeds"),
                           "--index", str(seed_index)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "up to date" in proc.stdout
