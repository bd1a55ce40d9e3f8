"""Atomic writes: whole content, the permissions of a plain write, nothing left behind."""
from __future__ import annotations

import os
import stat

from qa.files import atomic_write_bytes, atomic_write_text


def test_atomic_write_has_plain_write_permissions_and_no_leftovers(tmp_path):
    target = tmp_path / "answers.jsonl"
    atomic_write_text(target, "één\n")
    plain = tmp_path / "plain.txt"
    with open(plain, "w") as f:
        f.write("x")
    assert stat.S_IMODE(os.stat(target).st_mode) == stat.S_IMODE(os.stat(plain).st_mode)
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.jsonl", "plain.txt"]
