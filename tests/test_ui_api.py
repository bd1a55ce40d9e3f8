"""The JSON API of the running chat (``/ask``) through gradio_client, and the app's serving options."""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import app as app_module  # noqa: E402
from ui import testing as T  # noqa: E402

FIELDS = {"question", "answer", "found", "score", "language", "english", "message", "reader", "latency_ms",
          "citations", "passages"}
CITATION_FIELDS = {"doc_id", "chunk_id", "outlet", "date", "title", "sentence", "sentence_start",
                   "sentence_end", "answer_start", "answer_end"}


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    return T.shared_app(tmp_path_factory.mktemp("ui-index"))


@pytest.fixture(scope="module")
def client(running):
    from gradio_client import Client

    return Client(running.url, verbose=False)


def check_answer(data: dict, qa, k: int) -> None:
    """Fields present, offsets consistent with the indexed article text."""
    assert FIELDS <= set(data)
    assert isinstance(data["score"], float) and isinstance(data["found"], bool)
    assert data["language"] in ("id", "en")
    assert len(data["passages"]) == k
    assert [p["rank"] for p in data["passages"]] == list(range(1, k + 1))
    for p in data["passages"]:
        assert {"doc_id", "score", "rank", "start", "end", "text"} <= set(p)
        doc = qa.document(p["doc_id"])
        assert doc["text"][p["start"]:p["end"]] == p["text"]
    if not data["found"]:
        assert data["answer"] == "" and data["citations"] == []
        return
    c = data["citations"][0]
    assert CITATION_FIELDS <= set(c)
    text = qa.document(c["doc_id"])["text"]
    assert text[c["sentence_start"]:c["sentence_end"]] == c["sentence"]
    assert text[c["answer_start"]:c["answer_end"]] == data["answer"]
    assert c["sentence_start"] <= c["answer_start"] < c["answer_end"] <= c["sentence_end"]


def test_ask_indonesian(client, running):
    data = client.predict(T.ID_QUESTION, api_name="/ask")
    check_answer(data, running.qa, k=running.qa.settings.top_k)
    assert data["found"] and data["language"] == "id"
    assert T.ID_EXPECTED in data["answer"]
    assert data["citations"][0]["outlet"] == T.ID_OUTLET
    assert data["english"] is None
    assert data["reader"] == T.READER


def test_ask_english_with_k_and_mode(client, running):
    data = client.predict(T.EN_QUESTION, 3, "dense", api_name="/ask")
    check_answer(data, running.qa, k=3)
    assert data["found"] and data["language"] == "en"
    assert T.EN_EXPECTED in data["answer"]
    assert data["citations"][0]["outlet"] == T.EN_OUTLET
    assert data["english"] is None or "September 2024" in data["english"]
    data = client.predict(question=T.EN_QUESTION, k=2, mode="bm25", api_name="/ask")
    check_answer(data, running.qa, k=2)


def test_ask_not_found(client, running):
    data = client.predict(T.UNANSWERABLE_EN, api_name="/ask")
    check_answer(data, running.qa, k=running.qa.settings.top_k)
    assert data["found"] is False and data["message"] == T.NOT_FOUND_EN


def test_bad_requests_are_clear_errors(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="empty"):
        client.predict("   ", api_name="/ask")
    with pytest.raises(AppError, match="only punctuation"):
        client.predict("?!?", api_name="/ask")
    with pytest.raises(AppError, match="too long"):
        client.predict("kata " * 1000, api_name="/ask")
    with pytest.raises(AppError, match="Unknown mode"):
        client.predict(T.ID_QUESTION, 5, "magic", api_name="/ask")
    with pytest.raises(AppError, match="between 1 and 100"):
        client.predict(T.ID_QUESTION, 0, "hybrid", api_name="/ask")


def test_several_users_at_once_get_their_own_answers(running):
    from gradio_client import Client

    questions = [T.ID_QUESTION, T.EN_QUESTION, T.UNANSWERABLE_EN, T.ID_QUESTION]
    clients = [Client(running.url, verbose=False) for _ in questions]
    with ThreadPoolExecutor(len(questions)) as pool:
        results = list(pool.map(lambda cq: cq[0].predict(cq[1], api_name="/ask"), zip(clients, questions)))
    assert [r["question"] for r in results] == questions
    assert T.ID_EXPECTED in results[0]["answer"] and T.EN_EXPECTED in results[1]["answer"]
    assert results[2]["found"] is False and results[3]["answer"] == results[0]["answer"]


def test_api_lists_only_ask(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/ask"}
    names = [p["parameter_name"] for p in endpoints["/ask"]["parameters"]]
    assert names == ["question", "k", "mode"]


def test_auth_protects_the_page(running):
    from gradio_client import Client

    secured = T.start_app(running.qa.settings.index_dir, qa=running.qa, auth=("ana", "rahasia"))
    try:
        data = Client(secured.url, auth=("ana", "rahasia"), verbose=False).predict(T.ID_QUESTION,
                                                                                  api_name="/ask")
        assert T.ID_EXPECTED in data["answer"]
        with pytest.raises(Exception):
            Client(secured.url, verbose=False).predict(T.ID_QUESTION, api_name="/ask")
    finally:
        secured.close()


# ---------------------------------------------------------------------------- app.py options
def test_public_host_requires_auth(capsys, monkeypatch):
    monkeypatch.delenv("QA_AUTH", raising=False)
    assert app_module.main(["--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "--auth USER:PASSWORD" in err and "QA_AUTH" in err


def test_bad_auth_and_port_values(capsys, monkeypatch):
    monkeypatch.delenv("QA_AUTH", raising=False)
    assert app_module.main(["--host", "0.0.0.0", "--auth", "nopassword"]) == 2
    assert "USER:PASSWORD" in capsys.readouterr().err
    monkeypatch.setenv("QA_PORT", "abc")
    assert app_module.main([]) == 2
    assert "QA_PORT" in capsys.readouterr().err
    assert app_module.main(["--port", "70000"]) == 2
    assert app_module.parse_auth("u:p:q") == ("u", "p:q")
    assert app_module.parse_auth(None) is None


def test_missing_corpus_is_a_clear_error(capsys, tmp_path):
    assert app_module.main(["--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "idx")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_full_queue_refuses_at_once_with_a_busy_message(running):
    """More questions than QA_QUEUE_SIZE waiting: the extra ones get HTTP 503 'Queue is full' at
    once (gradio_client: 'Queue is full! Please try again.'), the others are answered, none fails."""
    import json
    import threading
    import time
    import urllib.error
    import urllib.request

    from qa import QA

    qa = QA.load(index_dir=running.qa.settings.index_dir, reader="sentence", progress=False)
    qa.settings = qa.settings.model_copy(update={"queue_size": 2})
    read = qa.reader.read
    qa.reader.read = lambda *a, **k: (time.sleep(0.6), read(*a, **k))[1]  # slow answers fill the queue
    small = T.start_app(qa.settings.index_dir, qa=qa)
    outcomes, lock = [], threading.Lock()

    def one() -> None:
        body = json.dumps({"data": [T.ID_QUESTION, 5, "hybrid"]}).encode()
        request = urllib.request.Request(small.url + "gradio_api/call/ask", data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            event = json.loads(urllib.request.urlopen(request, timeout=60).read())["event_id"]
            text = urllib.request.urlopen(f"{small.url}gradio_api/call/ask/{event}", timeout=60).read().decode()
            result = "answered" if "event: complete" in text else "failed: " + text[-200:]
        except urllib.error.HTTPError as exc:
            result = f"{exc.code} {exc.read().decode()[:120]}"
        with lock:
            outcomes.append(result)

    try:
        threads = [threading.Thread(target=one) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        small.close()
    busy = [o for o in outcomes if o.startswith("503")]
    assert len(outcomes) == 10 and busy and "answered" in outcomes
    assert all("Queue is full" in o for o in busy)
    assert all(o == "answered" or o in busy for o in outcomes)
