"""`policycoord lsp` driven as an editor drives it: a subprocess spoken to
over standard input and output with JSON-RPC (tests/lsp/client.py), on a
copy of the example partnership."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.lsp.client import Client

SCHOOL = "orgs/st-marys-primary.yaml"
COUNCIL = "orgs/northshire-cs.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "policies")
    return tmp_path / "policies"


@pytest.fixture
def client(repo: Path) -> Iterator[Client]:
    started = Client(repo)
    started.initialize()
    try:
        yield started
    finally:
        if started.process.poll() is None:
            assert started.close() == 0
        assert b"Traceback" not in started.stderr, started.stderr.decode("utf-8", "replace")


def codes(diagnostics: list[dict]) -> list[str]:
    return [d["code"] for d in diagnostics]


def at(client: Client, relative: str, line: int, character: int) -> dict:
    return {
        "textDocument": {"uri": client.uri(relative)},
        "position": {"line": line, "character": character},
    }


def where(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """0-based line and character of the `occurrence`th `needle` in `text`."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)


def test_initialize_offers_every_feature(repo: Path) -> None:
    started = Client(repo)
    capabilities = started.initialize()["result"]["capabilities"]
    for feature in (
        "hoverProvider",
        "completionProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "codeActionProvider",
    ):
        assert capabilities.get(feature), feature
    assert started.close() == 0


def test_open_gives_the_files_findings_with_positions(client: Client, repo: Path) -> None:
    client.open(SCHOOL)
    _, found = client.diagnostics(SCHOOL)
    expected = [
        f for f in _check(repo) if f["path"] == SCHOOL
    ]  # what `policycoord check` reports for the file
    assert codes(found) == [f["code"] for f in expected]
    for diagnostic, finding in zip(found, expected, strict=True):
        assert diagnostic["range"]["start"]["line"] == finding["line"] - 1
        assert diagnostic["source"] == "policycoord"
        assert diagnostic["message"].startswith(finding["message"])


def _check(repo: Path) -> list[dict]:
    import json
    import subprocess
    import sys

    from tests.lsp.client import SRC

    done = subprocess.run(
        [sys.executable, "-m", "policycoord", "check", "-f", "json"],
        cwd=repo,
        capture_output=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    findings: list[dict] = json.loads(done.stdout)["findings"]
    return findings


def test_an_unknown_role_gives_pc201_within_a_second(client: Client, repo: Path) -> None:
    text = (repo / SCHOOL).read_text(encoding="utf-8")
    client.open(SCHOOL, text)
    mark, before = client.diagnostics(SCHOOL)
    assert "PC201" not in codes(before)
    changed = text.replace("to: northshire-cs/mash", "to: northshire-cs/front-door", 1)
    started = time.monotonic()
    client.change(SCHOOL, changed)
    _, after = client.diagnostics(SCHOOL, after=mark, where=lambda d: "PC201" in codes(d))
    assert time.monotonic() - started < 1.0
    pc201 = next(d for d in after if d["code"] == "PC201")
    line, character = where(changed, "northshire-cs/front-door")
    assert pc201["range"]["start"] == {"line": line, "character": character}
    assert pc201["range"]["end"] == {"line": line, "character": character + 24}
    assert "front-door" in pc201["message"]


def test_a_change_in_one_file_updates_another_open_file(client: Client, repo: Path) -> None:
    client.open(SCHOOL)
    council = (repo / COUNCIL).read_text(encoding="utf-8")
    client.open(COUNCIL, council)
    mark, school = client.diagnostics(SCHOOL)
    assert "PC201" not in codes(school)
    # the council renames its MASH: the school's steps to it now go nowhere
    client.change(COUNCIL, council.replace("  - id: mash\n", "  - id: front-door\n", 1))
    _, school = client.diagnostics(SCHOOL, after=mark, where=lambda d: "PC201" in codes(d))
    pc201 = [d for d in school if d["code"] == "PC201"]
    assert pc201 and all("mash" in d["message"] for d in pc201)


def test_related_locations_point_into_other_files(client: Client, repo: Path) -> None:
    text = (repo / SCHOOL).read_text(encoding="utf-8")
    client.open(SCHOOL, text.replace("to: northshire-cs/mash", "to: northshire-cs/edt", 1))
    _, found = client.diagnostics(SCHOOL)
    related = [r for d in found for r in d.get("relatedInformation") or []]
    assert related, found
    assert all(r["location"]["uri"].startswith("file://") for r in related)


def test_completion_offers_other_organisations_roles_with_titles(client: Client) -> None:
    text = "\n".join(
        [
            "policycoord: 1",
            "organisation: {id: st-marys-primary, name: St Mary's, sector: education}",
            "roles:",
            "  - {id: dsl, title: DSL}",
            "escalations:",
            "  - concern: significant-harm",
            "    steps:",
            "      - to: northshire-cs/",
        ]
    )
    client.open(SCHOOL, text)
    client.diagnostics(SCHOOL)
    answer = client.request("textDocument/completion", at(client, SCHOOL, 7, 26))["result"]
    items = {item["label"]: item for item in answer["items"]}
    assert "northshire-cs/mash" in items
    assert items["northshire-cs/mash"]["detail"].endswith("Multi-Agency Safeguarding Hub")
    assert "dsl" in items  # its own roles, bare
    edit = items["northshire-cs/mash"]["textEdit"]
    assert edit["range"]["start"] == {"line": 7, "character": 12}


def test_completion_of_duties_concerns_and_sectors(client: Client) -> None:
    text = (
        "policycoord: 1\norganisation: {id: x, name: X, sector: }\nresponsibilities:\n  - duty: \n"
    )
    client.open(SCHOOL, text)
    client.diagnostics(SCHOOL)
    line, character = where(text, "sector: ")
    sectors = client.request("textDocument/completion", at(client, SCHOOL, line, character + 8))
    assert "education" in [i["label"] for i in sectors["result"]["items"]]
    duties = client.request("textDocument/completion", at(client, SCHOOL, 3, 10))["result"]
    labels = [i["label"] for i in duties["items"]]
    assert "refer-to-childrens-social-care" in labels


def test_hover_on_a_role_a_timeframe_and_a_finding(client: Client, repo: Path) -> None:
    text = (repo / SCHOOL).read_text(encoding="utf-8")
    client.open(SCHOOL, text)
    client.diagnostics(SCHOOL)
    line, character = where(text, "northshire-cs/mash")
    role = client.request("textDocument/hover", at(client, SCHOOL, line, character + 3))
    shown = role["result"]["contents"]["value"]
    assert "Multi-Agency Safeguarding Hub" in shown and "01632 960100" in shown
    assert "office hours only" in shown
    line, character = where(text, "4 hours")
    timeframe = client.request("textDocument/hover", at(client, SCHOOL, line, character))
    assert "at most 4 hours" in timeframe["result"]["contents"]["value"]
    broken = text.replace("to: northshire-cs/mash", "to: northshire-cs/front-door", 1)
    mark = client.mark()
    client.change(SCHOOL, broken)
    client.diagnostics(SCHOOL, after=mark, where=lambda d: "PC201" in codes(d))
    line, character = where(broken, "northshire-cs/front-door")
    finding = client.request("textDocument/hover", at(client, SCHOOL, line, character + 2))
    value = finding["result"]["contents"]["value"]
    assert "PC201 unknown-escalation-target" in value and "## Why it matters" in value


def test_definition_and_references(client: Client, repo: Path) -> None:
    text = (repo / SCHOOL).read_text(encoding="utf-8")
    client.open(SCHOOL, text)
    client.diagnostics(SCHOOL)
    line, character = where(text, "northshire-cs/mash")
    found = client.request("textDocument/definition", at(client, SCHOOL, line, character))
    council = (repo / COUNCIL).read_text(encoding="utf-8")
    assert found["result"]["uri"] == client.uri(COUNCIL)
    assert found["result"]["range"]["start"]["line"] == where(council, "id: mash")[0]
    params = {**at(client, SCHOOL, line, character), "context": {"includeDeclaration": False}}
    refs = client.request("textDocument/references", params)["result"]
    files = {r["uri"].rsplit("/", 1)[1] for r in refs}
    # who escalates to the MASH: schools, health, the police, the partnership's must_reach
    assert {"st-marys-primary.yaml", "partnership.yaml"} <= files
    assert len(files) >= 4
    assert client.uri(COUNCIL) in {r["uri"] for r in refs}  # its own `receives` entries


def test_rename_a_role_everywhere_keeping_comments(client: Client, repo: Path) -> None:
    council = (repo / COUNCIL).read_text(encoding="utf-8")
    client.open(COUNCIL, council)
    client.diagnostics(COUNCIL)
    line, character = where(council, "id: mash")
    params = {**at(client, COUNCIL, line, character + 4), "newName": "front-door"}
    changes = client.request("textDocument/rename", params)["result"]["changes"]
    assert client.uri(SCHOOL) in changes and client.uri("partnership.yaml") in changes
    for uri, edits in changes.items():
        path = Path(uri.removeprefix("file://"))
        old = path.read_text(encoding="utf-8")
        new = _apply(old, edits)
        assert "northshire-cs/mash" not in new
        # every comment line of the file is still there
        comments = [line for line in old.splitlines() if line.lstrip().startswith("#")]
        assert comments == [line for line in new.splitlines() if line.lstrip().startswith("#")]
        assert len(old.splitlines()) == len(new.splitlines())
    renamed = _apply(council, changes[client.uri(COUNCIL)])
    assert "  - id: front-door\n" in renamed and "role: front-door" in renamed
    bad = client.request("textDocument/rename", {**params, "newName": "Front Door!"})
    assert bad.get("result") is None


def _apply(text: str, edits: list[dict]) -> str:
    lines = text.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: e["range"]["start"]["line"], reverse=True):
        start, end = edit["range"]["start"], edit["range"]["end"]
        assert start["character"] == 0 and end["character"] == 0
        lines[start["line"] : end["line"]] = [edit["newText"]]
    return "".join(lines)


def test_code_action_applies_a_safe_fix(client: Client, repo: Path) -> None:
    text = (repo / SCHOOL).read_text(encoding="utf-8")
    broken = text.replace("within: 4 hours", "within: 4 Hrs    # agreed in May", 1)
    client.open(SCHOOL, broken)
    _, found = client.diagnostics(SCHOOL)
    pc003 = next(d for d in found if d["code"] == "PC003")
    params = {
        "textDocument": {"uri": client.uri(SCHOOL)},
        "range": pc003["range"],
        "context": {"diagnostics": [pc003]},
    }
    actions = client.request("textDocument/codeAction", params)["result"]
    action = next(a for a in actions if "4 hours" in a["title"])
    assert action["isPreferred"] is True and action["kind"] == "quickfix"
    fixed = _apply(broken, action["edit"]["changes"][client.uri(SCHOOL)])
    # only that line changes; the comment keeps its column
    assert fixed == text.replace("within: 4 hours", "within: 4 hours  # agreed in May", 1)


def test_fix_all_applies_every_safe_fix_and_no_unsafe_one(client: Client, repo: Path) -> None:
    text = (repo / SCHOOL).read_text(encoding="utf-8")
    broken = text.replace("policycoord: 1\n", 'policycoord: "1"  # format\n', 1)
    broken = broken.replace("within: 4 hours", "within: 4 Hrs", 1)
    broken = broken.replace("to: northshire-cs/mash", "to: northshire-cs/mahs", 1)  # unsafe
    client.open(SCHOOL, broken)
    client.diagnostics(SCHOOL, where=lambda d: codes(d).count("PC003") >= 2)
    nowhere = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    params = {
        "textDocument": {"uri": client.uri(SCHOOL)},
        "range": nowhere,
        "context": {"diagnostics": [], "only": ["source.fixAll"]},
    }
    actions = client.request("textDocument/codeAction", params)["result"]
    assert [a["kind"] for a in actions] == ["source.fixAll.policycoord"]
    fixed = _apply(broken, actions[0]["edit"]["changes"][client.uri(SCHOOL)])
    assert fixed == text.replace("policycoord: 1\n", "policycoord: 1    # format\n", 1).replace(
        "to: northshire-cs/mash", "to: northshire-cs/mahs", 1
    )
    params["context"] = {"diagnostics": [], "only": ["quickfix"]}
    quick = client.request("textDocument/codeAction", params)["result"]
    assert all(a["kind"] == "quickfix" for a in quick)


def test_fix_all_is_advertised(repo: Path) -> None:
    started = Client(repo)
    capabilities = started.initialize()["result"]["capabilities"]
    kinds = capabilities["codeActionProvider"]["codeActionKinds"]
    assert "source.fixAll.policycoord" in kinds and "quickfix" in kinds
    assert started.close() == 0


def test_hostile_input_is_answered_without_crashing(client: Client, repo: Path) -> None:
    client.open(SCHOOL)
    mark, _ = client.diagnostics(SCHOOL)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    client.change(SCHOOL, bomb, version=3)
    mark, found = client.diagnostics(SCHOOL, after=mark, where=lambda d: "PC005" in codes(d))
    client.change(SCHOOL, "x: " + "y" * 6_000_000 + "\n", version=4)  # over the 5 MB limit
    mark, found = client.diagnostics(
        SCHOOL, after=mark, where=lambda d: "PC005" in codes(d) and len(d) == 1
    )
    assert found[0]["range"]["start"]["line"] == 0
    # an incremental change at a place the document does not have
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": client.uri(SCHOOL), "version": 5},
            "contentChanges": [
                {
                    "range": {
                        "start": {"line": 99999, "character": 7},
                        "end": {"line": 99999, "character": 99},
                    },
                    "text": "\ud83d",
                }
            ],
        },
    )
    client.send_raw(b"Content-Length: 5\r\n\r\n{oops")  # not JSON
    for line, character in ((0, 10**9), (10**6, 0)):
        hover = client.request("textDocument/hover", at(client, SCHOOL, line, character))
        assert "error" not in hover or hover["error"]["code"] != -32603
    completion = client.request("textDocument/completion", at(client, SCHOOL, 0, 3))
    assert "result" in completion
    assert client.process.poll() is None


def test_completion_reads_the_newest_text_before_its_check(client: Client, repo: Path) -> None:
    text = (repo / SCHOOL).read_text(encoding="utf-8")
    client.open(SCHOOL, text)
    client.diagnostics(SCHOOL)
    typed = text.replace("      - to: northshire-cs/mash\n", "      - to: northshire-cs/l\n", 1)
    client.change(SCHOOL, typed)  # no waiting for its diagnostics
    line, character = where(typed, "northshire-cs/l")
    answer = client.request("textDocument/completion", at(client, SCHOOL, line, character + 15))
    labels = [item["label"] for item in answer["result"]["items"]]
    assert "northshire-cs/lado" in labels
    start = answer["result"]["items"][0]["textEdit"]["range"]["start"]
    assert start == {"line": line, "character": character}


def test_files_changed_on_disk_are_read_again(client: Client, repo: Path) -> None:
    """A `git pull` renames the council's MASH: the editor (watching the
    files the server asked it to) says so, and the open school file gets
    its PC201s."""
    registered = client.wait_for("client/registerCapability")
    assert registered["params"]["registrations"][0]["method"] == "workspace/didChangeWatchedFiles"
    client.open(SCHOOL)
    mark, school = client.diagnostics(SCHOOL)
    assert "PC201" not in codes(school)
    council = repo / COUNCIL
    council.write_text(
        council.read_text(encoding="utf-8").replace("  - id: mash\n", "  - id: front-door\n", 1),
        encoding="utf-8",
    )
    client.notify(
        "workspace/didChangeWatchedFiles",
        {"changes": [{"uri": client.uri(COUNCIL), "type": 2}]},
    )
    _, school = client.diagnostics(SCHOOL, after=mark, where=lambda d: "PC201" in codes(d))
    assert any("mash" in d["message"] for d in school if d["code"] == "PC201")


def test_files_not_open_get_their_findings_and_updates(client: Client, repo: Path) -> None:
    council = (repo / COUNCIL).read_text(encoding="utf-8")
    client.open(COUNCIL, council)
    # the example's riverside-fc.yaml, not open, has its PC201 from the first check
    mark, riverside = client.diagnostics("orgs/riverside-fc.yaml")
    assert "PC201" in codes(riverside)
    _, school = client.diagnostics(SCHOOL)
    assert "PC201" not in codes(school)
    client.change(COUNCIL, council.replace("  - id: mash\n", "  - id: front-door\n", 1))
    _, school = client.diagnostics(SCHOOL, after=mark, where=lambda d: "PC201" in codes(d))
    line = school[0]["range"]["start"]["line"]
    assert (repo / SCHOOL).read_text(encoding="utf-8").splitlines()[line].strip()


def test_bidi_and_control_characters_in_a_message_are_shown_not_obeyed(
    client: Client, repo: Path
) -> None:
    # a policy's own words, quoted in a finding, reach the editor's problem
    # list with their bidi controls shown as <U+202E>, as every report shows them
    club = "orgs/riverside-fc.yaml"
    text = (repo / club).read_text(encoding="utf-8")
    hostile = text.replace(
        "summary: >-", "summary: >-\n  We never say looked after child \u202eevil\u202c here.", 1
    )
    client.open(club, hostile)
    _, found = client.diagnostics(club, where=lambda d: any(x["code"] == "PC303" for x in d))
    quoted = next(d["message"] for d in found if d["code"] == "PC303")
    assert "<U+202E>evil<U+202C>" in quoted
    assert not any("\u202e" in d["message"] or "\u202c" in d["message"] for d in found)
    # the parts policycoord joins (message, what to do, the fix) stay on their
    # own lines: a line break of its own is never shown as an escape
    assert "\\x0a" not in quoted
    assert len(quoted.splitlines()) >= 2, quoted
