"""The reader's training loop: a run stopped and resumed from its checkpoint takes exactly the
steps of an uninterrupted run (a tiny BERT span model, a few steps on the CPU)."""
from __future__ import annotations

import random

import pytest
import torch

from qa.training.reader_data import Feature
from qa.reader.model import SpanModel
from qa.training.train_loop import CheckpointError, linear_schedule, load_checkpoint, run_loop


def tiny_model(seed: int = 0) -> SpanModel:
    from transformers import BertConfig, BertModel

    torch.manual_seed(seed)
    config = BertConfig(vocab_size=60, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64)
    model = SpanModel(BertModel(config, add_pooling_layer=False), 16)
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)  # frozen, as in the real recipe
    return model


def windows(n: int = 24) -> list[Feature]:
    rng = random.Random(3)
    out = []
    for _ in range(n):
        length = rng.randint(6, 20)
        start = rng.randint(0, length - 1)
        out.append(Feature([0] + [rng.randint(3, 59) for _ in range(length - 2)] + [2], start, min(length - 1, start + 2)))
    return out


def train(model, features, steps: int, checkpoint=None, stop_after: int | None = None, resume=None):
    optim = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    plan = {"total": steps}
    sched = torch.optim.lr_scheduler.LambdaLR(optim, linear_schedule(0.1, plan))
    model.train()
    return run_loop(model, features, optim, sched, plan, batch_size=4, rng=random.Random(7), pad_id=1,
                    device=torch.device("cpu"), budget_s=float("inf"), checkpoint=checkpoint, checkpoint_every_s=1e9,
                    resume=resume, log_every=0, stop_after=stop_after)


def test_resumed_run_continues_from_its_checkpoint(tmp_path):
    features = windows()
    straight = tiny_model()
    train(straight, features, steps=4)

    ckpt = tmp_path / "ckpt" / "checkpoint.pt"
    first = tiny_model()
    part = train(first, features, steps=4, checkpoint=ckpt, stop_after=2)
    assert part.step == 2 and not part.finished and ckpt.exists()
    saved = load_checkpoint(ckpt)
    assert saved["step"] == 2 and "encoder.embeddings.word_embeddings.weight" not in saved["model"]
    resumed_model = tiny_model(seed=99)  # other initial weights: everything must come from the checkpoint
    resumed_model.encoder.embeddings.word_embeddings.weight.data.copy_(first.encoder.embeddings.word_embeddings.weight)
    rest = train(resumed_model, features, steps=4, checkpoint=ckpt, resume=saved)
    assert rest.step == 4 and rest.finished and len(rest.losses) == 2
    for (name, a), b in zip(straight.state_dict().items(), resumed_model.state_dict().values()):
        torch.testing.assert_close(a, b, msg=f"{name} differs after resuming")


def test_resume_with_other_data_is_refused(tmp_path):
    ckpt = tmp_path / "checkpoint.pt"
    train(tiny_model(), windows(), steps=2, checkpoint=ckpt)
    with pytest.raises(CheckpointError, match="other training windows"):
        train(tiny_model(), windows(30), steps=2, resume=load_checkpoint(ckpt))


def test_missing_or_corrupt_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(CheckpointError, match="without --resume"):
        load_checkpoint(tmp_path / "none.pt")
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="cannot be read"):
        load_checkpoint(bad)
