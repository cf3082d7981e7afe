"""JSON-RPC's own rules, over standard input and output with raw messages:
a request whose parameters do not fit its method gets an error answer with
its id (-32602), a body that is not JSON a parse error (-32700, id null),
and the server goes on answering."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.lsp.client import Client

SCHOOL = "orgs/st-marys-primary.yaml"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Client]:
    shutil.copytree(EXAMPLES, tmp_path / "policies")
    started = Client(tmp_path / "policies")
    started.initialize()
    try:
        yield started
    finally:
        if started.process.poll() is None:
            assert started.close() == 0
        assert b"Traceback" not in started.stderr


def _answer(client: Client, number: int | str | None, timeout: float = 20) -> dict:
    import time

    deadline = time.monotonic() + timeout
    while number not in client.responses:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no answer for id {number!r}; stderr: {client.stderr[-1500:]!r}")
        client._pump(min(left, 0.5))
    return client.responses.pop(number)


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"textDocument": {"uri": "file:///x.yaml"}}, id="position-missing"),
        pytest.param(
            {"textDocument": {"uri": "file:///x.yaml"}, "position": {"line": "x", "character": 0}},
            id="line-as-text",
        ),
        pytest.param({"textDocument": 7, "position": {"line": 0, "character": 0}}, id="uri-wrong"),
        pytest.param(None, id="no-params"),
    ],
)
def test_invalid_params_get_an_error_with_the_same_id(client: Client, params: object) -> None:
    client.send({"id": 900, "method": "textDocument/hover", "params": params})
    answer = _answer(client, 900)
    assert answer["error"]["code"] == -32602, answer
    assert "result" not in answer
    # still serving: a good request after it is answered
    uri = client.open(SCHOOL)
    good = client.request(
        "textDocument/hover",
        {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}},
    )
    assert "error" not in good


def test_a_string_id_is_answered_with_that_id(client: Client) -> None:
    client.send({"id": "abc", "method": "textDocument/completion", "params": {"x": 1}})
    answer = _answer(client, "abc")
    assert answer["error"]["code"] == -32602


def test_a_body_that_is_not_json_gets_a_parse_error(client: Client) -> None:
    body = b"{not json"
    client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    answer = _answer(client, None)
    assert answer["error"]["code"] == -32700
    assert answer["id"] is None
    assert client.request("shutdown", None)["result"] is None
    client.notify("exit", None)
    assert client.process.wait(timeout=10) == 0
