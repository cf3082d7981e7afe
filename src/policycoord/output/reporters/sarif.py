"""`--format sarif` (also chosen by `-o FILE.sarif`): SARIF 2.1.0 for code
scanning (GitHub's `upload-sarif`, Azure DevOps, the VS Code SARIF viewer).

One run. `tool.driver.rules[]` holds every rule of the catalogue, sorted by
code, whatever ran, so that `ruleIndex` is stable from run to run: `id` (the
code), `name`, `shortDescription` (the summary line), `fullDescription` (the
"What it does" section as plain text), `help` (the whole documentation, as
plain text and as Markdown), `helpUri` (the rule's section of docs/rules.md,
`catalogue.anchor`) and `defaultConfiguration.level` (the default severity).

Each finding is a result: `level` from the finding's severity as the engine
stamped it (error -> `error`, warning -> `warning`, info -> `note`),
`message.text` (with a link to each related location, SARIF §3.11.6, which is
how GitHub shows them), the location with a relative `uri` (the finding's
path, percent-encoded as a URI reference) against `uriBaseId` `ROOT`,
`relatedLocations`,
`partialFingerprints["policycoord/v1"]` (the finding's fingerprint), the
organisation and suggestion as properties, and, for a finding with a safe
fix, `fixes` (SARIF §3.55: the fix's description and, per file, the
characters it replaces and their replacement, from
`RenderOptions.fix_changes`, which the run works out from the files with
`editing.text_changes`; the reporter reads no file). Columns count Unicode code points
(`columnKind`), as the loader does.

`ROOT` is the root of the git repository that holds partnership.yaml, as
GitHub code scanning reads a relative `uri` against the repository's root
(it does not resolve `originalUriBaseIds`): with partnership.yaml in a
sub-folder, each `uri` starts with that folder (`policies/orgs/...`), which
the run found and passed in `RenderOptions.repository_prefix`. Outside a git
repository `ROOT` is the folder of partnership.yaml, and the `uri` is the
path the other formats show. `originalUriBaseIds` describes `ROOT` in words,
never with an absolute URI, so the report names no machine's folders.

Findings that a waiver or the baseline accepted are results too, with an
`external` suppression whose status is `accepted` and whose justification
is the waiver's reason (or the baseline file), so code scanning shows them
as dismissed rather than losing them.

User text is shown with `shown()` (controls and invisible characters as
`\\xNN` / `<U+XXXX>`), since code scanning displays it to people; in plain
text messages `\\`, `[` and `]` are escaped with a backslash and `{`, `}`
doubled, so that a name can make neither an embedded link (SARIF §3.11.6)
nor a placeholder (§3.11.5). The JSON text is written by
`json_report.dumps`. No timestamps and no absolute paths: the same inputs
give byte-identical output.

No `automationDetails`: GitHub's upload-sarif sets the run's category there
only when a run has none. Microsoft's SARIF multitool reads every report in
tests/output/reporters/test_sarif_multitool.py, which says which of its
notes are not followed and why.
"""

from __future__ import annotations

import re
from typing import Any, Final
from urllib.parse import quote

from policycoord.core.about import RULES_DOCS, TOOL_NAME
from policycoord.core.findings import (
    Finding,
    Location,
    Report,
    RuleInfo,
    Severity,
    Suppressed,
    TextChange,
)
from policycoord.core.text import shown
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters.json_report import dumps

SCHEMA_URI: Final = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION: Final = "2.1.0"
INFORMATION_URI: Final = "https://github.com/policycoord/policycoord"
DOCS_URI: Final = f"{INFORMATION_URI}/blob/main/{RULES_DOCS}"
ROOT: Final = "ROOT"
FINGERPRINT_KEY: Final = "policycoord/v1"

LEVELS: Final = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def help_uri(rule: RuleInfo) -> str:
    """The rule's section of docs/rules.md on GitHub."""
    return f"{DOCS_URI}#{rule.anchor}"


def _plain_paragraphs(markdown: str) -> str:
    """Markdown prose as plain text: hard-wrapped lines joined, list items
    kept on their own lines, inline code marks dropped."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines: list[str] = []
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith(("- ", "* ")) or not lines:
                lines.append(line)
            else:
                lines[-1] += " " + line
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs).replace("`", "")


def _plain_documentation(markdown: str) -> str:
    """A rule's documentation as plain text: headings without their marks,
    code blocks indented by four spaces, inline code marks dropped."""
    out = []
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif in_code:
            out.append(f"    {line}" if line else "")
        elif line.startswith("#"):
            out.append(line.lstrip("#").strip())
        else:
            out.append(line.replace("`", ""))
    return "\n".join(out).strip() + "\n"


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    documentation = rule.documentation()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": _plain_paragraphs(rule.what_it_does())},
        "help": {
            "text": _plain_documentation(documentation),
            "markdown": documentation.strip() + "\n",
        },
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": LEVELS[rule.default_severity]},
        "properties": {"tags": [rule.family]},
    }


def artifact_uri(path: str) -> str:
    """A relative path (with `/`) as a relative URI reference: every byte
    outside the unreserved characters and `/` percent-encoded (a `:` too, so
    that no first segment reads as a scheme). A lone surrogate (a byte that
    is not UTF-8) gets its original byte back; discovery already names such
    a file with `\\xNN` (`discovery.display_path`), which is what reports show."""
    return quote(path, safe="/", errors="surrogateescape")


_LINK_CHARACTERS: Final = re.compile(r"([\\\[\]])")


def _message_text(text: str) -> str:
    """Text for a SARIF message object, shown: `\\`, `[` and `]` escaped with
    a backslash (no embedded link can come from user text, SARIF §3.11.6) and
    `{`, `}` doubled (no placeholder either, §3.11.5)."""
    escaped = _LINK_CHARACTERS.sub(r"\\\1", shown(text))
    return escaped.replace("{", "{{").replace("}", "}}")


def _physical(location: Location, options: RenderOptions) -> dict[str, Any]:
    uri = artifact_uri(options.in_repository(location.path))
    return {
        "artifactLocation": {"uri": uri, "uriBaseId": ROOT},
        "region": {"startLine": location.line, "startColumn": location.column},
    }


def _location(location: Location, options: RenderOptions) -> dict[str, Any]:
    """A result's location; in a workbook, the cell (`Roles!C4`) in its
    properties beside the row and column number as line and column."""
    found: dict[str, Any] = {"physicalLocation": _physical(location, options)}
    if location.cell:
        found["properties"] = {"cell": location.cell}
    return found


def _where(location: Location) -> str:
    where = str(location)
    return f"{where} ({location.pointer})" if location.pointer else where


def _result(finding: Finding, rule_index: dict[str, int], options: RenderOptions) -> dict[str, Any]:
    message = _message_text(finding.message)
    if finding.related:
        links = ", ".join(
            f"[{_message_text(str(related))}]({number})"
            for number, related in enumerate(finding.related, start=1)
        )
        message += f" See also: {links}."
    result: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    result |= {
        "level": LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [_location(finding.location, options)],
    }
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": _physical(related, options),
                "message": {"text": _message_text(f"Related place: {_where(related)}")},
            }
            for number, related in enumerate(finding.related, start=1)
        ]
    result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    changes = options.fix_changes.get(finding.fingerprint)
    if changes and finding.fix is not None:
        result["fixes"] = [_fix(finding.fix.description, changes, options)]
    result["properties"] = {
        "organisation": None if finding.organisation is None else shown(finding.organisation),
        "suggestion": shown(finding.suggestion),
    }
    return result


def _fix(
    description: str, changes: tuple[TextChange, ...], options: RenderOptions
) -> dict[str, Any]:
    """A safe fix (SARIF §3.55): per file, the characters it replaces
    (`deletedRegion`, the end exclusive) and the text put there."""
    by_path: dict[str, list[TextChange]] = {}
    for change in changes:
        by_path.setdefault(change.path, []).append(change)
    return {
        "description": {"text": _message_text(description)},
        "artifactChanges": [
            {
                "artifactLocation": {
                    "uri": artifact_uri(options.in_repository(path)),
                    "uriBaseId": ROOT,
                },
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": change.line,
                            "startColumn": change.column,
                            "endLine": change.end_line,
                            "endColumn": change.end_column,
                        },
                        "insertedContent": {"text": change.inserted},
                    }
                    for change in found
                ],
            }
            for path, found in sorted(by_path.items())
        ],
    }


def _suppression(report: Report, suppressed: Suppressed, options: RenderOptions) -> dict[str, Any]:
    waiver = suppressed.waiver
    if waiver is None:
        baseline = f" {report.baseline}" if report.baseline else ""
        return {
            "kind": "external",
            "status": "accepted",
            "justification": shown(f"In the baseline file{baseline}."),
        }
    return {
        "kind": "external",
        "status": "accepted",
        "justification": shown(waiver.reason),
        "location": {"physicalLocation": _physical(waiver.location, options)},
        "properties": {
            "approvedBy": [shown(approver) for approver in waiver.approved_by],
            "expires": waiver.expires,
        },
    }


def _root_description(prefix: str | None) -> str:
    if prefix is None:
        return "The folder of partnership.yaml"
    if not prefix:
        return "The root of the git repository, the folder of partnership.yaml"
    return f"The root of the git repository; partnership.yaml is in {shown(prefix)}"


def document(report: Report, options: RenderOptions | None = None) -> dict[str, Any]:
    """The SARIF log as plain data, keys in a fixed order."""
    options = options or RenderOptions()
    rules = sorted(report.rules, key=lambda rule: rule.code)  # a rule's position: its ruleIndex
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    results = [_result(finding, rule_index, options) for finding in report.findings]
    for suppressed in report.suppressed:
        result = _result(suppressed.finding, rule_index, options)
        result["suppressions"] = [_suppression(report, suppressed, options)]
        results.append(result)
    return {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": report.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_descriptor(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {
                    ROOT: {"description": {"text": _root_description(options.repository_prefix)}}
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render(report: Report, options: RenderOptions) -> str:
    return dumps(document(report, options))
