"""The fault and bad-input commands of ``bench/load.py``: SIGKILL during indexing and answering,
fuzzed questions through QA.ask / the CLI / HTTP, and odd article files through ``qa index``."""
from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from load import OUT, PY, QUESTIONS, ROOT, Server, ask_http, seed_index
from timing import write_report


# ----------------------------------------------------------------------------- corpora
def big_corpus(folder: Path, n: int, seed: int = 3) -> Path:
    """``n`` synthetic articles made of shuffled seed sentences (enough work for a kill to land)."""
    from qa.ingest import read_corpus
    from qa.sentences import split_sentences

    if folder.exists() and len(list(folder.glob("*.txt"))) == n:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    docs, _ = read_corpus(ROOT / "seeds")
    sentences = [doc.text[s:e] for doc in docs for s, e in split_sentences(doc.text)]
    rng = random.Random(seed)
    for i in range(n):
        body = " ".join(rng.sample(sentences, 12))
        (folder / f"art{i:05d}.txt").write_text(f"Berita {i}\n\n{body}\n", encoding="utf-8")
    return folder


def qa_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "qa.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def opens_and_answers(index: Path, corpus: Path) -> tuple[bool, str]:
    """Whether the index opens and answers a question after a crash (one line of why not)."""
    done = qa_cli("ask", QUESTIONS[0], "--index", str(index), "--corpus", str(corpus), "--reader", "sentence")
    line = (done.stdout or done.stderr).strip().splitlines()
    return done.returncode == 0, (line[0] if line else "")[:160]


# ----------------------------------------------------------------------------- commands
def cmd_kill_index(args) -> int:
    """SIGKILL ``qa index`` at a random moment of an update of a 1,000+ article corpus, ``runs`` times;
    after each, the previous index must open and answer."""
    work = OUT / "kill-index"
    corpus = big_corpus(work / "corpus", args.articles)
    index = work / "index"
    if not (index / "manifest.json").exists():
        qa_cli("index", "--corpus", str(corpus), "--index", str(index), timeout=3600).check_returncode()
    rng = random.Random(args.seed)
    rows = []
    for run in range(args.runs):
        changed = corpus / f"art{rng.randrange(args.articles):05d}.txt"  # an update that embeds something
        changed.write_text(changed.read_text(encoding="utf-8") + f"\nTambahan {run}.\n", encoding="utf-8")
        command = [PY, "-m", "qa.cli", "index", "--corpus", str(corpus), "--index", str(index)]
        proc = subprocess.Popen(command + (["--rebuild"] if run % 2 else []),  # odd runs re-embed everything
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # an update of one article takes ~10 s on 2 cores, a rebuild of all of them ~60 s: kill inside either
        delay = rng.uniform(1.0, args.max_delay if run % 2 else min(args.max_delay, 8.0))
        time.sleep(delay)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        ok, detail = opens_and_answers(index, corpus)
        rows.append({"run": run, "delay_s": round(delay, 1), "killed": killed, "opens_and_answers": ok,
                     "detail": detail})
        print(json.dumps(rows[-1]), flush=True)
    good = sum(r["opens_and_answers"] for r in rows)
    report = {"articles": args.articles, "runs": rows, "killed": sum(r["killed"] for r in rows),
              "opens_and_answers": f"{good}/{len(rows)}"}
    write_report(OUT / "kill-index.json", report)
    print(f"killed during indexing {report['killed']} of {len(rows)} runs; index opened and answered "
          f"{report['opens_and_answers']}")
    return 0 if good == len(rows) else 1


def cmd_kill_ask(args) -> int:
    """SIGKILL the chat while questions are being answered, then restart it: it must open and answer."""
    work = OUT / "kill-ask"
    index = seed_index(work)
    rows = []
    for run in range(args.runs):
        server = Server(index)
        stop = threading.Event()

        def asker(url: str = server.url) -> None:
            for question in QUESTIONS:
                if stop.is_set():
                    return
                ask_http(url, question)

        threads = [threading.Thread(target=asker, daemon=True) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(random.Random(run).uniform(0.5, 3.0))
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
        stop.set()
        server.log.close()
        again = Server(index)
        outcome, detail = ask_http(again.url, QUESTIONS[0])
        again.stop()
        rows.append({"run": run, "after_restart": outcome, "answer": detail})
        print(json.dumps(rows[-1]), flush=True)
    good = sum(r["after_restart"] == "ok" for r in rows)
    write_report(OUT / "kill-ask.json", {"runs": rows, "answered_after_restart": f"{good}/{len(rows)}"})
    print(f"answered after restart: {good}/{len(rows)}")
    return 0 if good == len(rows) else 1


def odd_questions(n: int, seed: int = 4) -> list[str]:
    """``n`` generated bad or strange questions (empty, control characters, 100k characters, mixed
    scripts, emoji, right-to-left text, HTML/JS, SQL-looking text, only numbers, …)."""
    rng = random.Random(seed)
    pieces = ["", " ", "\t\n", "\x00\x01\x02", "\u202e\u200f", "🤖🔥" * 5, "مرحبا بالعالم", "שלום", "你好世界",
              "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "'; DROP TABLE chunks; --",
              "1 OR 1=1", "1234567890", "Siapa", "Who", "?", "%s%s%n", "../../etc/passwd", "\ud800".encode(
                  "utf-8", "surrogatepass").decode("utf-8", "replace"), "Ｓｉａｐａ", "a" * 5000]
    out = ["", " ", "x" * 100_000, "\x00" * 10]
    while len(out) < n:
        out.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))) + rng.choice(["", "?", " Shenzhen?"]))
    return out[:n]


def _tally(counts: dict, key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def fuzz_ask(questions: list[str], index: Path, reader: str) -> dict:
    """Every question through ``QA.ask`` in this process."""
    from qa.pipeline import QA, QuestionError

    qa = QA.load(corpus=ROOT / "seeds", index_dir=index, reader=reader, progress=False)
    counts = {"answered": 0, "refused": 0, "crashed": 0}
    crashes, messages = [], set()
    t0 = time.perf_counter()
    for q in questions:
        try:
            qa.ask(q)
            counts["answered"] += 1
        except QuestionError as exc:
            counts["refused"] += 1
            messages.add(str(exc)[:100])
        except Exception as exc:  # noqa: BLE001 - a crash is what this looks for
            counts["crashed"] += 1
            crashes.append(f"{q[:40]!r}: {exc!r}"[:200])
    return {"reader": reader, "runs": len(questions), **counts, "seconds": round(time.perf_counter() - t0, 1),
            "refusal_messages": sorted(messages)[:10], "crashes": crashes[:10]}


def fuzz_cli_batch(questions: list[str], index: Path, reader: str, work: Path) -> dict:
    """Every question through one ``qa ask --questions FILE.jsonl`` run (JSON carries NUL and newlines)."""
    source, answers = work / "questions.jsonl", work / "answers.jsonl"
    source.write_text("".join(json.dumps({"id": i, "question": q}) + "\n" for i, q in enumerate(questions)),
                      encoding="utf-8")
    t0 = time.perf_counter()
    done = subprocess.run([PY, "-m", "qa.cli", "ask", "--questions", str(source), "--out", str(answers),
                           "--index", str(index), "--reader", reader], cwd=ROOT, capture_output=True, text=True,
                          timeout=6 * 3600)
    rows = [json.loads(line) for line in answers.read_text(encoding="utf-8").splitlines()] if answers.exists() else []
    refused = [r for r in rows if "error" in r]
    return {"reader": reader, "runs": len(questions), "exit_code": done.returncode,
            "tracebacks": int("Traceback" in done.stderr), "records": len(rows),
            "in_order": [r["id"] for r in rows] == list(range(len(questions))),
            "answered": sum(bool(r.get("found")) for r in rows), "not_found": sum(r.get("found") is False for r in rows),
            "refused_with_message": sum(bool(r["error"].strip()) for r in refused),
            "seconds": round(time.perf_counter() - t0, 1), "summary": done.stderr.strip().splitlines()[-1:]}


def fuzz_cli_argv(questions: list[str], index: Path, reader: str) -> dict:
    """Each question as the argument of its own ``qa ask`` process (argv cannot carry NUL: dropped)."""
    cli = {"reader": reader, "runs": len(questions), "tracebacks": 0, "exit_codes": {}}
    for q in questions:
        done = subprocess.run([PY, "-m", "qa.cli", "ask", q.replace("\x00", ""), "--index", str(index),
                               "--reader", reader], cwd=ROOT, capture_output=True, text=True, timeout=300)
        _tally(cli["exit_codes"], str(done.returncode))
        cli["tracebacks"] += "Traceback" in done.stderr
    return cli


def fuzz_http(questions: list[str], index: Path, reader: str) -> dict:
    """Each question over raw HTTP to the running chat (``/gradio_api/call/ask``)."""
    http = {"reader": reader, "runs": 0, "answered": 0, "refused_with_message": 0, "other": 0, "others": []}
    server = Server(index, env={"QA_READER": reader})
    t0 = time.perf_counter()
    try:
        for q in questions:
            outcome, detail = ask_http(server.url, q)
            http["runs"] += 1
            if outcome == "ok":
                http["answered"] += 1
            elif outcome == "error" and detail.strip() not in ("", "null"):
                http["refused_with_message"] += 1
            else:
                http["other"] += 1
                http["others"].append(f"{q[:40]!r}: {outcome} {detail}"[:200])
    finally:
        server.stop()
    http["others"] = http["others"][:10]
    http["seconds"] = round(time.perf_counter() - t0, 1)
    return http


def cmd_fuzz(args) -> int:
    """Odd questions through ``QA.ask``, the CLI (one batch run, and a process per question) and the
    HTTP API: no crash, a clear message for every refused one."""
    work = OUT / args.name
    work.mkdir(parents=True, exist_ok=True)
    index = seed_index(work)
    questions = odd_questions(args.questions)
    rng = random.Random(5)
    report = {"questions": len(questions)}
    report["qa_ask"] = fuzz_ask(questions, index, args.ask_reader)
    print("QA.ask:", json.dumps(report["qa_ask"])[:300], flush=True)
    write_report(OUT / f"{args.name}.json", report)  # after every stage: a long run keeps what it measured
    if args.cli_batch:
        report["cli_batch"] = fuzz_cli_batch(questions[:args.cli_batch], index, args.cli_reader, work)
        print("CLI batch:", json.dumps(report["cli_batch"]), flush=True)
        write_report(OUT / f"{args.name}.json", report)
    if args.http:
        sample = questions if args.http >= len(questions) else rng.sample(questions, args.http)
        report["http"] = fuzz_http(sample, index, args.http_reader)
        print("HTTP:", json.dumps(report["http"])[:300], flush=True)
        write_report(OUT / f"{args.name}.json", report)
    if args.cli:
        report["cli"] = fuzz_cli_argv(rng.sample(questions, min(args.cli, len(questions))), index, args.cli_reader)
        print("CLI argv:", json.dumps(report["cli"]), flush=True)
        write_report(OUT / f"{args.name}.json", report)
    batch, http = report.get("cli_batch", {}), report.get("http", {})
    ok = (report["qa_ask"]["crashed"] == 0 and report.get("cli", {}).get("tracebacks", 0) == 0
          and (not batch or (batch["exit_code"] == 0 and not batch["tracebacks"] and batch["in_order"]
                             and batch["records"] == batch["runs"]))
          and http.get("other", 0) == 0)
    return 0 if ok else 1


def odd_files(folder: Path, n: int, seed: int = 6) -> Path:
    """``n`` odd article files: empty, binary, wrong encodings, huge lines, hostile HTML, JSON lines
    with missing fields, symlinks (inside and outside), the same content under two names."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    good = (ROOT / "seeds").glob("*.txt").__next__().read_text(encoding="utf-8")
    outside = folder.parent / "outside-secret.txt"
    outside.write_text("SECRET outside the corpus folder\n")
    makers = [
        lambda i: (f"empty{i}.txt", b""),
        lambda i: (f"binary{i}.txt", bytes(rng.randrange(256) for _ in range(2000))),
        lambda i: (f"latin1_{i}.txt", ("Berita café naïve " * 40).encode("latin-1")),
        lambda i: (f"utf16_{i}.txt", ("Berita dalam UTF-16. " * 40).encode("utf-16")),
        lambda i: (f"hugeline{i}.md", ("kata " * 20_000).encode()),  # a 100 KB line, no sentence end
        lambda i: (f"hostile{i}.html", (f"<html><head><title>Judul {i}<script>alert(1)</script></title></head>"
                                        "<body><iframe src='https://evil.example'></iframe><p onclick='alert(2)'>"
                                        + good[:1500] + "</p><script>document.write('x')</script></body></html>").encode()),
        lambda i: (f"fields{i}.jsonl", b'{"title": "no text"}\n{"text": 5}\nnot json\n{"text": "' +
                   good[:300].replace('"', "'").replace("\n", " ").encode() + b'"}\n'),
        lambda i: (f"broken{i}.json", b'{"text": "unterminated'),
        lambda i: (f"dup{i}_a.txt", good.encode()),
    ]
    for i in range(n):
        name, data = makers[i % len(makers)](i)
        (folder / name).write_bytes(data)
    (folder / "link_inside.txt").symlink_to(folder / "dup8_a.txt")
    (folder / "link_outside.txt").symlink_to(outside)
    (folder / "dup_copy.txt").write_text(good, encoding="utf-8")
    return folder


def cmd_odd_files(args) -> int:
    """Odd files through ``qa index``: the build finishes, every skipped file is named with a reason,
    nothing outside the folder is read, and no markup from them survives into the stored text."""
    work = OUT / "odd-files"
    corpus = odd_files(work / "corpus", args.files)
    index = work / "index"
    shutil.rmtree(index, ignore_errors=True)
    t0 = time.perf_counter()
    done = qa_cli("index", "--corpus", str(corpus), "--index", str(index), timeout=3600)
    seconds = time.perf_counter() - t0
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    from qa.index import Index

    idx = Index.open(index)
    texts = [idx.document(d["doc_id"])["text"] for d in idx.documents()]
    report = {"files": len(list(corpus.iterdir())), "exit_code": done.returncode, "seconds": round(seconds, 1),
              "traceback": "Traceback" in done.stderr, "indexed_documents": len(texts), "warnings": len(warnings),
              "warning_samples": warnings[:8],
              "outside_file_read": any("SECRET outside" in t for t in texts),
              "markup_left": sum(("<script" in t or "<iframe" in t or "onclick=" in t) for t in texts)}
    write_report(OUT / "odd-files.json", report)
    print(json.dumps(report, indent=1))
    return 0 if done.returncode == 0 and not report["traceback"] and not report["outside_file_read"] \
        and report["markup_left"] == 0 else 1


def cmd_full_disk(args) -> int:
    """A small tmpfs as the index folder: the seed index fits, a bigger corpus's build does not.
    ``qa index`` must fail with one clear line, and the previous index must still answer. Needs root
    (``mount -t tmpfs``); without it the command says so and exits 2."""
    work = OUT / "full-disk"
    mount = work / "small"
    mount.mkdir(parents=True, exist_ok=True)
    subprocess.run(["umount", str(mount)], capture_output=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size_kb}k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(f"cannot mount a tmpfs at {mount} ({done.stderr.strip()}); run as root")
        return 2
    try:
        index = mount / "index"
        shutil.copytree(seed_index(work), index)
        corpus = big_corpus(work / "corpus", args.articles)
        run = qa_cli("index", "--corpus", str(corpus), "--index", str(index), timeout=3600)
        errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
        ok, detail = opens_and_answers(index, ROOT / "seeds")
        leftovers = [p.name for p in index.iterdir() if p.name.startswith(".tmp-build")]
        report = {"tmpfs_kb": args.size_kb, "articles": args.articles, "exit_code": run.returncode,
                  "traceback": "Traceback" in run.stderr, "error_lines": errors[:3],
                  "old_index_answers": ok, "answer": detail, "half_builds_left": leftovers}
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)
    write_report(OUT / "full-disk.json", report)
    print(json.dumps(report, indent=1))
    return 0 if run.returncode == 2 and len(errors) == 1 and ok and not leftovers and not report["traceback"] else 1


def add_fault_commands(sub) -> None:
    """Register the fault and bad-input subcommands on ``bench/load.py``'s parser."""
    k = sub.add_parser("kill-index", help="SIGKILL during qa index, then open and answer")
    k.add_argument("--runs", type=int, default=20)
    k.add_argument("--articles", type=int, default=1200)
    k.add_argument("--max-delay", type=float, default=40.0, help="latest kill of a rebuild, seconds after the start")
    k.add_argument("--seed", type=int, default=7)
    k.set_defaults(fn=cmd_kill_index)
    a = sub.add_parser("kill-ask", help="SIGKILL the chat while answering, then restart")
    a.add_argument("--runs", type=int, default=20)
    a.set_defaults(fn=cmd_kill_ask)
    f = sub.add_parser("fuzz", help="odd questions through QA.ask, the CLI and HTTP")
    f.add_argument("--questions", type=int, default=10_000)
    f.add_argument("--cli-batch", type=int, default=10_000,
                   help="how many of them through one `qa ask --questions FILE` run (0: none)")
    f.add_argument("--cli", type=int, default=100, help="how many of them as the argument of their own `qa ask`")
    f.add_argument("--http", type=int, default=10_000, help="how many of them through HTTP (0: none)")
    f.add_argument("--name", default="fuzz", help="report name: bench/out/load/NAME.json")
    for face, default in (("ask", "neural"), ("cli", "sentence"), ("http", "neural")):
        f.add_argument(f"--{face}-reader", default=default, choices=("neural", "sentence"),
                       help=f"reader behind the {face} path (default {default})")
    f.set_defaults(fn=cmd_fuzz)
    o = sub.add_parser("odd-files", help="odd article files through qa index")
    o.add_argument("--files", type=int, default=1000)
    o.set_defaults(fn=cmd_odd_files)
    d = sub.add_parser("full-disk", help="qa index into a tmpfs that fills up (root)")
    d.add_argument("--size-kb", type=int, default=1024)
    d.add_argument("--articles", type=int, default=400)
    d.set_defaults(fn=cmd_full_disk)
