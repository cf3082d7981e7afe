"""The protocol: pygls features over standard input and output.

Edits are checked in the background, one check at a time, latest text
first: a change is noted at once and the check that follows takes every
change made meanwhile, so typing never queues a check per keystroke. After
each check, every open document whose diagnostics changed gets them (a
change in one file can fix or break another: a renamed role, a concern's
timeframe). Nothing a request does can reach the editor as a Python
traceback: an error is one line in the editor's log (window/logMessage)
and on standard error, and the request gets an empty answer. A request
whose parameters do not fit its method gets an Invalid params error with
its id (protocol.py), never silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar, cast

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from policycoord.core.about import __version__
from policycoord.core.errors import PolicycoordError
from policycoord.lsp import answers, hover
from policycoord.lsp.protocol import Protocol, answer_unparsable
from policycoord.lsp.session import Session
from policycoord.workflows.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


class PolicyServer(LanguageServer):
    """pygls's server, with one Session and the background check."""

    def __init__(self, partnership: str | None = None) -> None:
        super().__init__("policycoord", __version__, protocol_cls=Protocol)
        self.partnership = partnership
        self.session: Session | None = None
        self.pending: dict[str, str | None] = {}  # display path -> text (None: closed)
        self.recheck = False  # files may have changed on disk (a save, a `git pull`)
        self.wake: asyncio.Event | None = None
        self.checker: asyncio.Task[None] | None = None

    def report_server_error(self, error: Exception, source: Any) -> None:
        """A body that is not JSON gets a parse error; anything else, a line
        in the log (pygls would show it in a pop-up)."""
        if not answer_unparsable(cast(Protocol, self.protocol), error):
            self.say(f"a message could not be handled ({type(error).__name__})")

    def say(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        """One line to the editor's log and to standard error; never a traceback."""
        line = message.replace("\n", " ")[:500]
        sys.stderr.write(f"policycoord lsp: {line}\n")
        with contextlib.suppress(Exception):  # the editor has gone: standard error has it
            self.window_log_message(types.LogMessageParams(type=kind, message=line))


server_holder: list[PolicyServer] = []


def guarded(default: Callable[[], Any]) -> Callable[[F], F]:
    """A handler whose errors become a line in the log and `default()`."""

    def wrap(handler: F) -> F:
        @functools.wraps(handler)
        def run(ls: PolicyServer, params: Any) -> Any:
            try:
                return handler(ls, params)
            except ValueError as error:  # a request the user can correct (a bad new name)
                ls.say(str(error), types.MessageType.Error)
                with contextlib.suppress(Exception):
                    ls.window_show_message(
                        types.ShowMessageParams(type=types.MessageType.Error, message=str(error))
                    )
                return default()
            except Exception as error:
                ls.say(f"{handler.__name__} failed ({type(error).__name__}: {error})")
                return default()

        return cast(F, run)

    return wrap


def build(partnership: str | None = None) -> PolicyServer:
    ls = PolicyServer(partnership)
    _documents(ls)
    _requests(ls)
    return ls


def _session(ls: PolicyServer, uri: str | None = None) -> Session | None:
    """The session, made from the workspace root (or the first document's
    folder) the first time; None when there is no partnership file."""
    if ls.session is not None:
        return ls.session
    from pygls.uris import to_fs_path

    start = ls.workspace.root_path or "."
    if uri is not None and (path := to_fs_path(uri)) is not None:
        start = path
    try:
        ls.session = Session(Workspace(start, partnership=ls.partnership))
    except PolicycoordError as error:
        ls.say(str(error))
        return None
    return ls.session


def _note(ls: PolicyServer, uri: str, text: str | None) -> None:
    session = _session(ls, uri)
    if session is None:
        return
    display = session.display(uri)
    if display is None:
        return
    ls.pending[display] = text
    _wake(ls)


def _wake(ls: PolicyServer) -> None:
    if ls.wake is None:
        ls.wake = asyncio.Event()
        ls.checker = asyncio.get_running_loop().create_task(_check_forever(ls))
    ls.wake.set()


async def _check_forever(ls: PolicyServer) -> None:
    assert ls.wake is not None
    loop = asyncio.get_running_loop()
    while True:
        await ls.wake.wait()
        ls.wake.clear()
        batch, ls.pending = ls.pending, {}
        recheck, ls.recheck = ls.recheck, False
        session = ls.session
        if session is None:
            continue
        try:
            await loop.run_in_executor(None, _apply, session, batch, recheck)
            _publish(ls, session)
        except Exception as error:
            ls.say(f"the check failed ({type(error).__name__}: {error})")


def _apply(session: Session, batch: dict[str, str | None], recheck: bool) -> None:
    if session.checked is None:
        session.start()
    elif recheck:
        session.recheck()
    for display, text in batch.items():
        session.update(display, text)


def _publish(ls: PolicyServer, session: Session) -> None:
    """Diagnostics for every open document, and every other file of the
    workspace, whose diagnostics changed (Session.changes)."""
    for uri, diagnostics in session.changes(list(ls.workspace.text_documents)):
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
        )


def _documents(ls: PolicyServer) -> None:
    @ls.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded(lambda: None)
    def did_open(ls: PolicyServer, params: types.DidOpenTextDocumentParams) -> None:
        _note(ls, params.text_document.uri, params.text_document.text)

    @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(lambda: None)
    def did_change(ls: PolicyServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        _note(ls, uri, ls.workspace.get_text_document(uri).source)

    @ls.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded(lambda: None)
    def did_save(ls: PolicyServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.recheck = True
        _note(ls, uri, ls.workspace.get_text_document(uri).source)

    @ls.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded(lambda: None)
    def files_changed(ls: PolicyServer, params: types.DidChangeWatchedFilesParams) -> None:
        if ls.session is not None:
            ls.recheck = True
            _wake(ls)

    @ls.feature(types.INITIALIZED)
    @guarded(lambda: None)
    def initialized(ls: PolicyServer, params: types.InitializedParams) -> None:
        """Ask to hear of policy files changed outside the editor, where the
        editor lets a server ask."""
        workspace = ls.client_capabilities.workspace
        watching = workspace.did_change_watched_files if workspace is not None else None
        if watching is None or not watching.dynamic_registration:
            return
        watchers = [types.FileSystemWatcher(glob_pattern="**/*.{yaml,yml}")]
        registration = types.Registration(
            id="policycoord-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        ls.client_register_capability(types.RegistrationParams(registrations=[registration]))

    @ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(lambda: None)
    def did_close(ls: PolicyServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        _note(ls, uri, None)
        if ls.session is not None:
            ls.session.published.pop(uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


def _at(ls: PolicyServer, uri: str) -> tuple[Session, str] | None:
    """The session and the document's display path, once the first check
    is done (a request never waits for it, nor starts one of its own)."""
    session = ls.session
    if session is None or session.checked is None:
        return None
    display = session.display(uri)
    return (session, display) if display is not None else None


def _live(ls: PolicyServer, uri: str) -> str:
    return ls.workspace.get_text_document(uri).source


def _current(ls: PolicyServer, uri: str) -> tuple[Session, str] | None:
    """As _at, but only when the last check read the editor's newest text:
    edits worked out on an older text would land on the wrong lines."""
    where = _at(ls, uri)
    if where is None or uri not in ls.workspace.text_documents:
        return where
    session, display = where
    if session.text_of(display) != _live(ls, uri) or display in ls.pending:
        return None
    return where


def _requests(ls: PolicyServer) -> None:
    @ls.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded(lambda: None)
    def on_hover(ls: PolicyServer, params: types.HoverParams) -> types.Hover | None:
        where = _at(ls, params.text_document.uri)
        if where is None:
            return None
        return hover.hover(*where, params.position, _live(ls, params.text_document.uri))

    @ls.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[" ", "/", ",", "["]),
    )
    @guarded(lambda: types.CompletionList(is_incomplete=False, items=[]))
    def completion(ls: PolicyServer, params: types.CompletionParams) -> types.CompletionList:
        where = _at(ls, params.text_document.uri)
        if where is None:
            return types.CompletionList(is_incomplete=False, items=[])
        return answers.completion(*where, params.position, _live(ls, params.text_document.uri))

    @ls.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded(lambda: None)
    def definition(ls: PolicyServer, params: types.DefinitionParams) -> types.Location | None:
        where = _at(ls, params.text_document.uri)
        return answers.definition(*where, params.position) if where else None

    @ls.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guarded(list)
    def references(ls: PolicyServer, params: types.ReferenceParams) -> list[types.Location]:
        where = _at(ls, params.text_document.uri)
        if where is None:
            return []
        declaration = params.context.include_declaration
        return answers.references(*where, params.position, declaration=declaration)

    @ls.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded(lambda: None)
    def prepare_rename(ls: PolicyServer, params: types.PrepareRenameParams) -> Any:
        where = _at(ls, params.text_document.uri)
        return answers.prepare_rename(*where, params.position) if where else None

    @ls.feature(types.TEXT_DOCUMENT_RENAME)
    @guarded(lambda: None)
    def rename(ls: PolicyServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        where = _current(ls, params.text_document.uri)
        return answers.rename(*where, params.position, params.new_name) if where else None

    @ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=list(answers.CODE_ACTION_KINDS)),
    )
    @guarded(list)
    def code_action(ls: PolicyServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        where = _current(ls, params.text_document.uri)
        only = params.context.only
        return answers.code_actions(*where, params.range, only) if where else []


class _OneLine(logging.Formatter):
    """pygls's own log lines, without tracebacks or the request's parameters
    (a pasted 5 MB document must not be written back to the log)."""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_info = None
        record.exc_text = None
        message = str(record.msg)
        if record.args:  # the parameters (a whole document) are left out
            message = message.replace("%s", "…").replace("%r", "…")
        return f"policycoord lsp: {record.levelname.lower()}: {message[:300]}"

    def formatException(self, ei: Any) -> str:
        return ""


def serve(partnership: str | None = None) -> None:
    """Serve over standard input and output until the editor exits."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)
    build(partnership).start_io()
