"""Sentence vectors from token vectors, as e5 models make them (shared by the document embedder and
the ONNX question encoder)."""
from __future__ import annotations


def mean_pool(hidden, mask):
    """L2-normalised mean of ``hidden`` [batch, tokens, dim] over the tokens that ``mask`` keeps
    (the sentence embedding of e5 models; torch tensors in and out)."""
    import torch

    weights = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * weights).sum(1) / weights.sum(1).clamp_min(1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)
