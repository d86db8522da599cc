"""The service's query encoder: the store's float32 ONNX model run by OpenVINO in bfloat16.

Encoding dominates a nearest-sentence query: e5-small in float32 costs about 20 ms of CPU per
short query on this project's 2-core machine, whatever the batch (the work is matrix
products, linear in tokens), so 2 cores answer at most ~100 queries a second. CPUs with
bfloat16 matrix units (Intel AMX, AVX512-BF16) run the same model about 2.5 times cheaper
through OpenVINO, which computes the matrix products in bfloat16 and accumulates in float32:
its vectors match the float32 ones to a cosine of 0.99997 or more (measured on 200 STS-B-fr
queries), so they search the store's float32 vectors as the float32 model would, cosines
equal to about 1e-4.

:func:`query_encoder` picks it only when it can help: the store's model is ``e5-small-onnx``,
OpenVINO is installed and the CPU reports bfloat16; otherwise the store's own encoder serves
queries. ``CLAIMS_QUERY_ENGINE=onnxruntime`` forces the latter (``openvino`` forces the
former; ``auto`` is the default).
"""

from __future__ import annotations

import logging
import os
import queue
from pathlib import Path
from typing import Optional

import numpy as np

from embeddings.base import Encoder

log = logging.getLogger("claims.service")
ENGINE_ENV = "CLAIMS_QUERY_ENGINE"
ENGINES = ("auto", "openvino", "onnxruntime")
BF16_MODELS = {"e5-small-onnx"}  # float32 ONNX builds OpenVINO can read
LENGTH_STEP = 8  # padded widths are multiples of this
MAX_ROWS = 32  # rows per inference: with powers of two, 6 row counts in all


class OpenVinoQueryEncoder(Encoder):
    """An ONNX sentence encoder (input_ids, attention_mask → pooled vector) on OpenVINO.

    Each of ``streams`` concurrent callers gets its own inference request and one thread,
    so concurrent batches run side by side without waiting on each other's threads.

    Args:
        folder: a built model folder with ``model.onnx`` and ``tokenizer.json``.
        name: the registry name of the model (vectors are that model's).
        dim: vector length.
        prefix: text prepended to each input (e5's ``"query: "``).
        streams: concurrent inference requests, one thread each.
        precision: OpenVINO's inference precision hint, ``"bf16"`` or ``"f32"``.
    """

    def __init__(self, folder: Path, name: str, dim: int, prefix: str = "", streams: int = 2,
                 precision: str = "bf16"):
        if streams < 1:
            raise ValueError(f"streams must be >= 1, got {streams}")
        if precision not in ("bf16", "f32"):
            raise ValueError(f"precision must be 'bf16' or 'f32', got {precision!r}")
        import openvino as ov
        from tokenizers import Tokenizer

        from embeddings.onnx_e5 import MAX_TOKENS, PAD_ID

        self.folder, self.name, self.dim, self.prefix = Path(folder), name, dim, prefix
        self.streams, self.precision = streams, precision
        compiled = ov.Core().compile_model(str(self.folder / "model.onnx"), "CPU", {
            "INFERENCE_PRECISION_HINT": precision, "NUM_STREAMS": streams,
            "INFERENCE_NUM_THREADS": streams, "ENABLE_HYPER_THREADING": False})
        self._requests: queue.SimpleQueue = queue.SimpleQueue()
        for _ in range(streams):
            self._requests.put(compiled.create_infer_request())
        self.tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.pad_id = PAD_ID

    @property
    def cache_key(self) -> str:
        return f"{self.name}/openvino-{self.precision}"

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch([self.prefix + t for t in texts])
        ids = [e.ids for e in encodings]
        masks = [e.attention_mask for e in encodings]
        out, start = [], 0
        for size in chunk_sizes(len(texts)):
            stop = start + size
            out.append(self._run(ids[start:stop], masks[start:stop]))
            start = stop
        return np.concatenate(out)

    def _run(self, ids: list[list[int]], masks: list[list[int]]) -> np.ndarray:
        # OpenVINO prepares kernels for each new input shape (tens of ms): rows in powers of
        # two and widths in steps of LENGTH_STEP keep the shapes few, so they are soon all seen.
        width = -(-max(len(i) for i in ids) // LENGTH_STEP) * LENGTH_STEP  # <= 512, the truncation
        feed_ids = np.full((len(ids), width), self.pad_id, dtype=np.int64)
        feed_mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, (i, m) in enumerate(zip(ids, masks)):
            feed_ids[row, :len(i)], feed_mask[row, :len(m)] = i, m
        request = self._requests.get()  # one request per concurrent caller
        try:
            return np.array(request.infer({"input_ids": feed_ids, "attention_mask": feed_mask})[0], dtype=np.float32)
        finally:
            self._requests.put(request)

    def warm(self, rows: tuple[int, ...] = (1, 2, 4, 8, 16, 32),
             widths: tuple[int, ...] = (16, 24, 32, 40, 48, 56)) -> None:
        """Prepare the kernels of the usual query shapes now, not on the first queries."""
        for n in rows:
            for width in widths:
                self._run([[0] + [5] * (width - 2) + [2]] * n, [[1] * width] * n)


def chunk_sizes(n: int, largest: int = MAX_ROWS) -> list[int]:
    """``n`` as a sum of powers of two of at most ``largest``, largest first (13 → 8, 4, 1)."""
    sizes = []
    while n:
        size = min(largest, 1 << (n.bit_length() - 1))
        sizes.append(size)
        n -= size
    return sizes


def bf16_cpu() -> bool:
    """Whether OpenVINO is installed and reports bfloat16 support on this CPU."""
    try:
        import openvino as ov

        return "BF16" in ov.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    except Exception:  # not installed, or a runtime that cannot start here
        return False


def query_encoder(model_name: Optional[str], fallback: Encoder, engine: Optional[str] = None,
                  cache_dir=None) -> tuple[Encoder, str]:
    """The encoder the service uses for queries, and the engine's name.

    Args:
        model_name: the store's model (None for an empty store).
        fallback: the store's own encoder, used when OpenVINO cannot help.
        engine: "auto", "openvino" or "onnxruntime"; default from ``CLAIMS_QUERY_ENGINE``.
        cache_dir: where built models are.

    Raises:
        ValueError: for an unknown engine, or "openvino" where it cannot run this model.
    """
    engine = engine or os.environ.get(ENGINE_ENV, "auto")
    if engine not in ENGINES:
        raise ValueError(f"{ENGINE_ENV}={engine!r}: choose one of {', '.join(ENGINES)}")
    if engine == "onnxruntime":
        return fallback, "onnxruntime"
    usable = model_name in BF16_MODELS and bf16_cpu()
    if not usable:
        if engine == "openvino":
            raise ValueError(f"{ENGINE_ENV}=openvino needs the {' or '.join(sorted(BF16_MODELS))} model, "
                             f"OpenVINO installed and a CPU with bfloat16 (store model: {model_name})")
        return fallback, "onnxruntime"
    from embeddings.e5 import QUERY_PREFIX
    from embeddings.onnx_e5 import build_e5_onnx

    folder = build_e5_onnx(cache_dir, quantize=False)
    try:
        return OpenVinoQueryEncoder(folder, model_name, fallback.dim, prefix=QUERY_PREFIX), "openvino-bf16"
    except Exception as error:  # OpenVINO raises plain RuntimeErrors; the store's encoder still works
        if engine == "openvino":
            raise ValueError(f"OpenVINO cannot compile {folder / 'model.onnx'}: {error}") from None
        log.warning("queries use onnxruntime: OpenVINO could not compile the model (%s)", error)
        return fallback, "onnxruntime"


__all__ = ["ENGINE_ENV", "OpenVinoQueryEncoder", "bf16_cpu", "chunk_sizes", "query_encoder"]
