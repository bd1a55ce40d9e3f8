"""The on-disk index: build, incremental update, atomicity, clear errors."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from qa.index import Index, IndexCorrupt, IndexMismatch, IndexNotFound, Manifest, build_index
from qa.ingest import read_corpus
from tests.conftest import ROOT


def _corpus(tmp_path, n_copies=1):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for i in range(n_copies):
            name = path.name if n_copies == 1 else f"{i:03d}_{path.name}"
            shutil.copy(path, corpus / name)
    return corpus


def test_manifest_and_store(seed_index, embedder):
    m = Manifest.read(seed_index)
    assert m.n_documents == 5 and m.n_chunks > 5
    assert m.model_id == embedder.model_id and m.dimension == 384
    assert m.faiss_kind == "flat" and m.chunk_tokens == 200
    index = Index.open(seed_index, model_id=embedder.model_id)
    chunks = index.all_chunks()
    assert len(chunks) == m.n_chunks == index.faiss.ntotal
    for chunk in chunks:  # offsets point into the cleaned document text
        doc = index.document(chunk.doc_id)
        assert doc["text"][chunk.start:chunk.end] == chunk.text
        for s, e in chunk.sentences:
            assert chunk.start <= s < e <= chunk.end
    assert (seed_index / m.build_dir / "store.sqlite").exists()


def test_dense_search_finds_own_chunk(seed_index, embedder):
    index = Index.open(seed_index)
    chunk = index.all_chunks()[3]
    vec = index.vectors([3])[0]
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-3
    assert index.search_dense(vec, 1)[0][0] == 3
    assert chunk.text


def test_incremental_update(tmp_path, embedder):
    corpus = _corpus(tmp_path)
    index_dir = tmp_path / "index"
    docs, _ = read_corpus(corpus)
    first = build_index(index_dir, docs, embedder, progress=False)
    assert first.embedded_documents == 5

    again = build_index(index_dir, docs, embedder, progress=False)
    assert again.unchanged and again.manifest.build_dir == first.manifest.build_dir

    changed = sorted(corpus.glob("*.txt"))
    changed[0].write_text(changed[0].read_text(encoding="utf-8") + "\n\nParagraf tambahan tentang IKN.\n",
                          encoding="utf-8")
    changed[1].unlink()
    (corpus / "new.md").write_text("# Judul Baru\n\nWalikota Makassar meresmikan taman kota.\n", encoding="utf-8")
    docs, _ = read_corpus(corpus)
    report = build_index(index_dir, docs, embedder, progress=False)
    assert (report.embedded_documents, report.reused_documents, report.removed_documents) == (2, 3, 1)
    index = Index.open(index_dir)
    ids = {d["doc_id"] for d in index.documents()}
    assert "new.md" in ids and changed[1].name not in ids
    builds = [p for p in index_dir.iterdir() if p.is_dir()]
    assert len(builds) == 1  # stale builds are removed


def test_chunk_languages_are_stored_and_old_builds_still_open(tmp_path, embedder, caplog):
    """Each chunk row records its article's language; a store without that table opens with None."""
    import sqlite3

    corpus = _corpus(tmp_path)
    (corpus / "english.md").write_text(
        "# Mayor opens park\n\nThe mayor of Makassar opened a new city park on Saturday, and said that "
        "the city would build three more of them before the end of the year.\n", encoding="utf-8")
    docs, _ = read_corpus(corpus)
    assert {d.doc_id: d.language for d in docs}["english.md"] == "en"
    assert sum(d.language == "id" for d in docs) == 5
    index_dir = tmp_path / "index"
    build_index(index_dir, docs, embedder, progress=False)
    index = Index.open(index_dir)
    by_doc = index.rows_of_documents()
    assert len(index.languages) == len(index)
    assert {index.languages[r] for r in by_doc["english.md"]} == {"en"}
    assert {index.languages[r] for d, rows in by_doc.items() if d != "english.md" for r in rows} == {"id"}
    store = index_dir / index.manifest.build_dir / "store.sqlite"
    con = sqlite3.connect(store)
    con.execute("DROP TABLE chunk_languages")
    con.commit()
    con.close()
    old = Index.open(index_dir)
    assert old.languages is None and "qa index --index" in caplog.text
    assert old.search_dense(old.vectors([0])[0], 1)[0][0] == 0
    report = build_index(index_dir, docs, embedder, progress=False)  # adds the languages, reuses every vector
    assert not report.unchanged and report.embedded_documents == 0 and report.reused_documents == len(docs)
    assert len(Index.open(index_dir).languages) == len(index)


def test_hnsw_above_threshold(tmp_path, embedder):
    docs, _ = read_corpus(_corpus(tmp_path))
    report = build_index(tmp_path / "idx", docs, embedder, hnsw_threshold=5, progress=False)
    assert report.manifest.faiss_kind == "hnsw"
    index = Index.open(tmp_path / "idx")
    assert index.search_dense(index.vectors([2])[0], 1)[0][0] == 2
    from qa.index import HNSW_EF_SEARCH

    assert index.faiss.hnsw.efSearch == HNSW_EF_SEARCH  # the search breadth chosen by bench/latency.py


def test_missing_corrupt_and_mismatched_index(tmp_path, seed_index):
    with pytest.raises(IndexNotFound, match="qa index"):
        Index.open(tmp_path / "nothing")
    with pytest.raises(IndexMismatch, match="embedding model"):
        Index.open(seed_index, model_id="some/other-model")
    broken = tmp_path / "broken"
    shutil.copytree(seed_index, broken)
    m = Manifest.read(broken)
    (broken / m.build_dir / "vectors.faiss").unlink()
    with pytest.raises(IndexCorrupt, match="--rebuild"):
        Index.open(broken)
    (broken / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorrupt, match="--rebuild"):
        Index.open(broken)
    data = json.loads((seed_index / "manifest.json").read_text())
    data["format_version"] = 99
    (broken / "manifest.json").write_text(json.dumps(data))
    with pytest.raises(IndexMismatch, match="format version"):
        Index.open(broken)


def test_killed_build_leaves_previous_index_usable(tmp_path, seed_index):
    """kill -9 in the middle of a rebuild: the previous build stays current and readable."""
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    before = Manifest.read(index_dir)
    corpus = _corpus(tmp_path, n_copies=12)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "qa.cli", "index", "--corpus", str(corpus),
                             "--index", str(index_dir), "--rebuild"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    seen = b""
    deadline = time.time() + 120
    while b"Embedding" not in seen and time.time() < deadline and proc.poll() is None:
        seen += proc.stdout.read1(4096)
    assert b"Embedding" in seen, seen[-2000:]
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    after = Manifest.read(index_dir)
    assert after.build_dir == before.build_dir
    index = Index.open(index_dir)
    assert len(index.all_chunks()) == before.n_chunks


@pytest.mark.parametrize("part", ["vectors.faiss", "store.sqlite", "bm25/params.index.json", "bm25"])
def test_a_corrupt_file_gets_one_line_naming_it_and_the_fix(tmp_path, seed_index, part):
    """Garbage in (or loss of) any file of a build: IndexCorrupt, one line, the file's path and the command."""
    broken = tmp_path / "broken"
    shutil.copytree(seed_index, broken)
    build = broken / Manifest.read(broken).build_dir
    target = build / part
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.write_bytes(b"\x00garbage, not what was written\n" * 10)
    else:
        files = sorted(p for p in (build / "bm25").iterdir() if p.is_file())
        target = files[0]
        target.write_bytes(b"\x00garbage")
    with pytest.raises(IndexCorrupt) as err:
        Index.open(broken)
    message = str(err.value)
    assert "\n" not in message and f"qa index --index {broken} --rebuild" in message
    named = build / ("bm25" if "bm25" in part else part)
    assert str(named) in message


def test_cli_reports_a_corrupt_index_in_one_line(tmp_path, seed_index):
    import subprocess
    import sys

    broken = tmp_path / "broken"
    shutil.copytree(seed_index, broken)
    faiss_file = broken / Manifest.read(broken).build_dir / "vectors.faiss"
    faiss_file.write_bytes(b"not a faiss index")
    done = subprocess.run([sys.executable, "-m", "qa.cli", "ask", "Siapa walikota Shenzhen?", "--index", str(broken),
                           "--reader", "sentence"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and str(faiss_file) in lines[0] and "--rebuild" in lines[0]


def test_a_full_disk_during_a_build_leaves_the_old_index(tmp_path, seed_index, embedder, monkeypatch):
    """The disk fills while the new build is written: a clear error, no half build left, and the
    previous index still opens with its own documents."""
    import sqlite3

    import qa.index as index_module
    from qa.index import IndexWriteError

    index_dir = tmp_path / "idx"
    shutil.copytree(seed_index, index_dir)
    before = Manifest.read(index_dir)
    documents, _ = read_corpus(ROOT / "seeds")

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(index_module, "write_store", full)
    with pytest.raises(IndexWriteError) as err:
        build_index(index_dir, documents[:3], embedder, progress=False)
    message = str(err.value)
    assert "disk is full" in message and "previous index is unchanged" in message and "MB free" in message
    assert sorted(p.name for p in index_dir.iterdir() if p.name.startswith((".tmp-build", "build-"))) == [before.build_dir]
    assert Manifest.read(index_dir).build_dir == before.build_dir
    assert len(Index.open(index_dir).documents()) == before.n_documents
