"""`--format sarif`: valid SARIF 2.1.0 (checked against the official schema),
rule metadata for every code with help links that exist in docs/rules.md,
relative URIs, suppressions for accepted findings, and user text that can
neither break the JSON nor make links or placeholders.

The schema is the OASIS copy in ../shared/schemas (beside the project); the
schema tests are skipped, saying so, when that folder is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from conftest import EXAMPLES, PROJECT_ROOT, SHARED, TODAY, CliRunner

from output.reporters.example_copies import examples_outside_git
from output.reporters.hostile_repo import HOSTILE_FILE, hostile_repo, json_findings, raw_controls
from output.test_report_formats_golden import broken_repo
from policycoord.checks.rules import RULES_BY_CODE
from policycoord.checks.rules.base import sections

SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
DOCS_URI = "https://github.com/policycoord/policycoord/blob/main/docs/rules.md"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def sarif(cli: CliRunner, repo: Path, *args: str) -> tuple[str, dict[str, Any]]:
    code, out, err = cli("check", "--today", TODAY, "-f", "sarif", *args, cwd=repo)
    assert code in (0, 1), err
    assert err == ""
    log: dict[str, Any] = json.loads(out)
    return out, log


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    (run,) = log["runs"]
    found: list[dict[str, Any]] = run["results"]
    return found


def validate(log: dict[str, Any]) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SCHEMA} (../shared is absent)")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []


@pytest.fixture(params=["examples", "broken", "hostile"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "examples":
        return examples_outside_git(tmp_path / "examples")
    if request.param == "broken":
        return broken_repo(tmp_path / "repo")
    return hostile_repo(tmp_path / "repo")


def test_valid_against_the_official_schema(cli: CliRunner, repo: Path) -> None:
    _, log = sarif(cli, repo)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    validate(log)


def test_results_match_the_findings(cli: CliRunner, repo: Path) -> None:
    _, log = sarif(cli, repo)
    document = json_findings(cli, repo)
    found = results(log)
    active = [r for r in found if "suppressions" not in r]
    accepted = [r for r in found if "suppressions" in r]
    assert len(active) == len(document["findings"])
    assert len(accepted) == len(document["suppressed"]) == document["summary"]["suppressed"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    entries = document["findings"] + document["suppressed"]
    for result, finding in zip(found, entries, strict=True):
        assert result["ruleId"] == finding["code"]
        assert rules[result["ruleIndex"]]["id"] == finding["code"]
        assert result["level"] == LEVELS[finding["severity"]]
        assert result["partialFingerprints"] == {"policycoord/v1": finding["fingerprint"]}
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region == {"startLine": finding["line"], "startColumn": finding["column"]}
        assert set(result["properties"]) == {"organisation", "suggestion"}
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_rule_metadata_for_every_code(cli: CliRunner) -> None:
    _, log = sarif(cli, EXAMPLES)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "policycoord"
    assert driver["informationUri"] == "https://github.com/policycoord/policycoord"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(RULES_BY_CODE)
    for descriptor in rules:
        rule = RULES_BY_CODE[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"] == {"text": rule.summary()}
        full = descriptor["fullDescription"]["text"]
        what = sections(rule.documentation())["What it does"]
        assert full and "`" not in full
        assert full.split()[:3] == what.replace("`", "").split()[:3]
        assert descriptor["help"]["markdown"].strip() == rule.documentation().strip()
        for heading in ("What it does", "Why it matters", "Example", "Fixed"):
            assert f"\n{heading}\n" in descriptor["help"]["text"]
            assert f"## {heading}" in descriptor["help"]["markdown"]
        assert "```" not in descriptor["help"]["text"]
        assert descriptor["defaultConfiguration"] == {"level": LEVELS[rule.default_severity.value]}


def github_slug(heading: str, seen: dict[str, int]) -> str:
    """How GitHub makes a heading's anchor (github-slugger): lower case,
    punctuation other than `-` and `_` dropped, spaces to `-`, and `-1`,
    `-2`... added to repeats."""
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return f"{slug}-{count}" if count else slug


def test_help_uris_point_at_headings_in_docs_rules_md(cli: CliRunner) -> None:
    docs = (PROJECT_ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    seen: dict[str, int] = {}
    anchors = {}
    in_code = False
    for line in docs.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and (heading := re.match(r"#{1,6} (.+)", line)):
            anchors[github_slug(heading.group(1), seen)] = heading.group(1)
    _, log = sarif(cli, EXAMPLES)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(RULES_BY_CODE)
    for descriptor in rules:
        uri, _, fragment = descriptor["helpUri"].partition("#")
        assert uri == DOCS_URI
        assert anchors.get(fragment) == f"{descriptor['id']} {descriptor['name']}", fragment


def artifact_uris(log: dict[str, Any]) -> list[dict[str, Any]]:
    locations = []
    for result in results(log):
        places = result["locations"] + result.get("relatedLocations", [])
        places += [s["location"] for s in result.get("suppressions", []) if "location" in s]
        locations += [place["physicalLocation"]["artifactLocation"] for place in places]
    return locations


def test_uris_are_relative_to_the_partnership_folder(cli: CliRunner, tmp_path: Path) -> None:
    repo = broken_repo(tmp_path / "repo")
    out, log = sarif(cli, repo)
    assert str(tmp_path) not in out
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {
        "ROOT": {"description": {"text": "The folder of partnership.yaml"}}
    }
    locations = artifact_uris(log)
    assert {"orgs/nested/epsilon.yml", "orgs/beta.yaml"} <= {a["uri"] for a in locations}
    for artifact in locations:
        assert artifact["uriBaseId"] == "ROOT"
        parts = urlsplit(artifact["uri"])
        assert (parts.scheme, parts.netloc) == ("", "")
        assert not artifact["uri"].startswith("/")
        assert (repo / unquote(artifact["uri"])).exists(), artifact["uri"]
    # the same log from below the repository and from outside it
    assert sarif(cli, repo / "orgs" / "nested")[1] == log == sarif(cli, tmp_path, "repo")[1]


def test_uris_are_percent_encoded(cli: CliRunner, tmp_path: Path) -> None:
    _, log = sarif(cli, hostile_repo(tmp_path / "repo"))
    uris = {a["uri"] for a in artifact_uris(log)}
    assert "orgs/we%2Cird%3A%20%250A.yaml" in uris
    assert unquote("orgs/we%2Cird%3A%20%250A.yaml") == HOSTILE_FILE
    for uri in uris:
        assert re.fullmatch(r"[A-Za-z0-9\-._~/%]+", uri), uri


def test_waived_and_baselined_findings_are_accepted_suppressions(
    cli: CliRunner, tmp_path: Path
) -> None:
    _, log = sarif(cli, examples_outside_git(tmp_path / "examples"))
    (waived,) = [r for r in results(log) if "suppressions" in r]
    assert waived["ruleId"] == "PC401"
    assert waived["properties"]["organisation"] == "northshire-icb"
    (suppression,) = waived["suppressions"]
    assert suppression["kind"] == "external"
    assert suppression["status"] == "accepted"
    assert suppression["justification"].startswith("The Integrated Care Board merges")
    where = suppression["location"]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "partnership.yaml"
    assert suppression["properties"] == {
        "approvedBy": ["northshire-cs", "northshire-icb"],
        "expires": "2027-03-31",
    }

    repo = broken_repo(tmp_path / "repo")
    code, _, err = cli("baseline", "--today", TODAY, "-o", "accepted.json", cwd=repo)
    assert code == 0, err
    _, log = sarif(cli, repo, "--baseline", "accepted.json")
    found = results(log)
    assert found
    for result in found:
        assert result["suppressions"] == [
            {
                "kind": "external",
                "status": "accepted",
                "justification": "In the baseline file accepted.json.",
            }
        ]
    validate(log)


def test_related_locations_are_linked_from_the_message(cli: CliRunner, tmp_path: Path) -> None:
    _, log = sarif(cli, broken_repo(tmp_path / "repo"))
    related = [r for r in results(log) if r.get("relatedLocations")]
    assert related
    for result in related:
        ids = [place["id"] for place in result["relatedLocations"]]
        assert ids == list(range(1, len(ids) + 1))
        for place in result["relatedLocations"]:
            assert place["message"]["text"].startswith("Related place: ")
        links = re.findall(r"(?<!\\)\[(?:[^\[\]\\]|\\.)*\]\((\d+)\)", result["message"]["text"])
        assert [int(link) for link in links] == ids


def unescaped_brackets(text: str) -> list[int]:
    """Where `text` has a `[` or `]` that is not escaped with a backslash."""
    found = []
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "[]":
            found.append(index)
    return found


def test_user_text_makes_no_links_no_placeholders_and_no_controls(
    cli: CliRunner, tmp_path: Path
) -> None:
    out, log = sarif(cli, hostile_repo(tmp_path / "repo"))
    assert raw_controls(out) == []
    (unknown,) = [r for r in results(log) if r["ruleId"] == "PC007"]
    text = unknown["message"]["text"]
    # link syntax escaped, placeholders doubled, controls shown
    assert r"\[link\](1) {{0}} \\ a:b, c é" in text
    assert "%0A:\\\\x3aerror:\\\\x3ax\\\\x0a:\\\\x3awarning" in text
    assert "\\\\x1b\\[31mred <U+202E>evil \\\\x00\\\\x07\\\\x85\\\\x9b<U+FFFE>" in text
    body, _, links = text.partition(" See also: ")
    assert unescaped_brackets(body) == []
    assert links == "[partnership.yaml:5:12](1)."
    assert unknown["properties"]["organisation"] == "hostile"


def test_a_sarif_output_file_means_sarif(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "policycoord.sarif"
    code, out, err = cli("check", "--today", TODAY, "-o", target, cwd=EXAMPLES)
    assert (code, out, err) == (1, "", "")
    _, log = sarif(cli, EXAMPLES)
    assert json.loads(target.read_text(encoding="utf-8")) == log


def _apply_replacements(text: str, replacements: list[dict[str, Any]]) -> str:
    """`text` with SARIF replacements applied (regions by line and column,
    the end exclusive), last first."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    def key(r: dict[str, Any]) -> tuple[int, int]:
        return (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"])

    for replacement in sorted(replacements, key=key, reverse=True):
        region = replacement["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        text = text[:start] + replacement["insertedContent"]["text"] + text[end:]
    return text


def test_safe_fixes_are_sarif_fixes_that_give_what_check_fix_writes(
    cli: CliRunner, tmp_path: Path
) -> None:
    repo = examples_outside_git(tmp_path / "examples")
    school = repo / "orgs" / "st-marys-primary.yaml"
    clean = school.read_text(encoding="utf-8")
    broken = clean.replace("policycoord: 1\n", 'policycoord: "1"   # format\n', 1)
    broken = broken.replace("within: 4 hours", "within: 4 Hrs", 1)
    broken = broken.replace("to: northshire-cs/mash", "to: northshire-cs/mahs", 1)  # unsafe
    school.write_text(broken, encoding="utf-8")
    _, log = sarif(cli, repo)
    validate(log)
    fixed = [r for r in results(log) if "fixes" in r]
    mine = [
        change
        for r in fixed
        for fix in r["fixes"]
        for change in fix["artifactChanges"]
        if change["artifactLocation"]["uri"] == "orgs/st-marys-primary.yaml"
    ]
    assert len(mine) == 2  # the version and the timeframe; not the did-you-mean
    assert not any(r["ruleId"] == "PC201" for r in fixed)
    assert all(r["fixes"][0]["description"]["text"] for r in fixed)
    replacements = [r for change in mine for r in change["replacements"]]
    # whole words, the comment keeping its column: `"1"` -> `1  `, `Hrs` -> `hours`
    assert sorted(r["insertedContent"]["text"] for r in replacements) == ["1  ", "hours"]
    by_sarif = _apply_replacements(broken, replacements)
    _, _, err = cli("check", "--fix", "--today", TODAY, "-q", cwd=repo)
    assert school.read_text(encoding="utf-8") == by_sarif, err
    assert by_sarif == clean.replace(
        "policycoord: 1\n", "policycoord: 1     # format\n", 1
    ).replace("to: northshire-cs/mash", "to: northshire-cs/mahs", 1)
