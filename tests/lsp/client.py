"""A language-server client for the tests: `python -m policycoord lsp` in a
subprocess, spoken to as an editor does (JSON-RPC with Content-Length
framing over its standard input and output). A thread reads what the server
sends; tests wait for a response or a notification with a deadline."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[2] / "src"


class Client:
    def __init__(self, root: Path, *, env: dict[str, str] | None = None) -> None:
        environment = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "policycoord", "lsp"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self.responses: dict[int, dict[str, Any]] = {}
        self._next = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.stderr = b""
        self._err = threading.Thread(target=self._read_err, daemon=True)
        self._err.start()

    # -- wire -------------------------------------------------------------

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send_raw(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.messages.put(json.loads(stream.read(length)))

    def _read_err(self) -> None:
        stream = self.process.stderr
        assert stream is not None
        for line in stream:
            self.stderr += line

    def _pump(self, timeout: float) -> bool:
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            return False
        if "id" in message and "method" not in message:
            self.responses[message["id"]] = message
        elif "method" in message and "id" in message:  # a request from the server
            self.send({"id": message["id"], "result": None})
            self.notifications.append(message)
        else:
            self.notifications.append(message)
        return True

    # -- requests and notifications ----------------------------------------

    def request(self, method: str, params: Any, timeout: float = 30) -> dict[str, Any]:
        self._next += 1
        number = self._next
        self.send({"id": number, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while number not in self.responses:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(
                    f"no answer to {method} in {timeout} s; stderr: {self.stderr[-2000:]!r}"
                )
            self._pump(left)
        return self.responses.pop(number)

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def initialize(self) -> dict[str, Any]:
        answer = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": self.root.as_uri(),
                "capabilities": {
                    "textDocument": {
                        "publishDiagnostics": {"relatedInformation": True},
                        "rename": {"prepareSupport": True},
                    },
                    "workspace": {
                        "workspaceEdit": {"documentChanges": False},
                        "didChangeWatchedFiles": {"dynamicRegistration": True},
                    },
                },
            },
        )
        self.notify("initialized", {})
        return answer

    def uri(self, relative: str) -> str:
        return (self.root / relative).as_uri()

    def open(self, relative: str, text: str | None = None) -> str:
        uri = self.uri(relative)
        if text is None:
            text = (self.root / relative).read_text(encoding="utf-8")
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        return uri

    def change(self, relative: str, text: str, version: int = 2) -> None:
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": self.uri(relative), "version": version},
                "contentChanges": [{"text": text}],
            },
        )

    def diagnostics(
        self, relative: str, *, after: int = 0, timeout: float = 60, where: Any = None
    ) -> tuple[int, list[dict[str, Any]]]:
        """The first diagnostics published for a file after notification
        number `after` (that `where` accepts, if given): (its number, them)."""
        uri = self.uri(relative)
        deadline = time.monotonic() + timeout
        while True:
            for number, message in enumerate(self.notifications):
                if number < after or message.get("method") != "textDocument/publishDiagnostics":
                    continue
                if message["params"]["uri"] != uri:
                    continue
                found = message["params"]["diagnostics"]
                if where is None or where(found):
                    return number + 1, found
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(
                    f"no diagnostics for {relative}; stderr: {self.stderr[-2000:]!r}"
                )
            self._pump(min(left, 0.5))

    def wait_for(self, method: str, timeout: float = 30) -> dict[str, Any]:
        """The first notification (or request) from the server of `method`."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.notifications:
                if message.get("method") == method:
                    return message
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {method} from the server in {timeout} s")
            self._pump(min(left, 0.5))

    def mark(self) -> int:
        """The number of notifications so far (for `diagnostics(after=...)`)."""
        while self._pump(0):
            pass
        return len(self.notifications)

    def close(self) -> int:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            return self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()
            raise
        finally:
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()
