"""multilingual-e5-small quantised to int8 by NNCF, run by OpenVINO: the fastest e5 on CPUs with AMX.

Built once, at first use, from the float32 ONNX export of :mod:`embeddings.onnx_e5`: NNCF's
post-training quantisation (``nncf.quantize``, ``ModelType.TRANSFORMER``: SmoothQuant, then
static int8 scales for activations, per-channel int8 weights, fast bias correction) is
calibrated on French sentences shipped with the package (765: news sentences of 3 to 40
words and short search queries), one product is kept in float (:data:`FLOAT_PRODUCTS`), and
the result is saved as an OpenVINO IR (``model.xml``/``model.bin``). Activation scales are fixed numbers
learned at build time, so no batch statistic enters a sentence's vector.

One thing still depends on a sentence's batch mates: the padded width of the run. Float
reductions over a wider row (softmax, layer norm) round differently, and an int8 quantiser
downstream can then flip by one step (up to 7e-6 per coordinate measured). :meth:`encode`
therefore runs every sentence at its own width, rounded up to a multiple of
:data:`WIDTH_STEP`, batched only with sentences of the same rounded width: its vector is then
the same, to the bit, alone or in any batch (tested). On a length-sorted corpus this costs
almost nothing, and few shapes means OpenVINO prepares few kernels.

Needs ``openvino`` to run and ``nncf`` to build (first use only).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
from contextlib import redirect_stdout
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from .base import Encoder, Progress, l2_normalize
from .e5 import NOTICE, QUERY_PREFIX
from .onnx_e5 import MAX_TOKENS, PAD_ID, build_e5_onnx
from .paths import PathLike, build_once, discard, models_dir, reason


OV_FOLDER = "e5-small-ov-int8-v2"  # bump the suffix when the build recipe changes
WIDTH_STEP = 8  # a sentence runs at its token count rounded up to a multiple of this
CALIBRATION_SIZE = 1000  # sentences NNCF collects activation statistics on (at most)
# Kept in float32: the one product whose int8 input cost most fidelity. Bypassing each
# activation quantiser in turn (BENCHMARKS.md, "OpenVINO int8 calibrated on shipped text"),
# layer 3's feed-forward output (its GELU output is quantised) alone moved the worst cosine
# to float32 from 0.989 to 0.995; every other single product moved it by 0.001 or less.
FLOAT_PRODUCTS = ("/encoder/encoder/layer.3/output/dense/MatMul",)


def _quantize(fp32_onnx: Path, out: Path, sentences: Sequence[str], tokenizer, **options) -> None:
    """Write NNCF's int8 build of ``fp32_onnx`` as ``out/model.xml`` (+ ``.bin``).

    ``options`` go to ``nncf.quantize`` (``advanced_parameters``, ...); the default
    ``ignored_scope`` keeps :data:`FLOAT_PRODUCTS` in float.
    """
    try:
        import nncf
    except ImportError:
        raise ValueError("building e5-small-ov-int8 needs NNCF: pip install nncf") from None
    import openvino as ov

    def feed(text: str) -> dict:
        ids = tokenizer.encode(QUERY_PREFIX + text).ids
        return {"input_ids": np.array([ids], np.int64), "attention_mask": np.ones((1, len(ids)), np.int64)}

    options.setdefault("ignored_scope", nncf.IgnoredScope(names=list(FLOAT_PRODUCTS), validate=False))
    nncf_log = logging.getLogger("nncf")
    level = nncf_log.level
    nncf_log.setLevel(logging.ERROR)  # NNCF logs advice at INFO
    # ... and draws progress bars on rich's console, stdout: keep stdout for the command's output
    try:
        with redirect_stdout(sys.stderr):
            model = nncf.quantize(ov.Core().read_model(str(fp32_onnx)), nncf.Dataset(list(sentences), feed),
                                  model_type=nncf.ModelType.TRANSFORMER, subset_size=len(sentences), **options)
    finally:
        nncf_log.setLevel(level)
    ov.save_model(model, str(out / "model.xml"))  # weights compressed to int8 already; no fp16 pass


def _build(out: Path, onnx_folder: Path, sentences: Sequence[str]) -> None:
    from tokenizers import Tokenizer

    if len(sentences) < 16:
        raise ValueError(f"calibrating e5-small-ov-int8 needs at least 16 sentences, got {len(sentences)}")
    # the command's output is on stdout; the user still needs to know why the first run waits
    print(f"building e5-small-ov-int8 from {len(sentences[:CALIBRATION_SIZE])} calibration sentences "
          "(first use only, about 5-10 minutes on 2 cores); NNCF shows its progress below", file=sys.stderr, flush=True)
    tokenizer = Tokenizer.from_file(str(onnx_folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    _quantize(onnx_folder / "model.onnx", out, sentences[:CALIBRATION_SIZE], tokenizer)
    shutil.copyfile(onnx_folder / "tokenizer.json", out / "tokenizer.json")
    (out / "NOTICE").write_text(NOTICE + "\nThe OpenVINO files hold the same weights quantised to int8 by NNCF.\n")


def build_e5_openvino(calibration: Callable[[], Sequence[str]], cache_dir: Optional[PathLike] = None) -> Path:
    """Return the folder holding ``model.xml``, ``model.bin`` and ``tokenizer.json``, building it
    if absent or damaged from the float32 ONNX build and ``calibration()`` sentences."""
    return build_once(models_dir(cache_dir) / OV_FOLDER,
                      lambda out: _build(out, build_e5_onnx(cache_dir, quantize=False), list(calibration())))


class OpenVinoInt8E5Encoder(Encoder):
    """multilingual-e5-small, int8 by NNCF, on OpenVINO (384 dimensions).

    About twice the speed of the per-row int8 ONNX build on a CPU with AMX (int8 matrix
    units); a sentence's vector is the same alone or in any batch (see the module notes).

    Args:
        calibration: returns the French sentences the first build calibrates on.
        cache_dir: cache folder for built models; default :func:`paths.cache_dir`.
        threads: OpenVINO inference threads; default ``os.cpu_count()``.
    """

    name = "e5-small-ov-int8"
    dim = 384
    cache_key = f"e5-small-ov-int8/{OV_FOLDER}"

    def __init__(self, calibration: Callable[[], Sequence[str]], cache_dir: Optional[PathLike] = None,
                 threads: Optional[int] = None):
        if threads is not None and threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads}")
        self.threads = threads or os.cpu_count() or 1
        self.path = build_e5_openvino(calibration, cache_dir)
        try:
            self._load()
        except MemoryError:
            raise
        except Exception as exc:  # OpenVINO raises plain RuntimeErrors for a damaged IR
            if not discard(self.path, reason(exc)):
                raise ValueError(f"model folder {self.path} cannot be loaded ({reason(exc)})") from None
            self.path = build_e5_openvino(calibration, cache_dir)
            self._load()

    @classmethod
    def from_folder(cls, folder: PathLike, threads: Optional[int] = None) -> "OpenVinoInt8E5Encoder":
        """The encoder of an already built folder (benchmarks compare build recipes this way)."""
        encoder = cls.__new__(cls)
        encoder.threads = threads or os.cpu_count() or 1
        encoder.path = Path(folder)
        encoder._load()
        return encoder

    def _load(self) -> None:
        import openvino as ov
        from tokenizers import Tokenizer

        # One stream on every thread: one batch at a time, as the pipeline feeds them. The
        # operations left in float (layer norm, softmax, GELU) stay float32: OpenVINO would
        # run them in bfloat16 on AMX CPUs only, and vectors would then differ by machine
        # (up to 3e-3 a coordinate). bfloat16 saves 15-20 % of the CPU (BENCHMARKS.md).
        self.compiled = ov.Core().compile_model(str(self.path / "model.xml"), "CPU", {
            "NUM_STREAMS": 1, "INFERENCE_NUM_THREADS": self.threads, "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_PRECISION_HINT": "f32"})
        self.request = self.compiled.create_infer_request()
        # One request, reused: callers in several threads (the service's batch workers) take
        # turns, since a request that is running refuses a second call ("Infer Request is busy")
        # and its output buffer is overwritten by the next run.
        self._infer_lock = threading.Lock()
        self.tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress: Progress = None) -> np.ndarray:
        """Encode ``texts`` (see :meth:`Encoder.encode`); runs group sentences of one rounded width."""
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of strings, not a single string")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        texts = list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self.tokenizer.encode_batch([QUERY_PREFIX + t for t in texts])]
        for rows in width_runs([len(i) for i in ids], batch_size):
            out[rows] = l2_normalize(self._run([ids[k] for k in rows]))
            if progress is not None:
                progress(len(rows))
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts, batch_size=len(texts))

    def _run(self, ids: list[list[int]]) -> np.ndarray:
        width = padded_width(max(len(i) for i in ids))
        feed_ids = np.full((len(ids), width), PAD_ID, dtype=np.int64)
        feed_mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, i in enumerate(ids):
            feed_ids[row, :len(i)] = i
            feed_mask[row, :len(i)] = 1
        with self._infer_lock:
            result = self.request.infer({"input_ids": feed_ids, "attention_mask": feed_mask})
            return np.array(result[0], dtype=np.float32)  # a copy, made before the next run


def padded_width(tokens: int) -> int:
    """``tokens`` rounded up to a multiple of :data:`WIDTH_STEP`."""
    return -(-tokens // WIDTH_STEP) * WIDTH_STEP


def width_runs(lengths: Sequence[int], batch_size: int) -> list[np.ndarray]:
    """Row indices of each run: sentences of one padded width, at most ``batch_size`` each.

    Widths ascend; within a width, rows keep their input order, so the runs are a
    function of the input alone.
    """
    widths = np.fromiter((padded_width(n) for n in lengths), np.int64, len(lengths))
    order = np.argsort(widths, kind="stable")
    runs = []
    for width in np.unique(widths):
        rows = order[widths[order] == width]
        runs += [rows[start:start + batch_size] for start in range(0, len(rows), batch_size)]
    return runs


__all__ = ["OV_FOLDER", "OpenVinoInt8E5Encoder", "WIDTH_STEP", "build_e5_openvino", "padded_width", "width_runs"]
