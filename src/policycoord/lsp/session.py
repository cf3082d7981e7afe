"""The editor's session: the workspace held between edits (re-reading only
the file that changed), the documents the editor has open, and their
diagnostics: the findings of the whole partnership, each in the file it is
in, with the related places in other files.

No protocol I/O here (server.py sends and receives): a session turns texts
into checks and checks into the protocol's Diagnostics.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from policycoord.core.about import REPOSITORY_URL, RULES_DOCS
from policycoord.core.findings import Finding, Location, Severity
from policycoord.core.text import visible
from policycoord.lsp.symbols import Index, index
from policycoord.lsp.text import Lines
from policycoord.workflows.workspace import Checked, Workspace

_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


class Session:
    """One workspace and the editor's open documents."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.texts: dict[str, str] = {}  # display path -> the editor's text
        self.published: dict[str, list[types.Diagnostic]] = {}  # uri -> last sent
        self.checked: Checked | None = None
        self._index: tuple[int, Index] | None = None
        self._lock = threading.Lock()
        self._handed: set[str] = set()  # files the workspace reads from a text handed in
        #: files not open: what their last published diagnostics were made from
        self._closed: dict[str, tuple[object, ...]] = {}

    # -- paths --------------------------------------------------------------

    def display(self, uri: str) -> str | None:
        """The display path of a document under the workspace, or None."""
        path = to_fs_path(uri)
        if path is None:
            return None
        shown = self.workspace.display(path)
        return None if shown.startswith("../") or shown == ".." else shown

    def uri(self, display: str) -> str:
        return from_fs_path(str(self.workspace.path(display))) or display

    def text_of(self, display: str) -> str:
        """A file's text as the editor has it, else as it is on disk ("" if unreadable)."""
        if display in self.texts:
            return self.texts[display]
        try:
            return self.workspace.path(display).read_bytes().decode("utf-8", "replace")
        except OSError:
            return ""

    # -- checking -----------------------------------------------------------

    def start(self) -> Checked:
        self.checked = self.workspace.check()
        return self.checked

    def update(self, display: str, text: str | None) -> Checked:
        """Check with the editor's text for one file (None: the file on disk
        again); only that file is read again. A text equal to the file's
        bytes needs no check of its own."""
        with self._lock:
            file = self.workspace.path(display)
            if text is not None:
                self.texts[display] = text
            else:
                self.texts.pop(display, None)
            if text is None or self._same_as_disk(display, text):
                if display not in self._handed and self.checked is not None:
                    return self.checked  # the workspace reads the file already
                self._handed.discard(display)
                self.checked = self.workspace.set_text(file, None)
                return self.checked
            self._handed.add(display)
            # a lone surrogate (half an emoji) is kept as the bytes it was: PC001 says so
            self.checked = self.workspace.set_text(file, text.encode("utf-8", "surrogatepass"))
            return self.checked

    def recheck(self) -> Checked:
        """Notice files changed on disk (a save, a `git pull`)."""
        with self._lock:
            self.checked = self.workspace.check()
            return self.checked

    def _same_as_disk(self, display: str, text: str) -> bool:
        try:
            same = self.workspace.path(display).read_bytes() == text.encode(
                "utf-8", "surrogatepass"
            )
        except OSError:
            return False
        return same

    def latest(self) -> Checked:
        return self.checked if self.checked is not None else self.start()

    def index(self) -> Index:
        checked = self.latest()
        if self._index is None or self._index[0] != checked.generation:
            self._index = (checked.generation, index(checked.model))
        return self._index[1]

    # -- diagnostics --------------------------------------------------------

    def findings_in(self, display: str) -> list[Finding]:
        return [f for f in self.latest().report.findings if f.location.path == display]

    def diagnostics(
        self, display: str, findings: list[Finding] | None = None
    ) -> list[types.Diagnostic]:
        lines = Lines.of(self.text_of(display))
        if findings is None:
            findings = self.findings_in(display)
        return [self.diagnostic(finding, lines) for finding in findings]

    def changes(self, open_uris: Iterable[str]) -> list[tuple[str, list[types.Diagnostic]]]:
        """The diagnostics to publish after a check: for every open document
        whose diagnostics changed, and for every other file of the workspace
        whose findings changed (once at the start, then as edits elsewhere
        fix or break them: the council's rename underlines the school's file
        in the editor's list of problems even when it is not open)."""
        by_path: dict[str, list[Finding]] = {}
        for finding in self.latest().report.findings:
            by_path.setdefault(finding.location.path, []).append(finding)
        opened = {d: uri for uri in open_uris if (d := self.display(uri)) is not None}
        out: list[tuple[str, list[types.Diagnostic]]] = []
        for display, uri in opened.items():
            self._closed.pop(display, None)
            diagnostics = self.diagnostics(display, by_path.get(display, []))
            if self.published.get(uri) != diagnostics:
                self.published[uri] = diagnostics
                out.append((uri, diagnostics))
        for display in sorted(set(by_path) | set(self._closed)):
            if display in opened:
                continue
            findings = by_path.get(display, [])
            key = tuple((f.fingerprint, f.location, f.message, f.severity) for f in findings)
            if self._closed.get(display, ()) == key and display in self._closed:
                continue
            self._closed[display] = key
            out.append((self.uri(display), self.diagnostics(display, findings)))
        return out

    def diagnostic(self, finding: Finding, lines: Lines) -> types.Diagnostic:
        location = finding.location
        parts = [finding.message]
        if finding.suggestion:
            parts.append(finding.suggestion)
        if finding.fix is not None:
            parts.append(f"Fix ({finding.fix.kind}): {finding.fix.description}")
        # controls and bidi in the policy's text shown, never obeyed by the
        # editor; the line breaks between the parts are policycoord's own
        message = "\n".join(visible(part) for part in parts)
        return types.Diagnostic(
            range=lines.range_at(location.line, location.column),
            message=message,
            severity=_SEVERITIES[finding.severity],
            code=finding.code,
            code_description=types.CodeDescription(href=_rule_url(finding)),
            source="policycoord",
            related_information=[self.related(place) for place in finding.related] or None,
            data={"fingerprint": finding.fingerprint},
        )

    def related(self, place: Location) -> types.DiagnosticRelatedInformation:
        return types.DiagnosticRelatedInformation(
            location=self.location(place), message=f"See {place.path}:{place.line}"
        )

    def location(self, place: Location) -> types.Location:
        lines = Lines.of(self.text_of(place.path))
        return types.Location(
            uri=self.uri(place.path), range=lines.range_at(place.line, place.column)
        )


def _rule_url(finding: Finding) -> str:
    anchor = f"{finding.code}-{finding.name}".lower()
    return f"{REPOSITORY_URL}/blob/main/{RULES_DOCS}#{anchor}"
