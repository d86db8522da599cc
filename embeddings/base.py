"""The :class:`Encoder` interface every sentence encoder of the package follows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional, Sequence

if TYPE_CHECKING:  # numpy loads with the first vector, not with the CLI's --help
    import numpy as np

Progress = Optional[Callable[[int], None]]
# progress(total) returns the callback of one long task (the CLI draws a bar).
ProgressFactory = Callable[[int], Callable[[int], None]]


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Return float32 rows scaled to unit length (all-zero rows stay zero)."""
    import numpy as np

    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class Encoder:
    """Turns sentences into L2-normalised float32 vectors.

    Subclasses set ``name`` (the registry name) and ``dim``, and implement
    :meth:`_encode_batch`; :meth:`encode` does the batching, progress reporting
    and normalisation, so every encoder honours the same contract. Texts of similar
    length share a batch (they are sorted by length, then put back in order): padded
    models then waste little work on padding.

    Attributes:
        name: registry name, e.g. ``"e5-small"``.
        dim: length of each vector.
        cache_key: what the embedding cache files vectors under; defaults to ``name``.
            Built models add their build version, so a rebuilt model never reads
            vectors of the previous build.
    """

    name: str = ""
    dim: int = 0

    @property
    def cache_key(self) -> str:
        """Key of this encoder's vectors in the embedding cache (subclasses may override)."""
        return self.name

    def encode(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        progress: Progress = None,
    ) -> np.ndarray:
        """Encode ``texts`` into an array of shape ``(len(texts), dim)``.

        Args:
            texts: sentences, in any language the model supports.
            batch_size: sentences per forward pass.
            progress: called after each batch with the number of sentences it held.

        Returns:
            float32 array of unit-length rows, in the order of ``texts``.
        """
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of strings, not a single string")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        texts = list(texts)
        import numpy as np

        order = np.argsort([len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = l2_normalize(self._encode_batch([texts[i] for i in rows]))
            if progress is not None:
                progress(len(rows))
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        """Return one vector per text (non-empty list); normalisation is optional."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, dim={self.dim})"
