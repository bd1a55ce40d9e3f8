"""The reader's optimisation loop, with checkpoints that let a long CPU run span several sessions.

A checkpoint holds the trainable weights, the optimiser and learning-rate schedule, the step, the
planned number of steps, the random state of the batch order (taken when the loop first started)
and torch's random state (dropout), plus a fingerprint of the training windows. ``--resume``
rebuilds the same windows from the same arguments, checks the fingerprint, replays the batch order
up to the saved step and goes on, so a resumed run takes exactly the steps an uninterrupted one
would (``tests/test_train_loop.py``). Checkpoints are written atomically (a temporary file, then a
rename) under ``.cache/`` by default, outside the repository.
"""
from __future__ import annotations

import hashlib
import logging
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from qa.training.reader_data import Feature, batches, collate

log = logging.getLogger("qa.training.train_reader")

CHECKPOINT_FILE = "checkpoint.pt"


class CheckpointError(RuntimeError):
    """A checkpoint cannot be resumed (missing, corrupt, or made from other training windows)."""


@dataclass
class LoopResult:
    """What a (possibly partial) run of the loop did."""

    step: int
    total: int
    windows_seen: int
    seconds: float
    losses: list[float] = field(default_factory=list)
    finished: bool = False


def fingerprint(features: list[Feature]) -> str:
    """A short hash of the training windows (ids and gold positions), to check a resume uses the same data."""
    h = hashlib.sha256()
    for f in features:
        h.update(np.asarray(f.input_ids, dtype=np.int32).tobytes())
        h.update(np.asarray([f.start, f.end], dtype=np.int32).tobytes())
    return h.hexdigest()[:16]


def linear_schedule(warmup: float, plan: dict) -> Callable[[int], float]:
    """Warm-up over ``warmup`` of ``plan["total"]`` steps, then linear decay to zero (reads the plan
    at every step, so a re-estimated total takes effect)."""
    def schedule(step: int) -> float:
        warm = max(1, int(warmup * plan["total"]))
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (plan["total"] - step) / max(1, plan["total"] - warm))

    return schedule


def trainable_state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The state to checkpoint: every tensor but the frozen parameters (the word embeddings, which
    never change, are rebuilt from the base model)."""
    frozen = {name for name, p in model.named_parameters() if not p.requires_grad}
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items() if k not in frozen}


def save_checkpoint(path: Path, model: torch.nn.Module, optim, sched, *, step: int, plan: dict,
                    batch_rng_state, windows_seen: int, data_fingerprint: str, extra: dict | None = None) -> None:
    """Write the checkpoint atomically to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "model": trainable_state(model),
        "optimizer": optim.state_dict(), "scheduler": sched.state_dict(), "step": step, "plan": dict(plan),
        "batch_rng_state": batch_rng_state, "torch_rng_state": torch.get_rng_state(),
        "windows_seen": windows_seen, "fingerprint": data_fingerprint, "extra": extra or {},
    }
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_checkpoint(path: Path) -> dict:
    """Read a checkpoint written by :func:`save_checkpoint`.

    Raises:
        CheckpointError: the file is missing or unreadable (the message names it).
    """
    path = Path(path)
    if not path.exists():
        raise CheckpointError(f"No checkpoint at {path}: start the run without --resume first.")
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:  # a truncated or foreign file
        raise CheckpointError(f"Checkpoint {path} cannot be read ({exc}); delete it and start again.") from exc


def run_loop(model: torch.nn.Module, features: list[Feature], optim, sched, plan: dict, *, batch_size: int,
             rng: random.Random, pad_id: int, device: torch.device, budget_s: float,
             checkpoint: Path | None = None, checkpoint_every_s: float = 600.0, resume: dict | None = None,
             replan: Callable[[int, float], None] | None = None, on_interval: Callable[[int], None] | None = None,
             log_every: int = 25, stop_after: int | None = None) -> LoopResult:
    """Train until ``plan["total"]`` steps or ``budget_s`` seconds, checkpointing every ``checkpoint_every_s``.

    Args:
        model: a span model (``model(ids, mask) -> (start_logits, end_logits)``), in train mode.
        features: the training windows.
        optim, sched: the optimiser and its LambdaLR schedule.
        plan: ``{"total": steps}``; ``replan(step, elapsed)`` may change it (time-budgeted runs).
        rng: the random source of the batch order (its state is saved at the loop's first start).
        budget_s: wall-clock seconds for this call; the run stops there with a checkpoint.
        checkpoint: the checkpoint file (None: no checkpoints).
        resume: a loaded checkpoint to continue from (weights, optimiser, step, batch order).
        on_interval: called with the step every ``checkpoint_every_s`` (interim saves).
        stop_after: stop this call after so many steps (as a time budget would), with a checkpoint.

    Raises:
        CheckpointError: ``resume`` was made from other training windows.
    """
    data_fingerprint = fingerprint(features)
    step, seen = 0, 0
    if resume is not None:
        if resume["fingerprint"] != data_fingerprint:
            raise CheckpointError("The checkpoint was made from other training windows (different data or "
                                  "arguments); resume with the arguments of the first run, or start afresh.")
        missing = set(trainable_state(model)) - set(resume["model"])
        if missing:
            raise CheckpointError(f"The checkpoint lacks {len(missing)} trainable tensors (e.g. {sorted(missing)[0]}); "
                                  "it was made for another model.")
        model.load_state_dict(resume["model"], strict=False)
        optim.load_state_dict(resume["optimizer"])
        sched.load_state_dict(resume["scheduler"])
        plan.update(resume["plan"])
        step, seen = int(resume["step"]), int(resume["windows_seen"])
        rng.setstate(resume["batch_rng_state"])
        batch_rng_state = resume["batch_rng_state"]
    else:
        batch_rng_state = rng.getstate()
    stream = batches(features, batch_size, rng)
    for _ in range(step):  # replay the batch order up to the saved step
        next(stream)
    if resume is not None:
        torch.set_rng_state(resume["torch_rng_state"])
        log.info("resumed at step %d of %d", step, plan["total"])
    autocast = torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.type == "cuda")
    losses: list[float] = []
    t0 = last_save = time.time()

    def save() -> None:
        if checkpoint is not None:
            save_checkpoint(checkpoint, model, optim, sched, step=step, plan=plan, batch_rng_state=batch_rng_state,
                            windows_seen=seen, data_fingerprint=data_fingerprint)
            log.info("checkpoint at step %d: %s", step, checkpoint)

    while step < plan["total"]:
        batch = next(stream)
        ids, mask, start, end = (t.to(device, non_blocking=True) for t in collate(batch, pad_id))
        with autocast:
            s_log, e_log = model(ids, mask)
        s_log = s_log.float().masked_fill(mask == 0, -1e4)
        e_log = e_log.float().masked_fill(mask == 0, -1e4)
        loss = (torch.nn.functional.cross_entropy(s_log, start) + torch.nn.functional.cross_entropy(e_log, end)) / 2
        optim.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optim.step()
        sched.step()
        step += 1
        seen += len(batch)
        losses.append(float(loss.detach()))
        elapsed = time.time() - t0
        if replan is not None:
            replan(step, elapsed)
        if log_every and step % log_every == 0:
            log.info("step %d/%d loss %.3f (last %d) lr %.2e windows/s %.1f elapsed %.1f min", step, plan["total"],
                     np.mean(losses[-log_every:]), log_every, sched.get_last_lr()[0], len(losses) * batch_size
                     / max(elapsed, 1e-9), elapsed / 60)
        if time.time() - last_save > checkpoint_every_s:
            save()
            if on_interval is not None:
                on_interval(step)
            last_save = time.time()
        if elapsed >= budget_s or (stop_after is not None and len(losses) >= stop_after):
            break
    finished = step >= plan["total"]
    save()
    return LoopResult(step=step, total=plan["total"], windows_seen=seen, seconds=time.time() - t0,
                      losses=losses, finished=finished)
