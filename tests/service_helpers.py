"""A real `claims serve` on 127.0.0.1 for the service tests: a subprocess on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python cli.py serve`` with ``args``, started and waited for; ``stop()`` ends it."""

    def __init__(self, store: Path, log: Path, *args: str, token: str | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = token
        env = dict(os.environ)
        if token:
            env["CLAIMS_TOKEN"] = token
        self.log = log
        self._log_file = open(log, "wb")
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "cli.py"), "serve", "--store", str(store), "--port", str(self.port), *args],
            cwd=REPO, env=env, stdout=self._log_file, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout  # the model loads before the port opens; slow on a busy machine
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"claims serve exited with {self.process.returncode}: {self.log.read_text()}")
            try:
                if self.client().get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"claims serve did not answer within {timeout} s: {self.log.read_text()}")

    def client(self, token: str | None = "default", **kwargs) -> httpx.Client:
        """An HTTP client on the server, sending the server's token unless told otherwise."""
        token = self.token if token == "default" else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120, **kwargs)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_file.close()
