"""Regressions from a blind hostile-input trial (issue 11): each was an
internal error, a clobbered device or an unbounded report before."""

from __future__ import annotations

import datetime
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_ROOT, invoke, make_repo, policy

from policycoord.checks.rules import pc301_undefined_acronym as pc301
from policycoord.checks.rules import pc303_avoided_term as pc303
from policycoord.input import validation
from policycoord.input.loading import load_bytes
from policycoord.input.validation import running, schemas
from policycoord.model.model import Model
from policycoord.model.texts import free_texts
from policycoord.workflows.pipeline import Options, load_model

EXAMPLE = PROJECT_ROOT / "examples" / "policies"
TODAY = "2026-11-24"


@pytest.mark.parametrize("pattern", [".", "./", "orgs/"])
def test_a_policies_pattern_naming_a_folder_is_not_an_internal_error(
    tmp_path: Path, pattern: str
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    partnership = repo / "partnership.yaml"
    text = partnership.read_text(encoding="utf-8")
    assert 'policies: ["orgs/*.yaml"]' in text
    partnership.write_text(text.replace('["orgs/*.yaml"]', f'["{pattern}"]'), encoding="utf-8")
    status, output = invoke("check", "--today", TODAY, "-f", "json", cwd=repo)
    assert status in (0, 1), output
    json.loads(output)


def test_output_to_a_device_or_a_pipe_writes_to_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    status, _ = invoke("check", "--today", TODAY, "-f", "json", "-o", str(fifo), cwd=EXAMPLE)
    reader.join(timeout=30)
    assert status == 1
    assert json.loads(received[0])["summary"]["error"] == 8
    assert fifo.is_fifo()  # still a pipe, not replaced by a file
    status, _ = invoke("check", "--today", TODAY, "-o", os.devnull, cwd=EXAMPLE)
    assert status == 1 and Path(os.devnull).is_char_device()


def test_a_baseline_nested_too_deeply_is_a_plain_usage_error(tmp_path: Path) -> None:
    baseline = tmp_path / "deep.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "policycoord", "check", "--baseline", str(baseline)],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "is not a policycoord baseline file (JSON nested too deeply)" in completed.stderr
    assert "internal error" not in completed.stderr


def test_schema_findings_are_capped_per_file(tmp_path: Path) -> None:
    policy = tmp_path / "roles.yaml"
    policy.write_text(
        "policycoord: 1\norganisation:\n  id: mk\n  name: N\n  sector: education\n"
        "roles: [" + ",".join(["1"] * 5_000) + "]\n",
        encoding="utf-8",
    )
    status, output = invoke("validate", "-f", "json", str(policy), cwd=tmp_path)
    findings = json.loads(output)["findings"]
    assert status == 1
    assert len(findings) == 51
    assert findings[-1]["message"].startswith("4,950 more problems with this file's structure")


def test_diff_does_not_follow_a_partnership_link_into_another_repository(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "a",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@example.org",
    }

    def git(cwd: Path, *arguments: str) -> None:
        subprocess.run(
            ["git", *arguments], cwd=cwd, env=environment, check=True, capture_output=True
        )

    other = tmp_path / "other"
    shutil.copytree(EXAMPLE, other)
    git(other, "init", "-q", "-b", "main")
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", "secret subject")
    git(other, "tag", "only-in-other")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "partnership.yaml").symlink_to(other / "partnership.yaml")
    git(mine, "init", "-q", "-b", "main")
    git(mine, "add", "-A")
    git(mine, "commit", "-q", "-m", "mine")
    completed = subprocess.run(
        [sys.executable, "-m", "policycoord", "history", "-f", "json"],
        cwd=mine,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "secret subject" not in completed.stdout + completed.stderr
    completed = subprocess.run(
        [sys.executable, "-m", "policycoord", "diff", "--base", "only-in-other"],
        cwd=mine,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "does not exist in this repository" in completed.stderr


# ---------------------------------------------------------------- slow inputs below the bounds


ROLES_OF_NUMBERS = (
    "policycoord: 1\norganisation:\n  id: mk\n  name: N\n  sector: education\nroles: [{items}]\n"
)


class CountingValidator:
    """The schema validator, counting the errors it is asked to make."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.made = 0

    def is_valid(self, document: Any) -> bool:
        return bool(self.real.is_valid(document))

    def iter_errors(self, document: Any) -> Iterator[Any]:
        errors = list(self.real.iter_errors(document))
        self.made += len(errors)
        return iter(errors)


def test_a_file_of_many_schema_errors_is_checked_a_window_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = 60_000
    counting = CountingValidator(schemas.validator_for("policy"))
    monkeypatch.setattr(running, "validator_for", lambda kind: counting)
    text = ROLES_OF_NUMBERS.format(items=",".join(["1"] * items))
    found = validation.validate(load_bytes(text.encode(), "roles.yaml"), "policy")
    # the validator made the errors of the first windows only, not one an item
    assert 0 < counting.made <= validation.MAX_SCHEMA_ERRORS_COUNTED + 2 * validation.WINDOW_VALUES
    assert len(found) == validation.MAX_SCHEMA_FINDINGS + 1
    first, summary = found[0], found[-1]
    assert first.message == "item 1 of `roles` must be a mapping of fields; N wrote the number `1`."
    assert (first.location.line, first.location.column) == (6, 9)
    assert [v.location.column for v in found[:50]] == list(range(9, 9 + 2 * 50, 2))
    counted = re.fullmatch(
        r"At least ([\d,]+) more problems with this file's structure are not listed, the next "
        r"at line 6; policycoord stopped counting them part of the way through the file\.",
        summary.message,
    )
    assert counted is not None, summary.message
    assert validation.MAX_SCHEMA_ERRORS_COUNTED - 50 <= int(counted[1].replace(",", "")) < items


class CountingText(str):
    """A text that counts the characters taken out of it (`text[a:b]`)."""

    taken = 0

    def __getitem__(self, key: Any) -> str:
        piece = super().__getitem__(key)
        CountingText.taken += len(piece)
        return piece


def jargon_repo(root: Path, summary: str, avoid: str = "") -> Model:
    make_repo(
        root,
        {
            "partnership.yaml": "policycoord: 1\npartnership: {id: p, name: P}\n"
            "glossary:\n  - {term: DSL, meaning: Designated Safeguarding Lead}\n" + avoid,
            "orgs/a.yaml": policy("a-org", "A Org") + f"summary: {json.dumps(summary)}\n",
        },
    )
    return load_model([], cwd=root, options=Options(today=datetime.date(2026, 11, 24)))


def test_a_text_packed_with_acronyms_is_read_in_linear_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uses = 5_000
    summary = " ".join(["ABCD"] * uses) + " (ABCD) and Early Help (EH), EH"
    model = jargon_repo(tmp_path, summary)
    texts = tuple(text._replace(text=CountingText(text.text)) for text in free_texts(model))
    monkeypatch.setattr(pc301, "free_texts", lambda model: texts)
    CountingText.taken = 0
    found = {v.subject: v.message for v in pc301.UndefinedAcronym().check(model)}
    assert found == {
        "ABCD": f"A Org uses `ABCD` (first here; {uses} more uses) but neither its glossary "
        "nor the partnership's defines it."
    }
    # each use looks at the few characters beside it, not at all the text before it
    assert CountingText.taken <= 4 * len(summary)


def test_a_very_long_acronym_is_checked_once_not_once_a_word_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    letters = 40
    model = jargon_repo(tmp_path, "of " * 5 * letters + "(" + "A" * letters + ")")
    initials = 0
    real_initial = pc301._initial

    def counted_initial(word: str) -> str:
        nonlocal initials
        initials += 1
        return real_initial(word)

    monkeypatch.setattr(pc301, "_initial", counted_initial)
    found = [v.subject for v in pc301.UndefinedAcronym().check(model)]
    assert found == ["A" * letters]
    # the words before the bracket are read once (2 x letters at most), not
    # once for each length of run from letters to 2 x letters
    assert 0 < initials <= 2 * letters


def test_quoting_many_avoided_terms_from_one_long_text_reads_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terms = [f"zqterm{index:03d}" for index in range(60)]
    avoid = "avoid:\n" + "".join(f"  - {{term: {term}, use: plain words}}\n" for term in terms)
    sentences = 2_000
    summary = "We listen to children. " * sentences + " ".join(terms) + "."
    model = jargon_repo(tmp_path, summary, avoid)

    class CountingPattern:
        def __init__(self, real: re.Pattern[str]) -> None:
            self.real, self.found = real, 0

        def finditer(self, *arguments: Any) -> Iterator[re.Match[str]]:
            for match in self.real.finditer(*arguments):
                self.found += 1
                yield match

        def search(self, *arguments: Any) -> re.Match[str] | None:
            match = self.real.search(*arguments)
            self.found += match is not None
            return match

    counting = CountingPattern(pc303._SENTENCE_END)
    monkeypatch.setattr(pc303, "_SENTENCE_END", counting)
    found = list(pc303.AvoidedTerm().check(model))
    assert sorted(v.subject for v in found) == terms
    assert found[0].message == (
        "A Org's summary says \"zqterm000 zqterm001 zqterm002 zqterm003 zqterm004 zqterm005 "
        "zqterm006 zqterm007 zqterm008 zqterm009 zqterm010 zqterm011 zqterm012 zqterm013 "
        'zqterm014 zqterm015…"; say "plain words" instead.'
    )
    assert counting.found <= sentences + 2  # each sentence end found once, not once a term


ADDRESSES = [
    "mail dsl@school.example.org now",
    "a@b.c",
    "x@y",
    "see www.example.org/page, then",
    "HTTPS://Example.org",
    "a.b@c",
    ".ahttp://mail@hTtp:/\tx",
    "a@b.c!www.x.y and a@@b..c",
    "(dsl@x.org)",
    "user@host.x@y",
    "see WWW.EXAMPLE.ORG or Www.Example.org",
]


def test_web_and_email_addresses_are_blanked_as_the_pattern_says_without_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chance = random.Random(11)
    pieces = [
        "@",
        ".",
        "a",
        "B",
        "x.y",
        "www.",
        "WwW.",
        "http://",
        "https://",
        "ſ",
        "é",
        " ",
        "\n",
        "-",
    ]
    pieces += ["(", ")", ",", "1", "@@", "..", ".a", "a@b.c", "mail@", "\u00a0", "/", ":", "_"]
    texts = ADDRESSES + [
        "".join(chance.choice(pieces) for _ in range(chance.randint(0, 25))) for _ in range(20_000)
    ]
    pattern = pc301._ADDRESS
    expected = [pattern.sub(lambda match: " " * len(match.group()), text) for text in texts]
    # the pattern tried at every letter of a long word holding an `@` reads
    # the rest of the word each time (a 3 MB word: hours); it is not used
    monkeypatch.setattr(pc301, "_ADDRESS", None)
    assert [pc301._without_addresses(text) for text in texts] == expected
    assert pc301._without_addresses("a" * 100_000 + "@b") == "a" * 100_000 + "@b"


# ---------------------------------------------------------------- minor hostile-input gaps


@pytest.mark.parametrize("day", ["20260101", "2026-W01-1", "2026-001", "２０２６-01-01"])
def test_today_must_be_written_yyyy_mm_dd(day: str) -> None:
    status, output = invoke("check", "--today", day, cwd=EXAMPLE)
    assert status == 2
    assert f"'{day}' is not a date written YYYY-MM-DD." in " ".join(output.split())


def test_a_policies_pattern_that_goes_up_and_back_in_stays_inside(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    partnership = repo / "partnership.yaml"
    text = partnership.read_text(encoding="utf-8")
    patterns = '["./orgs/../orgs/*.yaml", "orgs/../../repo/orgs/*.yaml", "x/../../y.yaml"]'
    partnership.write_text(text.replace('["orgs/*.yaml"]', patterns), encoding="utf-8")
    status, output = invoke("check", "--today", TODAY, "-f", "json", cwd=repo)
    report = json.loads(output)
    assert status == 1
    assert report["summary"]["files"] == 10  # the partnership file and nine policies
    outside = sorted(f["message"] for f in report["findings"] if f["code"] == "PC011")
    assert outside == [
        f"The `policies` pattern `{pattern}` leads outside the repository folder (where "
        "partnership.yaml is); policycoord does not read files there."
        for pattern in ("orgs/../../repo/orgs/*.yaml", "x/../../y.yaml")
    ]


def test_a_named_pipe_given_as_the_partnership_file_is_not_a_regular_file(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "partnership.yaml"
    os.mkfifo(fifo)
    completed = subprocess.run(
        [sys.executable, "-m", "policycoord", "check", "--partnership", str(fifo)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,  # opening the pipe would wait for a writer for ever
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.splitlines() == [
        f"policycoord: The partnership file {fifo} is not a regular file (it is a named pipe); "
        "give the partnership file itself, such as partnership.yaml."
    ]


def test_a_format_version_written_as_a_decimal_is_pc003(tmp_path: Path) -> None:
    text = "policycoord: 1.0\norganisation: {id: mk, name: N, sector: education}\n"
    found = validation.validate(load_bytes(text.encode(), "mk.yaml"), "policy")
    assert [(v.location.line, v.message) for v in found] == [
        (
            1,
            "`policycoord` must be `1`; N wrote `1.0`. It is the version of the file format, "
            "and only version 1 exists.",
        )
    ]
    whole = text.replace("1.0", "1")
    assert validation.validate(load_bytes(whole.encode(), "mk.yaml"), "policy") == []


def test_a_waiver_whose_expiry_is_not_a_real_date_is_not_said_to_have_none(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    partnership = repo / "partnership.yaml"
    text = partnership.read_text(encoding="utf-8")
    assert text.count("expires: 2027-03-31") == 1
    partnership.write_text(text.replace("2027-03-31", "'2026-02-30'"), encoding="utf-8")
    status, output = invoke("check", "--today", TODAY, "-f", "json", cwd=repo)
    found = [(f["code"], f["message"]) for f in json.loads(output)["findings"]]
    assert status == 1
    assert (
        "PC407",
        "The waiver of PC401 for `northshire-icb` is not valid, so it suppresses nothing: its "
        "`expires` is not a real date written YYYY-MM-DD.",
    ) in found
    assert any(code == "PC003" and "is not a real date" in message for code, message in found)
    assert not any("no expiry date" in message for _, message in found)


@pytest.mark.parametrize(
    ("top", "said"),
    [
        ("!!set {policycoord, organisation, a, b, c}", "holds a set (`? item` lines) at the top"),
        ("!!binary aGVsbG8=", "holds binary data at the top"),
    ],
)
def test_a_set_or_binary_data_as_the_whole_file_is_described_the_same_every_run(
    tmp_path: Path, top: str, said: str
) -> None:
    """A set's order changes with Python's hash seed: its printed form made
    the PC003 message differ from run to run."""
    (tmp_path / "a.yaml").write_text(top + "\n", encoding="utf-8")
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
        done = subprocess.run(
            [sys.executable, "-m", "policycoord", "validate", "-f", "json", "a.yaml"],
            cwd=tmp_path,
            env=env | {"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        outputs.add(done.stdout)
    [output] = outputs
    [finding] = json.loads(output)["findings"]
    assert finding["code"] == "PC003" and said in finding["message"]


def main_in_a_thread(arguments: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """`policycoord ARGUMENTS` in-process (the current folder, patches and
    capsys apply), in a thread that is given up on after a minute: a
    regression that waits for ever fails the test instead of hanging it.
    (Only the main thread may set signal handlers: SIGTERM's is left out.)"""
    from policycoord.cli import app as cli

    monkeypatch.setattr(cli, "_stop_cleanly_on_sigterm", lambda: None)
    status: list[int] = []

    def run() -> None:
        try:
            cli.main(arguments)
        except SystemExit as exit_:
            status.append(int(exit_.code or 0))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert status, "policycoord was still waiting after a minute"
    return status[0]


def test_output_to_a_named_pipe_nothing_reads_is_an_error_not_a_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from policycoord.output import writing as output

    monkeypatch.setattr(output, "READER_WAIT", 0.2)
    monkeypatch.chdir(EXAMPLE)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert main_in_a_thread(["check", "--today", TODAY, "-o", str(fifo)], monkeypatch) == 2
    assert capsys.readouterr().err == (
        f"policycoord: Cannot write {fifo}: it is a named pipe that nothing is reading from.\n"
    )
    assert fifo.is_fifo()


def test_a_step_summary_that_is_a_named_pipe_nobody_reads_is_reported_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from policycoord.output import writing as output

    monkeypatch.setattr(output, "READER_WAIT", 0.2)
    monkeypatch.chdir(EXAMPLE)
    fifo = tmp_path / "summary"
    os.mkfifo(fifo)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(fifo))
    # the findings decide the status, as for any step summary that cannot be written
    assert main_in_a_thread(["check", "--today", TODAY], monkeypatch) == 1
    assert capsys.readouterr().err == (
        f"policycoord: could not add to the step summary {fifo}: "
        "it is a named pipe that nothing is reading from.\n"
    )


@pytest.mark.parametrize("device", ["/dev/zero", "FIFO"])
def test_a_baseline_that_is_a_device_or_a_pipe_is_never_read(tmp_path: Path, device: str) -> None:
    if device == "FIFO":
        device = str(tmp_path / "baseline.json")
        os.mkfifo(device)
    elif not Path(device).exists():
        pytest.skip(f"{device} is not on this system")
    completed = subprocess.run(
        [sys.executable, "-m", "policycoord", "check", "--today", TODAY, "--baseline", device],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=60,  # /dev/zero never ends; a pipe waits for a writer
        check=False,
    )
    assert completed.returncode == 2
    kind = "a named pipe" if device.endswith(".json") else "a device or a socket"
    assert completed.stderr.splitlines() == [
        f"policycoord: The baseline file {device} is not a regular file (it is {kind}); "
        "give the file `policycoord baseline` wrote."
    ]


def test_explain_shows_control_characters_it_was_given_instead_of_sending_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from policycoord.cli import app as cli

    with pytest.raises(SystemExit) as exit_:
        cli.main(["explain", "\x1b[31mPC999\x07"])
    said = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "\x1b" not in said and "\x07" not in said
    assert said.startswith("policycoord: There is no rule \\x1b[31mPC999\\x07;")


def flooded_repo(root: Path, acronyms: int) -> Path:
    """One policy whose summary uses `acronyms` different undefined acronyms."""
    summary = " ".join(f"Q{number:04d}X" for number in range(acronyms))
    jargon_repo(root, summary)
    return root


def test_one_rule_lists_at_most_200_findings_in_one_file_and_sums_up_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Drawing 200,000 undefined acronyms of one summary took 22 s as terminal
    text, 7 s and 600 MB as JSON."""
    from policycoord.checks.engine import MAX_LISTED
    from policycoord.cli import app as cli

    repo = flooded_repo(tmp_path / "repo", MAX_LISTED + 57)
    outputs = []
    for _ in range(2):
        with pytest.raises(SystemExit) as exit_:
            cli.main(["check", str(repo), "--today", TODAY, "-f", "json"])
        assert exit_.value.code == 0  # PC301 is a warning
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    report = json.loads(outputs[0])
    pc301 = [f for f in report["findings"] if f["code"] == "PC301"]
    assert len(pc301) == MAX_LISTED + 1
    assert [f["message"].split("`")[1] for f in pc301[:MAX_LISTED]] == [
        f"Q{number:04d}X" for number in range(MAX_LISTED)
    ]
    last = pc301[-1]
    assert last["message"] == (
        f"57 more PC301 findings in this file, on line {pc301[0]['line']}, are not listed: "
        f"a report lists the first {MAX_LISTED} of one rule in one file."
    )
    assert (last["path"], last["severity"], last["organisation"]) == (
        "orgs/a.yaml",
        "warning",
        "a-org",
    )
    assert report["summary"]["warning"] == MAX_LISTED + 1


def test_the_baseline_command_lists_every_finding_so_the_baseline_quiets_them_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from policycoord.checks.engine import MAX_LISTED
    from policycoord.cli import app as cli

    repo = flooded_repo(tmp_path / "repo", MAX_LISTED + 57)
    baseline = tmp_path / "baseline.json"
    with pytest.raises(SystemExit) as exit_:
        cli.main(["baseline", str(repo), "--today", TODAY, "-o", str(baseline)])
    assert exit_.value.code == 0
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert sum(entry["code"] == "PC301" for entry in entries) == MAX_LISTED + 57
    capsys.readouterr()
    with pytest.raises(SystemExit):
        cli.main(["check", str(repo), "--today", TODAY, "-f", "json", "--baseline", str(baseline)])
    report = json.loads(capsys.readouterr().out)
    assert report["findings"] == []
    assert report["summary"]["suppressed"] == len(entries)


@pytest.mark.parametrize("emptied", ["    steps:\n", "    steps: []\n", "    steps: {}\n"])
def test_a_path_left_with_no_steps_that_others_hand_off_to_is_a_finding(
    tmp_path: Path, emptied: str
) -> None:
    """The council's allegations path with its steps deleted (`steps:` left
    empty, as an editor leaves it), while the academy hands allegations to
    the council's LADO: the walk stops there, the schema finding says what
    is wrong, never an internal error (found by the incremental re-check's
    random edits)."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root)
    council = root / "orgs" / "northshire-cs.yaml"
    text = council.read_text(encoding="utf-8")
    path = re.search(
        r"(?m)^  - concern: allegation-against-staff\n    steps:\n(?:      .*\n)+", text
    )
    assert path is not None
    council.write_text(
        text[: path.start()]
        + "  - concern: allegation-against-staff\n"
        + emptied
        + text[path.end() :],
        encoding="utf-8",
    )
    code, out = invoke("check", "--today", TODAY, "-f", "json", cwd=root)
    assert code == 1, out
    found = json.loads(out)["findings"]
    assert any(
        f["code"] == "PC003" and f["path"] == "orgs/northshire-cs.yaml" and "steps" in f["message"]
        for f in found
    ), out
