"""A small cross-encoder pair score: multilingual-e5-small reading both sentences at once.

A bi-encoder compares two sentence vectors built apart, so "another claim on the same topic"
and "this claim in other words" land equally close. A cross-encoder reads the pair as one
input (``<s> a </s></s> b </s>``) and attends across it (the remedy the PAWS authors and the
NLI literature give). Here it is the locally built e5-small encoder (:func:`embeddings.e5.build_e5_model`,
never downloaded, never committed) with low-rank adapters (LoRA, Hu et al. 2021) on the query
and value projections of every attention layer and a logistic head on the two sentences' mean-pooled states.
Only the adapters and the head are stored (plain float16 arrays and a JSON header, no pickle;
:data:`ADAPTER_PATH` is where a shipped file would go: none is shipped, none has yet beaten the
hybrid score); :mod:`claims.training.cross_encoder` fits them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

ADAPTER_PATH = Path(__file__).resolve().parents[1] / "data" / "cross_adapter.npz"
PREFIX = "query: "  # e5's role prefix, as the bi-encoder uses it
COSINE_SCALE, COSINE_CENTRE = 20.0, 0.86


def _torch():
    import torch

    return torch


class LoRALinear:
    """Factory of a torch module: ``base(x) + scale * B(A(x))`` with ``base`` frozen."""

    def __new__(cls, base, rank: int, alpha: float, seed: int):
        torch = _torch()

        class _LoRA(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.base = base
                for p in self.base.parameters():
                    p.requires_grad_(False)
                g = torch.Generator().manual_seed(seed)
                # A small and random, B zero: the adapted model starts as the base model.
                self.lora_a = torch.nn.Parameter(torch.randn(rank, base.in_features, generator=g) * 0.01)
                self.lora_b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
                self.scale = alpha / rank

            def forward(self, x):
                return self.base(x) + (x @ self.lora_a.T @ self.lora_b.T) * self.scale

        return _LoRA()


class CrossEncoder:
    """Probability that two sentences state the same claim, from one joint reading.

    Args:
        rank: LoRA rank of the adapters on the attention query and value projections.
        layers: how many of the top encoder layers get adapters (the lower ones stay frozen,
            so training back-propagates through these only).
        alpha: LoRA scale numerator (the update is multiplied by ``alpha / rank``).
        max_length: tokens of the pair input (longer pairs are cut, the longer side first).
        batch_size: pairs per forward pass at prediction.
        seed: seed of the adapters' initialisation.
    """

    def __init__(self, rank: int = 4, layers: int = 6, alpha: float = 8.0, max_length: int = 128,
                 batch_size: int = 32, seed: int = 0):
        if rank < 1:
            raise ValueError(f"rank must be at least 1, got {rank}")
        if max_length < 8:
            raise ValueError(f"max_length must be at least 8, got {max_length}")
        if layers < 1:
            raise ValueError(f"layers must be at least 1, got {layers}")
        self.rank, self.layers, self.alpha, self.max_length = rank, layers, alpha, max_length
        self.batch_size, self.seed = batch_size, seed

    # -- model --------------------------------------------------------------------------
    def build(self, base_folder: Optional[Path] = None) -> "CrossEncoder":
        """Load the base encoder and tokenizer and insert fresh adapters and head."""
        torch = _torch()
        from transformers import BertModel, PreTrainedTokenizerFast

        if base_folder is None:
            from embeddings.e5 import build_e5_model

            base_folder = build_e5_model()
        base_folder = Path(base_folder)
        torch.manual_seed(self.seed)
        self.tokenizer_ = PreTrainedTokenizerFast.from_pretrained(str(base_folder), local_files_only=True)
        model = BertModel.from_pretrained(str(base_folder), local_files_only=True, add_pooling_layer=False)
        model.eval()
        for p in model.parameters():
            p.requires_grad_(False)
        blocks = model.encoder.layer
        for k, layer in enumerate(blocks):
            if k < len(blocks) - self.layers:
                continue
            attn = layer.attention.self
            attn.query = LoRALinear(attn.query, self.rank, self.alpha, self.seed * 1000 + 2 * k)
            attn.value = LoRALinear(attn.value, self.rank, self.alpha, self.seed * 1000 + 2 * k + 1)
        self.model_ = model
        # Head over the two sentences' mean-pooled states (each read in the other's context):
        # logit = weight[0] * cos(u, v) + weight[1:] . (u * v) + bias, u and v unit vectors.
        # It starts as a scaled cosine (start_head refits scale and bias on labelled pairs), so the
        # few thousand pairs CPU training affords refine a working score instead of chance.
        self.head_ = torch.nn.Linear(model.config.hidden_size + 1, 1)
        with torch.no_grad():
            self.head_.weight.zero_()
            self.head_.weight[0, 0] = COSINE_SCALE
            self.head_.bias.fill_(-COSINE_SCALE * COSINE_CENTRE)
        return self

    def trainable(self) -> list:
        """The adapter and head parameters (everything else is frozen)."""
        return [p for n, p in self.model_.named_parameters() if "lora_" in n] + list(self.head_.parameters())

    def encode_pairs(self, a: Sequence[str], b: Sequence[str]):
        """Token tensors of the pairs, padded to the longest pair of the batch."""
        torch = _torch()
        batch = self.tokenizer_([PREFIX + t for t in a], [PREFIX + t for t in b], truncation="longest_first",
                                max_length=self.max_length, padding=True, return_tensors="pt",
                                return_token_type_ids=False)
        side = [[-1 if s is None else s for s in batch.sequence_ids(k)] for k in range(len(a))]
        batch["side"] = torch.tensor(side)  # 0: first sentence, 1: second, -1: special or padding
        return batch

    def logits(self, batch):
        """Logit of "same claim" for a tokenised batch (gradients flow to the adapters)."""
        torch = _torch()
        hidden = self.model_(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
        pooled = []
        for side in (0, 1):
            mask = (batch["side"] == side).unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / torch.clamp(mask.sum(1), min=1.0)
            pooled.append(torch.nn.functional.normalize(mean, dim=-1))
        u, v = pooled
        features = torch.cat([(u * v).sum(-1, keepdim=True), u * v], dim=-1)
        return self.head_(features).squeeze(-1)

    def start_head(self, a: Sequence[str], b: Sequence[str], same: Sequence[bool]) -> None:
        """Set the head's cosine weight and bias to a logistic fit of the labels on the joint
        cosine of these pairs (read in each other's context, the halves are closer than apart)."""
        torch = _torch()
        from sklearn.linear_model import LogisticRegression

        cos = []
        with torch.no_grad():
            for s in range(0, len(a), self.batch_size):
                batch = self.encode_pairs(a[s:s + self.batch_size], b[s:s + self.batch_size])
                self.head_.weight.zero_()
                self.head_.weight[0, 0] = 1.0
                self.head_.bias.zero_()
                cos.append(self.logits(batch).numpy())
            x = np.concatenate(cos).reshape(-1, 1)
            fit = LogisticRegression(C=100.0).fit(x, np.asarray(same, bool))
            self.head_.weight[0, 0] = float(fit.coef_[0, 0])
            self.head_.bias.fill_(float(fit.intercept_[0]))

    def predict_proba(self, a: Sequence[str], b: Sequence[str], progress: bool = False) -> np.ndarray:
        """Probability of "same claim" for each pair ``(a[k], b[k])``; deterministic."""
        torch = _torch()
        if len(a) != len(b):
            raise ValueError(f"{len(a)} first sentences for {len(b)} second ones")
        out = np.zeros(len(a), np.float32)
        # Batches of similar lengths pad less; the order does not change any pair's score.
        order = np.argsort([len(x) + len(y) for x, y in zip(a, b)], kind="stable")
        self.model_.eval()
        with torch.inference_mode():
            for s in range(0, len(order), self.batch_size):
                idx = order[s:s + self.batch_size]
                batch = self.encode_pairs([a[k] for k in idx], [b[k] for k in idx])
                out[idx] = torch.sigmoid(self.logits(batch)).numpy()
                if progress and (s // self.batch_size) % 20 == 0:
                    print(f"... cross-encoder {s + len(idx)}/{len(a)} pairs", flush=True)
        return out

    # -- storage -----------------------------------------------------------------------
    def state(self) -> dict[str, np.ndarray]:
        """The learned arrays (adapters and head) by name."""
        arrays = {n: p.detach().numpy().copy() for n, p in self.model_.named_parameters() if "lora_" in n}
        arrays["head.weight"] = self.head_.weight.detach().numpy().copy()
        arrays["head.bias"] = self.head_.bias.detach().numpy().copy()
        return arrays

    def save(self, path: Path, meta: Optional[dict] = None) -> None:
        """Write the adapters and head as float16 arrays plus a JSON header (no pickle)."""
        header = {"rank": self.rank, "layers": self.layers, "alpha": self.alpha, "max_length": self.max_length,
                  **(meta or {})}
        arrays = {k: v.astype(np.float16) for k, v in self.state().items()}
        np.savez_compressed(path, __meta__=np.frombuffer(json.dumps(header).encode(), np.uint8), **arrays)

    @classmethod
    def load(cls, path: Path = ADAPTER_PATH, base_folder: Optional[Path] = None) -> "CrossEncoder":
        """The cross-encoder of a saved adapter file, over the installed base weights."""
        torch = _torch()
        if not Path(path).is_file():
            raise ValueError(f"no cross-encoder adapter at {path}: "
                             "fit one with python -m claims.training.cross_encoder")
        with np.load(path, allow_pickle=False) as f:
            header = json.loads(bytes(f["__meta__"]).decode())
            arrays = {k: f[k].astype(np.float32) for k in f.files if k != "__meta__"}
        enc = cls(rank=header["rank"], layers=header["layers"], alpha=header["alpha"],
                  max_length=header["max_length"]).build(base_folder)
        enc.meta_ = header
        params = dict(enc.model_.named_parameters())
        with torch.no_grad():
            for name, value in arrays.items():
                if name.startswith("head."):
                    getattr(enc.head_, name.split(".", 1)[1]).copy_(torch.from_numpy(value))
                elif name in params:
                    params[name].copy_(torch.from_numpy(value))
                else:
                    raise ValueError(f"adapter file {path} holds {name!r}, which this model lacks")
        return enc


__all__ = ["ADAPTER_PATH", "CrossEncoder", "LoRALinear"]
