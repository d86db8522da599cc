"""multilingual-e5-small exported to ONNX: float32 (same weights as torch), or int8 (fastest).

Built once from the sentence-transformers folder of :mod:`embeddings.e5`: the BERT
encoder plus mean pooling is exported with the TorchScript-based exporter
(``torch.onnx.export(..., dynamo=False)``); the int8 build then quantises its weights per
output channel with ``onnxruntime.quantization.quantize_dynamic`` (torch's own dynamic int8
quantisation loses more quality on this model) and its activations per token row
(:mod:`embeddings.row_quant`), so a sentence's vector does not depend on its batch. Inference uses onnxruntime with one
intra-op thread per core and the ``tokenizers`` library.
"""

from __future__ import annotations

import logging
import os
import shutil
import warnings
from pathlib import Path
from typing import Optional

import numpy as np

from .base import Encoder
from .e5 import NOTICE, QUERY_PREFIX, build_e5_model
from .paths import PathLike, build_once, discard, models_dir, reason

logger = logging.getLogger(__name__)

ONNX_FOLDER = "e5-small-int8-onnx-v3"  # bump the suffix when the build recipe changes
# v3: activations quantised per token row (embeddings/row_quant.py), so vectors ignore batch mates
ONNX_FP32_FOLDER = "e5-small-onnx-fp32-v1"
MAX_TOKENS = 512
PAD_ID = 1  # XLM-R <pad>
# Padded tokens per onnxruntime run. Larger runs were slower per sentence on a 2-core
# CPU (activations leave the cache): 32 short STS-B sentences (~700 tokens) ran at
# 280/s, split in runs of <= 512 tokens at 420/s.
TOKEN_BUDGET = 512


def _export_onnx(st_folder: Path, out_file: Path) -> None:
    """Export BertModel + masked mean pooling to a float32 ONNX file."""
    import torch
    from transformers import AutoModel

    from .st import quiet_loading

    with quiet_loading():
        bert = AutoModel.from_pretrained(str(st_folder), local_files_only=True).eval()

    class MeanPooled(torch.nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    ids = torch.tensor([[0, 41, 42, 43, 2], [0, 41, 2, PAD_ID, PAD_ID]], dtype=torch.long)
    mask = (ids != PAD_ID).long()
    with torch.no_grad(), warnings.catch_warnings():
        # dynamo=False is deliberate (the legacy exporter handles this model); hide its deprecation notices
        warnings.simplefilter("ignore")
        torch.onnx.export(
            MeanPooled(bert),
            (ids, mask),
            str(out_file),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,
        )


def _build_onnx(out: Path, st_folder: Path, quantize: bool = True) -> None:
    logger.info("building %s into %s (first use)", "e5-small-int8" if quantize else "e5-small-onnx", out)
    if not quantize:
        _export_onnx(st_folder, out / "model.onnx")
        shutil.copyfile(st_folder / "tokenizer.json", out / "tokenizer.json")
        (out / "NOTICE").write_text(NOTICE + "\nThe ONNX file holds the same float32 weights.\n")
        return
    from .row_quant import quantize_per_row

    fp32 = out / "model-fp32.onnx"
    _export_onnx(st_folder, fp32)
    quantize_per_row(fp32, out / "model.onnx")
    fp32.unlink()
    shutil.copyfile(st_folder / "tokenizer.json", out / "tokenizer.json")
    (out / "NOTICE").write_text(NOTICE + "\nThe ONNX file holds the same weights quantised to int8.\n")


def build_e5_onnx(cache_dir: Optional[PathLike] = None, quantize: bool = True) -> Path:
    """Return the folder holding ``model.onnx`` (int8, or float32 without ``quantize``) and
    ``tokenizer.json``, building it if absent or damaged."""
    # The float model is needed (and checked, or built) only when the ONNX one is built.
    folder = ONNX_FOLDER if quantize else ONNX_FP32_FOLDER
    return build_once(models_dir(cache_dir) / folder,
                      lambda out: _build_onnx(out, build_e5_model(cache_dir), quantize))


def _load(folder: Path, threads: int):
    """The onnxruntime session and tokenizer of a built folder."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle threads sleep instead of spinning: with other programs busy on a 2-core
    # machine, spinning cost a third to a half of the throughput in our measurements.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=PAD_ID, pad_token="<pad>")
    return session, tokenizer


class OnnxE5Encoder(Encoder):
    """multilingual-e5-small, int8 ONNX on onnxruntime (384 dimensions); the default.

    Several times faster than the torch float32 model on CPU. Activations are quantised per
    token row (:mod:`embeddings.row_quant`): a sentence's vector is the same alone or in any
    batch (to 1e-6), at cosine 0.9993 to the float32 vectors.

    Args:
        cache_dir: cache folder for the built model; default :func:`paths.cache_dir`.
        threads: onnxruntime intra-op threads; default ``os.cpu_count()``.
    """

    name = "e5-small-int8"
    dim = 384
    cache_key = f"e5-small-int8/{ONNX_FOLDER}"
    quantized = True

    def __init__(self, cache_dir: Optional[PathLike] = None, threads: Optional[int] = None):
        self.path = build_e5_onnx(cache_dir, self.quantized)
        self.threads = threads or os.cpu_count() or 1
        try:
            self.session, self.tokenizer = _load(self.path, self.threads)
        except MemoryError:
            raise  # the machine, not the folder
        except Exception as exc:  # onnxruntime and tokenizers raise plain Exception subclasses
            # Damage the manifest cannot see: the folder is ours to rebuild, once.
            if not discard(self.path, reason(exc)):
                raise ValueError(f"model folder {self.path} cannot be loaded ({reason(exc)})") from None
            self.path = build_e5_onnx(cache_dir, self.quantized)
            self.session, self.tokenizer = _load(self.path, self.threads)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch([QUERY_PREFIX + t for t in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        lengths = mask.sum(axis=1)
        pooled, start = [], 0
        while start < len(texts):  # consecutive runs of at most TOKEN_BUDGET padded tokens
            stop, width = start + 1, lengths[start]
            while stop < len(texts) and max(width, lengths[stop]) * (stop + 1 - start) <= TOKEN_BUDGET:
                width = max(width, lengths[stop])
                stop += 1
            feed = {"input_ids": ids[start:stop, :width], "attention_mask": mask[start:stop, :width]}
            pooled.append(self.session.run(None, feed)[0])
            start = stop
        return np.concatenate(pooled)


class OnnxE5Fp32Encoder(OnnxE5Encoder):
    """multilingual-e5-small, float32 ONNX on onnxruntime (384 dimensions).

    The torch model's weights, exported unchanged: its vectors match the torch build's to
    float rounding, so it shares that model's calibration and stance classifier.
    """

    name = "e5-small-onnx"
    cache_key = f"e5-small-onnx/{ONNX_FP32_FOLDER}"
    quantized = False
