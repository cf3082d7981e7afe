"""`--format sarif` read by Microsoft's SARIF multitool: `sarif-multitool
validate` (the npm package @microsoft/sarif-multitool, whose Linux build,
@microsoft/sarif-multitool-linux, is a self-contained .NET program that runs
offline). It checks each report against the SARIF 2.1.0 schema (JSON1xxx),
the specification's rules (SARIF1xxx, SARIF2xxx) and what GitHub code
scanning needs to take a file in (`--rule-kind Gh`: GH1xxx, GH2012).

The reports: the example partnership where it is and in a sub-folder of a
new git repository (URIs from the repository's root), the broken repository
of the golden files, the same with every finding in a baseline
(suppressions), the hostile one (user text that tries to break out), and
the acceptance partnerships kestrel and cymraeg.

No report may draw an error or a warning. Notes are read too: each note must
be one of DECLINED, which says why policycoord does not follow it, so a new
note fails until it is followed or declined. SARIF2006 is switched off: it
fetches every URI in the log over HTTP, and the tests stay off the network.
Two kinds of rule are not run. `Ado` (GitHub Advanced Security for Azure
DevOps) wants `run.automationDetails` and `driver.fullName`: an
`automationDetails` in the report would beat the `category` that GitHub's
upload-sarif fills in only where a run has none, so two partnerships of one
repository would replace each other's alerts. `AI` is for findings made by
AI security tools (CWE ids, exploitability), which these are not.

The multitool says nothing about a file it cannot read into its object model
(a `level` of `info`, say): it checks nothing and reports success, with an
exit status of 0 whatever it found. So the test reads its `--output` log,
not its exit status, and wants at least one note about each report as the
sign that it was read (`test_the_checks_can_fail` shows both sides).

Skipped with a reason when the multitool is not installed, except under CI
(`CI` set), where that fails: .ci/run installs it in `.cache/sarif-multitool`
as it does mermaid and vnu.jar; `SARIF_MULTITOOL` may name another
`Sarif.Multitool` program.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ACCEPTANCE, EXAMPLES, PROJECT_ROOT, TODAY, invoke

from output.reporters.hostile_repo import hostile_repo
from output.reporters.test_repository_paths import git_init
from output.test_report_formats_golden import broken_repo

MULTITOOL = (
    PROJECT_ROOT
    / ".cache/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
)
INSTALL = (
    "npm install --prefix .cache/sarif-multitool --ignore-scripts "
    "@microsoft/sarif-multitool@5.7.0 and chmod u+x its Sarif.Multitool, as .ci/run does"
)
#: the day the acceptance partnerships are checked on (as in their own tests)
ACCEPTANCE_TODAY = "2026-12-07"
TIMEOUT = 300

#: The notes that policycoord's SARIF draws and does not follow, and why.
DECLINED = {
    # "Consider replacing [message text] with 'id' and 'arguments'": GitHub code
    # scanning needs `message.text` (the multitool's own GH1015, GH1017, GH2012),
    # and a message that names people's organisations is not a template.
    "SARIF2002": "GitHub needs message.text",
    # "This run does not provide 'versionControlProvenance'": the commit and the
    # remote would make the same inputs give different bytes, and could put a
    # remote's credentials in a report; upload-sarif sends the commit itself.
    "SARIF2003": "no commit or remote in a deterministic report",
    # "... does not provide a 'snippet'" / "a 'contextRegion'": reporters render
    # the findings, not the files; code scanning shows the lines from the
    # repository, and a copy of user text would be one more thing to escape.
    "SARIF2010": "no copies of the policy files",
    "SARIF2011": "no copies of the policy files",
    # "'yaml-syntax-error' is not a Pascal-case identifier": the rule's name is
    # its documented name (`policycoord rules`, docs/rules.md, every format).
    "SARIF2012": "the rule names are policycoord's own",
}

#: Rule SARIF2006 (every URI reachable) fetches URIs over HTTP: off.
CONFIGURATION = """\
<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
"""
#: what the multitool says about that, and may say
SWITCHED_OFF = "WRN999.RuleExplicitlyDisabled"


def missing(what: str) -> NoReturn:
    """Skip (or, under CI, fail) because `what` is not on this machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed: .ci/run should have installed it ({INSTALL})")
    pytest.skip(f"{what} is not installed ({INSTALL})")


@pytest.fixture(scope="module")
def multitool() -> Path:
    program = Path(os.environ.get("SARIF_MULTITOOL") or MULTITOOL)
    if not program.is_file():
        missing(f"the SARIF multitool ({program})")
    if not os.access(program, os.X_OK):
        missing(f"the SARIF multitool as a program ({program} is not executable)")
    return program


# --- the reports ------------------------------------------------------------------------


def _in_a_sub_folder(root: Path) -> Path:
    """The example partnership at `safeguarding/policies/` of a new git repository."""
    folder = root / "safeguarding" / "policies"
    shutil.copytree(EXAMPLES, folder)
    git_init(root)
    return folder


def _baselined(root: Path) -> Path:
    repo = broken_repo(root)
    code, out = invoke("baseline", "--today", TODAY, "-o", "accepted.json", cwd=repo)
    assert code == 0, out
    return repo


#: report name -> (makes the partnership's folder under a root, extra check arguments)
REPORTS: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "examples": (lambda _: EXAMPLES, ("--today", TODAY)),
    "examples-in-a-sub-folder": (_in_a_sub_folder, ("--today", TODAY)),
    "broken": (broken_repo, ("--today", TODAY)),
    "broken-baselined": (_baselined, ("--today", TODAY, "--baseline", "accepted.json")),
    "hostile": (hostile_repo, ("--today", TODAY)),
    "kestrel": (lambda _: ACCEPTANCE / "kestrel", ("--today", ACCEPTANCE_TODAY)),
    "cymraeg": (lambda _: ACCEPTANCE / "cymraeg", ("--today", ACCEPTANCE_TODAY)),
}


def write_report(name: str, root: Path, target: Path) -> None:
    make, arguments = REPORTS[name]
    folder = make(root / name)
    code, out = invoke("check", *arguments, "-f", "sarif", "-o", str(target), cwd=folder)
    assert code in (0, 1) and out == "", out  # 0: every finding in the baseline


def mutants(broken: Path, folder: Path) -> dict[str, Path]:
    """Copies of the broken report, each with one defect the multitool must see
    or, for `unreadable`, cannot read at all."""
    made = {}
    for defect in ("absolute-uri", "no-message-text", "unreadable"):
        log = json.loads(broken.read_text(encoding="utf-8"))
        first, second = log["runs"][0]["results"][:2]
        if defect == "absolute-uri":  # a uriBaseId with an absolute URI
            first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "file:///x.yaml"
        elif defect == "no-message-text":  # GitHub needs the text
            second["message"] = {"id": "default"}
        else:  # not a level: the multitool skips the whole file, silently
            first["level"] = "info"
        made[defect] = folder / f"mutant-{defect}.sarif"
        made[defect].write_text(json.dumps(log, indent=2), encoding="utf-8")
    return made


# --- what the multitool says ------------------------------------------------------------


def _said(run: dict[str, Any], result: dict[str, Any]) -> str:
    """One of the multitool's results as it prints it."""
    rules = run["tool"]["driver"]["rules"]
    index = result.get("ruleIndex")
    rule = rules[index] if index is not None else {}
    message = result["message"]
    text = rule.get("messageStrings", {}).get(message.get("id"), {}).get("text")
    if text is None:
        text = message.get("text", json.dumps(message))
    arguments = message.get("arguments", [])
    text = re.sub(r"\{(\d+)\}", lambda m: arguments[int(m[1])], text)
    region = result["locations"][0]["physicalLocation"].get("region", {})
    return f"{result['level']} {result['ruleId']} (line {region.get('startLine')}): {text}"


class Verdict:
    """What `sarif-multitool validate` said: per file, its results as
    (level, rule id, text); and its notices about its own run."""

    def __init__(self, log: dict[str, Any]) -> None:
        (run,) = log["runs"]
        self.by_file: dict[str, list[tuple[str, str, str]]] = {}
        for result in run.get("results", []):
            uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            name = Path(unquote(urlsplit(uri).path)).stem
            said = (result.get("level", "warning"), result["ruleId"], _said(run, result))
            self.by_file.setdefault(name, []).append(said)
        (invocation,) = run["invocations"]
        self.successful: bool = invocation["executionSuccessful"]
        self.notices = [
            (notice.get("level", "warning"), notice["descriptor"]["id"], notice["message"]["text"])
            for key in ("toolConfigurationNotifications", "toolExecutionNotifications")
            for notice in invocation.get(key, [])
        ]

    def problems(self, name: str) -> list[str]:
        """Everything but the declined notes about report `name`."""
        return [
            text
            for level, rule, text in self.by_file.get(name, [])
            if not (level == "note" and rule in DECLINED)
        ]

    def read(self, name: str) -> bool:
        """The multitool read report `name`: it said something about it."""
        return bool(self.by_file.get(name))


@pytest.fixture(scope="module")
def verdict(multitool: Path, tmp_path_factory: pytest.TempPathFactory) -> Verdict:
    """Every report and every mutant validated in one run of the multitool."""
    folder = tmp_path_factory.mktemp("sarif-multitool")
    files = []
    for name in REPORTS:
        files.append(folder / f"{name}.sarif")
        write_report(name, tmp_path_factory.mktemp(name), files[-1])
    files += mutants(folder / "broken.sarif", folder).values()
    configuration = folder / "configuration.xml"
    configuration.write_text(CONFIGURATION, encoding="utf-8")
    output = folder / "validation.sarif"
    done = subprocess.run(
        [
            str(multitool),
            "validate",
            *map(str, files),
            "--output",
            str(output),
            "--config",
            str(configuration),
            "--rule-kind",
            "Sarif;Gh",
            "--level",
            "Error;Warning;Note",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert output.is_file(), done.stdout + done.stderr
    return Verdict(json.loads(output.read_text(encoding="utf-8-sig")))


def test_the_multitool_ran_as_configured(verdict: Verdict) -> None:
    assert verdict.successful
    # only the one notice that says SARIF2006 is off
    assert [(rule, "SARIF2006" in text) for _, rule, text in verdict.notices] == [
        (SWITCHED_OFF, True)
    ]


@pytest.mark.parametrize("name", REPORTS)
def test_the_multitool_finds_nothing_wrong(verdict: Verdict, name: str) -> None:
    assert verdict.read(name), f"the multitool said nothing about {name}.sarif: not read?"
    assert verdict.problems(name) == []


def test_the_checks_can_fail(verdict: Verdict) -> None:
    """The same run on the broken report's mutants: a real defect is seen, by
    the specification's rules and by GitHub's, and a file the multitool
    cannot read draws nothing at all, which `read` catches."""
    absolute = verdict.problems("mutant-absolute-uri")
    assert [text for text in absolute if text.startswith("error SARIF1004 ")], absolute
    no_text = verdict.problems("mutant-no-message-text")
    assert {text.split()[1] for text in no_text} >= {"SARIF1012", "GH1015"}, no_text
    assert not verdict.read("mutant-unreadable")
    assert verdict.read("broken") and verdict.problems("broken") == []
