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


def test_ask_a_file_of_questions_one_json_answer_a_line(seed_index, tmp_path, capsys):
    questions = tmp_path / "questions.txt"
    questions.write_bytes("Siapa Gubernur Ibu Kota Astana?\n   \n\x00\x01<script>alert(1)</script>\n".encode()
                          + b"\xff\xfe broken\n" + "Who is the mayor of Shenzhen?\n".encode())
    out = tmp_path / "answers.jsonl"
    code = main(["ask", "--index", str(seed_index), "--corpus", str(ROOT / "seeds"), "--reader", "sentence",
                 "--questions", str(questions), "--out", str(out)])
    assert code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5]  # one record per line, in order
    assert rows[0]["found"] and rows[0]["citations"][0]["outlet"] == "ANDALPOST.COM" and "passages" not in rows[0]
    assert "empty" in rows[1]["error"]
    assert "error" not in rows[2]  # control characters are cleaned, the rest is asked
    assert "not UTF-8" in rows[3]["error"] and rows[3]["question"] is None
    assert rows[4]["language"] == "en"
    err = capsys.readouterr().err
    assert "5 questions" in err and "2 could not be asked" in err


def test_ask_jsonl_questions_keep_ids_and_report_bad_records(seed_index, tmp_path, capsys):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "a1", "question": "Siapa Gubernur Ibu Kota Astana?"}\n{not json\n'
                         '{"id": 7}\n\n["a list"]\n{"id": 8, "question": "Who is the mayor of Shenzhen?"}\n', encoding="utf-8")
    assert main(["ask", "--index", str(seed_index), "--reader", "sentence", "--questions", str(questions)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["id"] == "a1" and rows[0]["found"]
    assert "not JSON" in rows[1]["error"] and rows[1]["line"] == 2
    assert "no 'question'" in rows[2]["error"] and rows[2]["line"] == 3
    assert "no 'question'" in rows[3]["error"] and rows[3]["line"] == 5  # the blank line 4 is skipped
    assert rows[4]["id"] == 8 and rows[4]["language"] == "en"  # a numeric id stays a number


def test_ask_needs_one_question_or_a_file(seed_index, tmp_path, capsys):
    assert main(["ask", "--index", str(seed_index), "--reader", "sentence"]) == 2
    assert "Give one question" in capsys.readouterr().err
    assert main(["ask", "--index", str(seed_index), "--questions", str(tmp_path / "none.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Question file") and "does not exist" in err
    assert main(["ask", "--index", str(seed_index), "--out", str(tmp_path / "o.jsonl"), "Siapa?"]) == 2
    assert "--out is for --questions" in capsys.readouterr().err
