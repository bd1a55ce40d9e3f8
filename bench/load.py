"""Many users on one chat, faults and bad input, on loopback only (127.0.0.1), bounded in count and time.

    .venv/bin/python bench/load.py users --users 32,64,128 --duration 120    # concurrent users
    .venv/bin/python bench/load.py memory --questions 1000                   # RSS across 1,000 questions
    .venv/bin/python bench/load.py kill-index --runs 20 --articles 1200      # SIGKILL during `qa index`
    .venv/bin/python bench/load.py kill-ask --runs 20                        # SIGKILL while answering
    .venv/bin/python bench/load.py fuzz --questions 10000                    # odd questions: QA.ask, CLI, HTTP
    .venv/bin/python bench/load.py odd-files --files 1000                    # odd article files through `qa index`
    .venv/bin/python bench/load.py full-disk                                 # a tmpfs index folder that fills up

Each writes ``bench/out/load/<command>.json`` and prints a table. The chat runs as a real server
(``app.py``) on a free loopback port over a copy of an index of the seed articles; half the users
talk to it through ``gradio_client`` (which sees its queue position), half through raw HTTP
(``POST /gradio_api/call/ask``, then the event stream).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from timing import ROOT, percentiles, write_report  # noqa: E402  (puts the project on sys.path)

OUT = ROOT / "bench" / "out" / "load"
PY = sys.executable
QUESTIONS = [
    "Siapa Duta Besar Indonesia untuk Kazakhstan?", "Who is Zhenis Kassymbek?",
    "Kapan World Smart City Expo 2024 berlangsung?", "When was the World Smart City Expo 2024 held?",
    "Siapa walikota Shenzhen?", "Where did Qin Weizhong meet Bambang Susantono?",
    "Berapa tahun hubungan bilateral Indonesia dan Kazakhstan?", "What is the capital of France?",
]


# ----------------------------------------------------------------------------- the server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def seed_index(work: Path) -> Path:
    """An index of the seed articles under ``work`` (built once, then copied per run)."""
    base = OUT / "seed-index"
    if not (base / "manifest.json").exists():
        subprocess.run([PY, "-m", "qa.cli", "index", "--corpus", str(ROOT / "seeds"), "--index", str(base)],
                       cwd=ROOT, check=True, capture_output=True)
    target = work / "index"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(base, target)
    return target


class Server:
    """``app.py`` on a free loopback port; ``stop()`` ends it."""

    def __init__(self, index: Path, env: dict | None = None, timeout: float = 240):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(index.parent / "server.log", "w")
        self.proc = subprocess.Popen([PY, "app.py", "--index", str(index), "--port", str(self.port)],
                                     cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the chat exited with {self.proc.returncode}; see {self.log.name}")
            try:
                urllib.request.urlopen(self.url, timeout=2).read(100)
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the chat did not start within {timeout:.0f} s; see {self.log.name}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


# ----------------------------------------------------------------------------- one question
def ask_http(url: str, question: str, timeout: float = 300) -> tuple[str, str]:
    """(outcome, detail) of one question over raw HTTP: ok / busy / error."""
    body = json.dumps({"data": [question, 5, "hybrid"]}).encode()
    request = urllib.request.Request(url + "gradio_api/call/ask", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        event_id = json.loads(urllib.request.urlopen(request, timeout=timeout).read())["event_id"]
        with urllib.request.urlopen(f"{url}gradio_api/call/ask/{event_id}", timeout=timeout) as stream:
            event = None
            for raw in stream:
                line = raw.decode("utf-8", "replace").strip()
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    data = line.split(":", 1)[1].strip()
                    if event == "complete":
                        return "ok", json.loads(data)[0]["answer"][:60]
                    return "error", data[:200]
        return "error", "stream ended without a result"
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:200]
        return ("busy" if exc.code == 503 else "error"), f"HTTP {exc.code}: {detail}"
    except (OSError, ValueError, KeyError) as exc:
        return "error", repr(exc)[:200]


def ask_client(client, question: str) -> tuple[str, str, int | None]:
    """(outcome, detail, highest queue position seen) of one question through gradio_client."""
    from gradio_client.exceptions import AppError
    from gradio_client.utils import QueueError

    highest = None
    try:
        job = client.submit(question, 5, "hybrid", api_name="/ask")
        while not job.done():
            rank = getattr(job.status(), "rank", None)
            if rank is not None:
                highest = rank if highest is None else max(highest, rank)
            time.sleep(0.5)
        return "ok", job.result()["answer"][:60], highest
    except QueueError as exc:
        return "busy", str(exc)[:200], highest
    except (AppError, OSError, ValueError, KeyError, RuntimeError) as exc:
        text = str(exc)
        return ("busy" if "queue is full" in text.lower() else "error"), text[:200], highest


# ----------------------------------------------------------------------------- commands
def run_users(url: str, users: int, duration: float, think: float, seed: int) -> dict:
    """``users`` concurrent users (half gradio_client, half raw HTTP) for ``duration`` seconds."""
    from gradio_client import Client

    rows, lock = [], threading.Lock()
    deadline = time.time() + duration
    clients = [Client(url, verbose=False) if i % 2 == 0 else None for i in range(users)]

    def user(i: int) -> None:
        rng = random.Random(seed + i)
        while time.time() < deadline:
            question = rng.choice(QUESTIONS)
            t0 = time.perf_counter()
            if clients[i] is not None:
                outcome, detail, rank = ask_client(clients[i], question)
            else:
                (outcome, detail), rank = ask_http(url, question), None
            with lock:
                rows.append({"user": i, "via": "client" if clients[i] else "http", "outcome": outcome,
                             "seconds": time.perf_counter() - t0, "detail": detail, "rank": rank})
            time.sleep(think if outcome == "ok" else max(think, 1.0))  # a refused user waits before trying again

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 600)
    wall = time.perf_counter() - t0
    ok = [r["seconds"] for r in rows if r["outcome"] == "ok"]
    ranks = [r["rank"] for r in rows if r["rank"] is not None]
    return {"users": users, "seconds": round(wall, 1), "requests": len(rows), "answered": len(ok),
            "busy": sum(r["outcome"] == "busy" for r in rows), "errors": sum(r["outcome"] == "error" for r in rows),
            "answers_per_s": round(len(ok) / wall, 2), "latency_s": percentiles(ok),
            "queue_position_max": max(ranks) if ranks else None,
            "busy_messages": sorted({r["detail"][:80] for r in rows if r["outcome"] == "busy"})[:3],
            "error_samples": [r["detail"] for r in rows if r["outcome"] == "error"][:5]}


def cmd_users(args) -> int:
    from qa.config import Settings

    work = OUT / "users"
    server = Server(seed_index(work), env={"QA_QUEUE_SIZE": str(args.queue_size)} if args.queue_size else None)
    report = {"queue_size": args.queue_size or Settings().queue_size, "duration_s": args.duration, "runs": []}
    try:
        ask_http(server.url, QUESTIONS[0])  # warm-up
        for users in [int(u) for u in args.users.split(",")]:
            before = rss_mb(server.proc.pid)
            row = run_users(server.url, users, args.duration, args.think, args.seed)
            row.update(rss_before_mb=round(before), rss_after_mb=round(rss_mb(server.proc.pid)))
            report["runs"].append(row)
            print(json.dumps(row), flush=True)
            write_report(OUT / "users.json", report)
    finally:
        server.stop()
    print("\n| users | answered | busy | errors | answers/s | p50 / p95 / max s | queue position max | RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for r in report["runs"]:
        lat = r["latency_s"]
        print(f"| {r['users']} | {r['answered']} | {r['busy']} | {r['errors']} | {r['answers_per_s']} | "
              f"{lat['p50']} / {lat['p95']} / {lat['max']} | {r['queue_position_max']} | "
              f"{r['rss_before_mb']} → {r['rss_after_mb']} |")
    return 0 if all(r["errors"] == 0 for r in report["runs"]) else 1


def cmd_memory(args) -> int:
    work = OUT / "memory"
    server = Server(seed_index(work))
    try:
        rng = random.Random(args.seed)
        for _ in range(args.warmup):
            ask_http(server.url, rng.choice(QUESTIONS))
        before = rss_mb(server.proc.pid)
        samples, outcomes = [], {"ok": 0, "busy": 0, "error": 0}
        for i in range(args.questions):
            outcome, _ = ask_http(server.url, rng.choice(QUESTIONS) + " " * (i % 3))
            outcomes[outcome] += 1
            if (i + 1) % 100 == 0:
                samples.append(round(rss_mb(server.proc.pid), 1))
        after = rss_mb(server.proc.pid)
    finally:
        server.stop()
    report = {"warmup": args.warmup, "questions": args.questions, "outcomes": outcomes,
              "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
              "growth_mb": round(after - before, 1), "rss_every_100": samples}
    write_report(OUT / "memory.json", report)
    print(json.dumps(report))
    return 0 if outcomes["error"] == 0 else 1


def main(argv: list[str] | None = None) -> int:
    from load_faults import add_fault_commands

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    u = sub.add_parser("users", help="concurrent chat users")
    u.add_argument("--users", default="32,64,128")
    u.add_argument("--duration", type=float, default=120, help="seconds per user count")
    u.add_argument("--think", type=float, default=0.0, help="seconds a user waits between questions")
    u.add_argument("--queue-size", type=int, default=None, help="QA_QUEUE_SIZE of the server (default: the setting)")
    u.add_argument("--seed", type=int, default=1)
    u.set_defaults(fn=cmd_users)
    m = sub.add_parser("memory", help="server RSS across many questions")
    m.add_argument("--questions", type=int, default=1000)
    m.add_argument("--warmup", type=int, default=50)
    m.add_argument("--seed", type=int, default=2)
    m.set_defaults(fn=cmd_memory)
    add_fault_commands(sub)
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    return args.fn(args)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    raise SystemExit(main())
