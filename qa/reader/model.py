"""The span model of the neural reader: a BERT encoder plus a linear start/end head.

The encoder is the offline multilingual-e5-small (:mod:`qa.offline_model`). Fine-tuning keeps
the word embeddings frozen, so the shipped weights (``qa/reader/weights/model.safetensors``,
fp16) hold everything *except* ``embeddings.word_embeddings.weight``: loading rebuilds the base
folder, reads it in fp32 and overwrites it with the shipped tensors.

No-answer follows the SQuAD 2.0 convention: start = end = the first token (``<s>``).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

import torch
from torch import nn

log = logging.getLogger("qa.reader.model")

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "reader_config.json"
FROZEN = ("embeddings.word_embeddings.weight",)
TRAIN_COMMAND = ("python -m qa.training.train_reader --data ../shared/qa-train --bitext ../shared/bitext "
                 "--out qa/reader/weights --epochs 5 --cap tydiqa_en_train=all --cap qed_en_train=all "
                 "--distractor-negatives 0.15 --batch-size 32 --seed 21   (GPU recipe: qa/reader/MODEL_CARD.md)")

DEFAULT_CONFIG = {
    "max_length": 256,
    "stride": 128,
    "max_answer_tokens": 30,
    "max_question_tokens": 64,
    "threshold": 0.0,
    "base_model_id": "intfloat/multilingual-e5-small",
    "base_source_sha256": None,
}


class WeightsError(RuntimeError):
    """The reader weights folder is missing, incomplete or does not match the base model."""


class SpanModel(nn.Module):
    """BERT encoder + ``Linear(hidden, 2)`` giving start and end logits per token."""

    def __init__(self, encoder: nn.Module, hidden: int):
        super().__init__()
        self.encoder = encoder
        self.qa_outputs = nn.Linear(hidden, 2)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return ``(start_logits, end_logits)``, each ``[batch, seq]``."""
        # The tokenizer emits no token-type ids: all zero, as in pre-training.
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
        logits = self.qa_outputs(hidden)
        return logits[..., 0], logits[..., 1]

    def shipped_state(self) -> dict[str, torch.Tensor]:
        """The tensors to ship (fp16): everything but the frozen word embeddings."""
        state = {}
        for name, tensor in self.state_dict().items():
            if name.startswith("encoder.") and name[len("encoder."):] in FROZEN:
                continue
            state[name] = tensor.detach().to("cpu", torch.float16).contiguous()
        return state


def load_base(base_dir: Path) -> SpanModel:
    """A :class:`SpanModel` with the base encoder in fp32 and a freshly initialised head."""
    from safetensors.torch import load_file
    from transformers import BertConfig, BertModel

    base_dir = Path(base_dir)
    config = BertConfig.from_pretrained(str(base_dir))
    config.dtype = "float32"
    encoder = BertModel(config, add_pooling_layer=False)
    weights = {k: v.float() for k, v in load_file(str(base_dir / "model.safetensors")).items()}
    missing, unexpected = encoder.load_state_dict(weights, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise WeightsError(f"Base model at {base_dir} does not fit BertModel "
                           f"(missing {missing[:5]}, unexpected {unexpected[:5]})")
    model = SpanModel(encoder.float(), config.hidden_size)
    nn.init.normal_(model.qa_outputs.weight, std=0.02)
    nn.init.zeros_(model.qa_outputs.bias)
    return model


def base_folder(cache_dir: Path | None = None) -> Path:
    """The offline base model folder (built once into the cache)."""
    from qa.config import Settings
    from qa.offline_model import ensure_offline_model

    return ensure_offline_model(Path(cache_dir) if cache_dir else Settings().cache_dir, progress=False)


def base_sha256(base_dir: Path) -> str | None:
    """sha256 of the file the base folder was converted from, if known (:func:`qa.offline_model.source_sha256`)."""
    from qa.offline_model import source_sha256

    return source_sha256(base_dir)


def load_tokenizer(base_dir: Path):
    """The base model's fast tokenizer."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(base_dir))
    if not tok.is_fast:
        raise WeightsError(f"The tokenizer in {base_dir} is not a fast tokenizer (offsets are needed)")
    return tok


def clip_question(tokenizer, question: str, max_tokens: int) -> str:
    """``question`` cut after its first ``max_tokens`` tokens (long questions would leave no room)."""
    enc = tokenizer(question, add_special_tokens=False, return_offsets_mapping=True)
    offsets = enc["offset_mapping"]
    if len(offsets) <= max_tokens:
        return question
    return question[:offsets[max_tokens - 1][1]]


def save_reader(model: SpanModel, out_dir: Path, config: dict) -> None:
    """Write ``model.safetensors`` (fp16, no word embeddings) and ``reader_config.json``."""
    from safetensors.torch import save_file

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(model.shipped_state(), str(out_dir / WEIGHTS_FILE), metadata={"format": "pt"})
    merged = {**DEFAULT_CONFIG, **config}
    (out_dir / CONFIG_FILE).write_text(json.dumps(merged, indent=2) + "\n")


def read_config(weights_dir: Path) -> dict:
    """The reader configuration of a weights folder (defaults filled in)."""
    from qa.reader.threshold import size_rule

    path = Path(weights_dir) / CONFIG_FILE
    try:
        config = {**DEFAULT_CONFIG, **json.loads(path.read_text())}
    except (OSError, ValueError) as exc:
        raise WeightsError(_missing_message(Path(weights_dir), f"cannot read {path}: {exc}")) from exc
    try:
        for language in config.get("threshold_by_size") or {}:
            size_rule(config, language)  # a malformed rule fails here, at load, not at a question
    except (ValueError, AttributeError) as exc:
        raise WeightsError(f"{path}: {exc}") from exc
    return config


def load_reader(weights_dir: Path | None = None, cache_dir: Path | None = None, base_dir: Path | None = None):
    """Load ``(model, tokenizer, config)``: base folder → fp32 → shipped weights → eval mode.

    Raises:
        WeightsError: the weights folder is missing or corrupt (the message names the path and
            the command that trains the weights).
    """
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    weights_dir = Path(weights_dir) if weights_dir else WEIGHTS_DIR
    path = weights_dir / WEIGHTS_FILE
    if not path.exists():
        raise WeightsError(_missing_message(weights_dir, f"{path} does not exist"))
    config = read_config(weights_dir)
    try:
        shipped = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise WeightsError(_missing_message(weights_dir, f"{path} is corrupt ({exc})")) from exc
    base = Path(base_dir) if base_dir else base_folder(cache_dir)
    expected_sha = config.get("base_source_sha256")
    actual_sha = base_sha256(base)
    if expected_sha and actual_sha and expected_sha != actual_sha:
        log.warning("Reader weights were trained on a base model with sha256 %s, but %s has %s",
                    expected_sha, base, actual_sha)
    model = load_base(base)
    own = model.state_dict()
    unknown = [k for k in shipped if k not in own]
    wrong = [k for k in shipped if k in own and own[k].shape != shipped[k].shape]
    needed = [k for k in own if k not in shipped and not k.endswith(FROZEN) and not k.endswith("position_ids")]
    if unknown or wrong or needed:
        raise WeightsError(_missing_message(
            weights_dir, f"{path} does not match the model (unknown {unknown[:3]}, wrong shape {wrong[:3]}, "
            f"missing {needed[:3]})"))
    model.load_state_dict({k: v.float() for k, v in shipped.items()}, strict=False)
    model.eval()
    return model, load_tokenizer(base), config


PRECISIONS = ("fp32", "int8")


def quantize_int8(model: SpanModel) -> SpanModel:
    """The model with most ``nn.Linear`` layers replaced by int8 dynamically quantised twins (CPU).

    Weights are quantised per output channel; activations on the fly. Two kinds of layer stay
    fp32: each feed-forward block's down projection (``intermediate → output.dense``, whose
    GELU inputs have outliers that per-tensor activation quantisation clips) and the span head.
    Quantising every layer cost 6-10 F1 points on validation; this recipe loses none
    (``bench/reader.py``).
    """
    import warnings

    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    spec = {name: per_channel_dynamic_qconfig for name, module in model.named_modules()
            if isinstance(module, nn.Linear) and name != "qa_outputs"
            and not (name.endswith(".output.dense") and ".attention." not in name)}
    with warnings.catch_warnings():  # torch.ao.quantization announces its future move; the API works
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, spec)


def _missing_message(weights_dir: Path, problem: str) -> str:
    return (f"Neural reader weights not usable at {weights_dir}: {problem}. Train them with:\n  {TRAIN_COMMAND}\n"
            "or choose another reader (QA_READER=sentence, or a Hugging Face QA model name).")
