"""JSON-RPC as the specification has it, where pygls falls short: a request
whose parameters do not fit its method (a hover without a position, a line
given as text) gets an error response with its id (-32602, Invalid params)
instead of no answer at all, and a body that is not JSON gets a parse
error (-32700, with a null id, as JSON-RPC 2.0 §5 says). The server keeps
running either way. A notification that does not fit is dropped, as a
notification has no answer.
"""

from __future__ import annotations

import json
from typing import Any

from lsprotocol.types import ResponseError
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcParseError
from pygls.protocol import LanguageServerProtocol


class _Unreadable:
    """What a message that could not be read becomes: handled by nothing."""


UNREADABLE = _Unreadable()


def _request_id(data: dict[str, Any]) -> int | str | None:
    """The id to answer with: the request's, when it is one an answer can carry."""
    value = data.get("id")
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    return value


class Protocol(LanguageServerProtocol):
    """pygls's protocol, answering every request it cannot read."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if "method" in data and "id" in data:  # a request: it must get an answer
                invalid = JsonRpcInvalidParams(
                    message=f"Invalid params for {str(data['method'])[:80]}"
                )
                answer = error if not isinstance(error, JsonRpcInvalidParams) else invalid
                self.answer_error(_request_id(data), answer.to_response_error())
            return UNREADABLE

    def handle_message(self, message: Any) -> None:
        if message is UNREADABLE:
            return
        super().handle_message(message)

    def answer_error(self, msg_id: int | str | None, error: ResponseError) -> None:
        """An error response; written as plain data, so that a null id is
        sent as `"id": null` (pygls's converter would leave it out)."""
        shown = {"code": error.code, "message": error.message}
        self._send_data({"jsonrpc": "2.0", "id": msg_id, "error": shown})


def answer_unparsable(protocol: Protocol, error: Exception) -> bool:
    """A parse error sent for a body that is not JSON; True when it was one."""
    if not isinstance(error, json.JSONDecodeError | UnicodeDecodeError):
        return False
    protocol.answer_error(None, JsonRpcParseError().to_response_error())
    return True
