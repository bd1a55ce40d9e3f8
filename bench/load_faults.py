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


def cmd_fuzz(args) -> int:
    """Odd questions through ``QA.ask`` (all), the CLI and the HTTP API (samples): no crash, a clear
    message for every refused one."""
    from qa.pipeline import QA, QuestionError

    work = OUT / "fuzz"
    index = seed_index(work)
    questions = odd_questions(args.questions)
    qa = QA.load(corpus=ROOT / "seeds", index_dir=index, reader="sentence" if args.fast else None, progress=False)
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
    ask_s = time.perf_counter() - t0
    rng = random.Random(5)
    cli_sample = rng.sample(questions, min(args.cli, len(questions)))
    cli = {"runs": len(cli_sample), "tracebacks": 0, "exit_codes": {}}
    for q in cli_sample:
        done = subprocess.run([PY, "-m", "qa.cli", "ask", q.replace("\x00", ""), "--index", str(index),
                               "--reader", "sentence"], cwd=ROOT, capture_output=True, text=True, timeout=300)
        cli["exit_codes"][str(done.returncode)] = cli["exit_codes"].get(str(done.returncode), 0) + 1
        cli["tracebacks"] += "Traceback" in done.stderr
    server = Server(index)
    http = {"runs": 0, "answered": 0, "refused_with_message": 0, "other": 0}
    try:
        for q in rng.sample(questions, min(args.http, len(questions))):
            outcome, detail = ask_http(server.url, q)
            http["runs"] += 1
            if outcome == "ok":
                http["answered"] += 1
            elif outcome == "error" and detail.strip() not in ("", "null"):
                http["refused_with_message"] += 1
            else:
                http["other"] += 1
    finally:
        server.stop()
    report = {"questions": len(questions), "qa_ask": counts, "qa_ask_seconds": round(ask_s, 1),
              "refusal_messages": sorted(messages)[:10], "crashes": crashes[:10], "cli": cli, "http": http}
    write_report(OUT / "fuzz.json", report)
    print(json.dumps({k: v for k, v in report.items() if k != "refusal_messages"}, indent=1))
    return 0 if counts["crashed"] == 0 and cli["tracebacks"] == 0 and http["other"] == 0 else 1


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
    f.add_argument("--cli", type=int, default=100, help="how many of them also through the CLI")
    f.add_argument("--http", type=int, default=1000, help="how many of them also through HTTP")
    f.add_argument("--fast", action="store_true", help="the sentence reader for QA.ask (no model)")
    f.set_defaults(fn=cmd_fuzz)
    o = sub.add_parser("odd-files", help="odd article files through qa index")
    o.add_argument("--files", type=int, default=1000)
    o.set_defaults(fn=cmd_odd_files)
    d = sub.add_parser("full-disk", help="qa index into a tmpfs that fills up (root)")
    d.add_argument("--size-kb", type=int, default=1024)
    d.add_argument("--articles", type=int, default=400)
    d.set_defaults(fn=cmd_full_disk)
