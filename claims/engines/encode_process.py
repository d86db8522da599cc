"""Encoding in a second process, so that this one parses and attributes meanwhile.

A run's encoding (onnxruntime, whose threads leave part of the second core idle) and its
spaCy stages (the pair guard's entity roles and the attribution: one thread, holding the
GIL) do not need each other's results until the grouping. :class:`EncodeProcess` starts a
process that encodes the corpus in the local engine's batches
(:func:`claims.engines.batches.encode_in_length_order`, so the vectors are the same, bit
for bit) while the caller parses; :meth:`EncodeProcess.vectors` waits for them. The second
process loads the encoder and this one spaCy, so each model is still loaded once.

The process is a fresh interpreter (``python -c``, not a fork: no thread of this process is
copied half-way through its work), and unlike ``multiprocessing``'s ``spawn`` it does not
import the caller's ``__main__``, so a script calling :func:`claims.analyze` without an
``if __name__ == "__main__"`` guard is not run a second time. The two talk through two pipes.
If the process cannot start, fails or dies, :meth:`vectors` returns None with the reason in
``failure_`` and the caller encodes in its own process: the run's result does not depend on
where it was encoded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import traceback
import warnings
from multiprocessing.connection import Connection
from typing import Callable, Optional, Sequence

import numpy as np

from embeddings.base import Encoder

# Below this many sentences a second process (start-up ~1 s, imports) costs more than the
# overlap saves: the encoding and the parse of 1,000 sentences take a few seconds each.
MIN_SENTENCES = 1000
IN_ENCODE_PROCESS = "CLAIMS_ENCODE_PROCESS"  # set to "1" in the encoding process's environment
_BOOT = ("import sys; from claims.engines.encode_process import _child_main; "
         "_child_main(int(sys.argv[1]), int(sys.argv[2]))")


def worth_a_second_process(n_sentences: int) -> bool:
    """Whether encoding ``n_sentences`` in a second process should pay: two cores or more and
    at least :data:`MIN_SENTENCES` sentences."""
    return (os.cpu_count() or 1) >= 2 and n_sentences >= MIN_SENTENCES


def picklable(entry) -> bool:
    """Whether a model entry can be sent to a second process (registered models can; a local
    folder's entry holds its loaded encoder in a closure, and a script's own loader lives in a
    ``__main__`` the second process does not import: they cannot)."""
    import pickle

    if getattr(entry.load, "__module__", None) == "__main__":
        return False  # the encoding process does not import the caller's script
    try:
        pickle.dumps(entry)
    except Exception:
        return False
    return True


class _Duplex:
    """Two one-way pipes used as one connection (``send``, ``recv``, ``close``)."""

    def __init__(self, inbox: Connection, outbox: Connection):
        self.inbox, self.outbox = inbox, outbox

    def send(self, message) -> None:
        self.outbox.send(message)

    def recv(self):
        return self.inbox.recv()

    @property
    def closed(self) -> bool:
        return self.inbox.closed or self.outbox.closed

    def close(self) -> None:
        self.inbox.close()
        self.outbox.close()


def _child_main(read_fd: int, write_fd: int) -> None:
    """The encoding process: read the work, then encode and serve (see :func:`_encode`)."""
    conn = _Duplex(Connection(read_fd, writable=False), Connection(write_fd, readable=False))
    try:
        entry, texts, cache = conn.recv()
    except (EOFError, OSError):  # the run ended before sending the work
        return
    _encode(conn, entry, texts, cache)


def _encode(conn, entry, texts: list[str], cache: bool) -> None:
    """The second process: encode ``texts`` and send progress, then the vectors, or the error."""
    try:
        from claims.engines.batches import encode_in_length_order
        from claims.models import get_encoder

        start = time.perf_counter()

        def progress(total: int) -> Callable[[int], None]:
            conn.send(("total", total, None))
            return lambda n: conn.send(("advance", n, None))

        encoder = get_encoder(entry, cache=cache)
        with warnings.catch_warnings(record=True) as caught:  # shown by the parent, as its own
            warnings.simplefilter("always")
            vectors = encode_in_length_order(encoder, texts, progress)
        conn.send(("warnings", [(w.category, str(w.message)) for w in caught], None))
        conn.send(("vectors", np.ascontiguousarray(vectors, np.float32), time.perf_counter() - start))
    except BaseException as exc:  # reported to the parent, which encodes itself
        try:
            conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}", None))
        except OSError:
            pass  # the parent is gone (interrupted): nothing to report to
        conn.close()
        return
    _serve(conn, encoder)


def _serve(conn, encoder) -> None:
    """Encode what the parent asks for later (clauses, stance parts) until it closes the pipe."""
    try:
        while True:
            request = conn.recv()
            if request is None:
                return
            texts, batch_size = request
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    vectors = np.ascontiguousarray(encoder.encode(texts, batch_size=batch_size), np.float32)
                conn.send(("encoded", vectors, [(w.category, str(w.message)) for w in caught]))
            except Exception as exc:  # the parent encodes this request itself
                conn.send(("error", f"{type(exc).__name__}: {exc}", None))
    except (EOFError, OSError):
        return
    finally:
        conn.close()


class EncodeProcess:
    """The vectors of ``texts``, encoded by a second process from the moment it is created.

    Args:
        entry: the model's :class:`claims.models.ModelEntry` (pickled to the process: its
            loader must be a module-level function, as the registered models' are).
        texts: the sentences, in row order.
        cache: read and fill the on-disk embedding cache, as the run would.
        progress: ``progress(total)`` returns a callback advanced as batches are encoded
            (called from a thread of this process).

    Attributes:
        seconds_: wall time the second process took (loading the model included), once done.
        failure_: why no vectors came back (None when they did).
    """

    def __init__(self, entry, texts: Sequence[str], cache: bool, progress=None):
        if not picklable(entry):
            raise ValueError(f"model {entry.name!r} cannot be loaded in a second process (its loader is not "
                             "a module-level function)")
        self.seconds_: Optional[float] = None
        self.failure_: Optional[str] = None
        self._vectors: Optional[np.ndarray] = None
        self._warnings: list = []
        self._progress = progress
        self._process = None
        to_child, from_child = os.pipe(), os.pipe()  # (read, write) each
        # The child imports what this process imports (the model's loader, this package) from here.
        path = os.pathsep.join(p or os.getcwd() for p in sys.path)
        env = {**os.environ, "PYTHONPATH": path, IN_ENCODE_PROCESS: "1"}
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, str(to_child[0]), str(from_child[1])],
                pass_fds=(to_child[0], from_child[1]), env=env, stdin=subprocess.DEVNULL)
        except OSError as exc:
            self.failure_ = f"could not start the encoding process: {type(exc).__name__}: {exc}"
            for fd in (*to_child, *from_child):
                os.close(fd)
            return
        finally:
            if self._process is not None:  # the child holds its own ends: EOF here when it exits
                os.close(to_child[0])
                os.close(from_child[1])
        self._conn = _Duplex(Connection(from_child[0], writable=False), Connection(to_child[1], readable=False))
        # The work is sent by the reader thread: the child reads it only once started (~1 s).
        self._reader = threading.Thread(target=self._read, args=(self._conn, (entry, list(texts), cache)),
                                        name="claims-encode-reader", daemon=True)
        self._reader.start()

    def _read(self, conn, work) -> None:
        advance: Callable[[int], None] = lambda n: None
        try:
            conn.send(work)
            while True:
                kind, value, extra = conn.recv()
                if kind == "total" and self._progress is not None:
                    advance = self._progress(value)
                elif kind == "advance":
                    advance(value)
                elif kind == "warnings":
                    self._warnings = value
                elif kind == "vectors":
                    self._vectors, self.seconds_ = value, extra
                    return  # the process now serves :meth:`encode`
                elif kind == "error":
                    self.failure_ = f"the encoding process failed: {value}"
                    return
        except (EOFError, OSError) as exc:
            self.failure_ = f"the encoding process ended without its vectors ({type(exc).__name__})"

    def vectors(self) -> Optional[np.ndarray]:
        """The vectors (one row per text), waiting for them; None when the process failed."""
        if self._process is None:
            return None
        self._reader.join()
        if self._vectors is None:
            self.close()
            if self.failure_ is None:
                self.failure_ = f"the encoding process exited with code {self._process.returncode}"
        for category, message in self._warnings:  # the encoder's notices (cache trouble...)
            warnings.warn(message, category, stacklevel=3)
        self._warnings = []
        return self._vectors

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> Optional[np.ndarray]:
        """``texts`` encoded by the process's encoder, after :meth:`vectors`; None when it cannot
        (closed, failed), and the caller encodes them itself."""
        if self._process is None or self._vectors is None or self._conn.closed or self._process.poll() is not None:
            return None
        try:
            self._conn.send((list(texts), batch_size))
            kind, value, caught = self._conn.recv()
        except (EOFError, OSError):
            return None
        for category, message in caught or ():
            warnings.warn(message, category, stacklevel=3)
        return value if kind == "encoded" else None

    def encoder(self, local):
        """An :class:`~embeddings.base.Encoder` that asks this process to encode, and ``local``
        (the run's own encoder, loaded only then) when the process cannot."""
        return _Served(self, local)

    def close(self) -> None:
        """End the process: asked to stop, then stopped if it does not."""
        if self._process is None:
            return
        if not self._conn.closed:
            try:
                self._conn.send(None)
            except (OSError, ValueError):
                pass
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._conn.close()


class _Served(Encoder):
    """The run's encoder for the stages after the grouping's vectors: what the second process
    encodes, with the same encoder object the run would have used, so the same vectors."""

    def __init__(self, process: EncodeProcess, local):
        self._process, self._local = process, local
        self.name, self.dim = local.name, local.dim

    @property
    def cache_key(self) -> str:
        return self._local.cache_key

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress=None) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of strings, not a single string")
        texts = list(texts)
        vectors = self._process.encode(texts, batch_size) if texts else None
        if vectors is None:
            return self._local.encode(texts, batch_size=batch_size, progress=progress)
        if progress is not None:
            progress(len(texts))
        return vectors


__all__ = ["IN_ENCODE_PROCESS", "MIN_SENTENCES", "EncodeProcess", "picklable", "worth_a_second_process"]
