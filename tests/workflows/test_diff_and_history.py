"""`policycoord diff` and `policycoord history` on a scratch git repository.

The repository is the shipped example, then three commits a safeguarding lead
might make (issue 9's "checked by"): one adds a gap (the academy drops its
LADO duty), one fixes a dead end (the football club escalates to the MASH
instead of a team that does not exist), one lengthens a timeframe (the
academy's DSL refers within 2 hours, not immediately). `diff` must report
exactly those; `history` must count each commit as `check` did on its day.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import GOLDEN, PROJECT_ROOT, invoke
from markdown_it import MarkdownIt

EXAMPLE = PROJECT_ROOT / "examples" / "policies"
TODAY = "2026-11-24"
MAIN = "import sys; from policycoord.cli.app import main; main(sys.argv[1:])"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

#: commit subjects and dates, oldest first
COMMITS = (
    ("The example partnership", "2026-06-01"),
    ("Academy: the principal no longer reports allegations to the LADO", "2026-07-01"),
    ("Riverside FC: escalate to the MASH, not the old front door", "2026-08-15"),
    ("Academy: the DSL refers within 2 hours", "2026-09-01"),
)


def git(repo: Path, *arguments: str, date: str = "2026-06-01") -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Business Manager",
        "GIT_AUTHOR_EMAIL": "bm@partnership.example",
        "GIT_COMMITTER_NAME": "Business Manager",
        "GIT_COMMITTER_EMAIL": "bm@partnership.example",
        "GIT_AUTHOR_DATE": f"{date}T10:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{date}T10:00:00+00:00",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo.parent),
    }
    done = subprocess.run(
        ["git", *arguments], cwd=repo, env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def commit(repo: Path, index: int) -> None:
    subject, date = COMMITS[index]
    git(repo, "add", "-A", date=date)
    git(repo, "commit", "-q", "-m", subject, date=date)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scratch") / "policies"
    shutil.copytree(EXAMPLE, root)
    git(root, "init", "-q", "-b", "main")
    commit(root, 0)
    edit(
        root / "orgs/northshire-academy.yaml",
        "  - duty: report-allegation-to-lado\n    role: principal\n    raci: accountable\n"
        "    within: 1 working day\n",
        "",
    )
    commit(root, 1)
    edit(root / "orgs/riverside-fc.yaml", "to: northshire-cs/front-door", "to: northshire-cs/mash")
    commit(root, 2)
    edit(
        root / "orgs/northshire-academy.yaml",
        "    role: dsl\n    raci: accountable\n    within: immediately\n",
        "    role: dsl\n    raci: accountable\n    within: 2 hours\n",
    )
    commit(root, 3)
    git(root, "tag", "board-2026-07", "HEAD~2")
    git(root, "tag", "board-2026-09", "HEAD")
    return root


def run(repo: Path, *arguments: str) -> tuple[int, str]:
    return invoke(*arguments, cwd=repo)


def diff_json(repo: Path, base: str, head: str | None, *more: str) -> tuple[int, dict]:
    arguments = ["diff", "--base", base, "--today", TODAY, "-f", "json", *more]
    if head is not None:
        arguments += ["--head", head]
    status, output = run(repo, *arguments)
    return status, json.loads(output)


def codes(findings: list[dict]) -> list[tuple[str, str | None]]:
    return sorted((f["code"], f["organisation"]) for f in findings)


def meaning(document: dict) -> list[tuple[str, str, str | None, str]]:
    return [
        (c["kind"], c["direction"], c["organisation"], c["subject"]) for c in document["changes"]
    ]


def test_a_change_that_adds_a_gap_is_reported_and_fails(repo: Path) -> None:
    status, document = diff_json(repo, "HEAD~3", "HEAD~2")
    assert codes(document["introduced"]) == [("PC102", "northshire-academy")]
    assert document["resolved"] == []
    assert meaning(document) == [
        ("owner", "removed", "northshire-academy", "report-allegation-to-lado")
    ]
    assert document["changes"][0]["in_base"] is True
    assert document["changes"][0]["before"] == "principal"
    assert status == 1
    assert document["failed"] is True


def test_a_change_that_fixes_a_dead_end_resolves_it_and_passes(repo: Path) -> None:
    status, document = diff_json(repo, "HEAD~2", "HEAD~1")
    assert document["introduced"] == []
    assert codes(document["resolved"]) == [("PC201", "riverside-fc"), ("PC203", "riverside-fc")]
    assert meaning(document) == [
        ("escalation", "added", "riverside-fc", "significant-harm"),
        ("escalation", "removed", "riverside-fc", "significant-harm"),
    ]
    assert [c["after"] for c in document["changes"]] == ["northshire-cs/mash", None]
    assert [c["before"] for c in document["changes"]] == [None, "northshire-cs/front-door"]
    assert status == 0


def test_a_longer_timeframe_is_a_change_in_meaning_not_a_finding(repo: Path) -> None:
    status, document = diff_json(repo, "HEAD~1", "HEAD")
    assert document["introduced"] == [] and document["resolved"] == []
    assert meaning(document) == [
        ("timeframe", "longer", "northshire-academy", "refer-to-childrens-social-care")
    ]
    change = document["changes"][0]
    assert (change["before"], change["after"]) == ("immediately", "2 hours")
    assert change["path"] == "orgs/northshire-academy.yaml"
    assert status == 0


def test_the_reverse_change_is_shorter_and_gives_the_duty_back(repo: Path) -> None:
    status, document = diff_json(repo, "HEAD", "HEAD~3")
    assert codes(document["introduced"]) == [("PC201", "riverside-fc"), ("PC203", "riverside-fc")]
    assert codes(document["resolved"]) == [("PC102", "northshire-academy")]
    assert ("timeframe", "shorter", "northshire-academy", "refer-to-childrens-social-care") in (
        meaning(document)
    )
    assert ("owner", "added", "northshire-academy", "report-allegation-to-lado") in meaning(
        document
    )
    assert status == 1


def test_a_change_is_never_blocked_by_findings_it_did_not_add(repo: Path) -> None:
    """The base already has 8 errors; a change that adds none passes."""
    status, document = diff_json(repo, "HEAD~1", "HEAD")
    assert document["base"]["summary"]["error"] > 0
    assert status == 0
    status, _ = diff_json(repo, "HEAD~3", "HEAD~2", "--fail-on", "never")
    assert status == 0


def test_without_head_the_working_tree_is_compared_and_left_untouched(repo: Path) -> None:
    club = repo / "orgs/northshire-academy.yaml"
    before = club.read_bytes()
    edit(club, "  - duty: train-staff\n    role: dsl\n    raci: accountable\n", "")
    try:
        edited = club.read_bytes()
        stat = club.stat()
        status_before = git(repo, "status", "--porcelain")
        status, document = diff_json(repo, "HEAD", None)
        assert document["head"]["revision"] == "working tree"
        assert document["head"]["commit"] is None
        assert codes(document["introduced"]) == [("PC102", "northshire-academy")]
        assert status == 1
        assert club.read_bytes() == edited and club.stat().st_mtime_ns == stat.st_mtime_ns
        assert git(repo, "status", "--porcelain") == status_before
    finally:
        club.write_bytes(before)


def test_diff_output_is_deterministic_and_parses(repo: Path) -> None:
    for fmt in ("terminal", "markdown", "json"):
        first = run(repo, "diff", "--base", "HEAD~3", "--head", "HEAD", "--today", TODAY, "-f", fmt)
        second = run(
            repo, "diff", "--base", "HEAD~3", "--head", "HEAD", "--today", TODAY, "-f", fmt
        )
        assert first == second, fmt
    status, text = run(
        repo, "diff", "--base", "HEAD~3", "--head", "HEAD", "--today", TODAY, "-f", "markdown"
    )
    assert status == 1
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[1:] == [
        "Introduced (1)",
        "Resolved (2)",
        "What changed in meaning (4)",
        "Who owns each duty (1)",
        "Timeframes (1)",
        "Escalation targets (2)",
    ]
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    assert "❌ Failed: this change adds 1 finding" in text
    _status, text = run(repo, "diff", "--base", "HEAD~3", "--head", "HEAD", "--today", TODAY)
    assert "Introduced (1)" in text and "Resolved (2)" in text
    assert "longer   Northshire Academy's `dsl` for `refer-to-childrens-social-care`" in text


def test_output_file_and_its_format_from_the_extension(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "comment.md"
    status, printed = run(
        repo, "diff", "--base", "HEAD~1", "--head", "HEAD", "--today", TODAY, "-o", str(target)
    )
    assert status == 0 and printed == ""
    assert target.read_text(encoding="utf-8").startswith(
        "## Northshire Safeguarding Children Partnership: what this change does"
    )


def test_a_revision_that_does_not_exist_is_a_clear_error(repo: Path) -> None:
    for arguments, expected in (
        (["--base", "no-such-branch"], "does not exist in this repository"),
        (["--base", "HEAD", "--head", "no-such-tag"], "'no-such-tag' (--head) does not exist"),
        (["--base", "--upload-pack=touch /tmp/x"], "is not a git revision"),
    ):
        completed = subprocess.run(
            [sys.executable, "-c", MAIN, "diff", *arguments],
            cwd=repo,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 2, completed.stderr
        assert expected in completed.stderr
        assert "Traceback" not in completed.stderr
        assert completed.stderr.count("\n") == 1


def test_a_shallow_clone_without_the_base_says_how_to_fetch_it(repo: Path, tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
        check=True,
        capture_output=True,
    )
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            MAIN,
            "diff",
            "--base",
            "HEAD~1",
        ],
        cwd=shallow,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "shallow clone" in completed.stderr
    assert "fetch-depth: 0" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_outside_a_git_repository_diff_says_so(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(EXAMPLE, plain)
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            MAIN,
            "diff",
            "--base",
            "main",
        ],
        cwd=plain,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)},
    )
    assert completed.returncode == 2
    assert "not inside a git repository" in completed.stderr


def test_a_base_without_the_partnership_file_has_no_findings(tmp_path: Path) -> None:
    root = tmp_path / "new"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("Our policies will live here.\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    shutil.copytree(EXAMPLE, root, dirs_exist_ok=True)
    status, document = diff_json(root, "HEAD", None)
    assert document["base"]["has_partnership"] is False
    assert len(document["introduced"]) == 19
    assert {c["kind"] for c in document["changes"]} == {"organisation"}
    assert len(document["changes"]) == 9
    assert status == 1


def test_symlinks_in_a_revision_are_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "linked"
    shutil.copytree(EXAMPLE, root)
    secret = tmp_path / "secret.yaml"
    secret.write_text("organisation: {id: outsider, name: Outsider, sector: other}\n")
    git(root, "init", "-q", "-b", "main")
    (root / "orgs" / "outsider.yaml").symlink_to(secret)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "with a link")
    from policycoord.workflows.revisions import Repository, export

    destination = tmp_path / "out"
    destination.mkdir()
    sha = git(root, "rev-parse", "HEAD").strip()
    written = export(Repository(root, "", "partnership.yaml"), sha, destination)
    assert not (destination / "orgs" / "outsider.yaml").exists()
    assert written == len(list(EXAMPLE.rglob("*.yaml")))  # the YAML files only, not README.md
    assert not (destination / "README.md").exists()


def test_a_policy_file_over_the_size_limit_is_not_read_into_memory(tmp_path: Path) -> None:
    root = tmp_path / "big"
    shutil.copytree(EXAMPLE, root)
    (root / "orgs" / "huge.yaml").write_bytes(b"# padding\n" * 200_000)  # 2 MB
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a huge file")
    from policycoord.workflows.revisions import Repository, export

    destination = tmp_path / "out"
    destination.mkdir()
    sha = git(root, "rev-parse", "HEAD").strip()
    export(Repository(root, "", "partnership.yaml"), sha, destination, max_size=1_000_000)
    huge = destination / "orgs" / "huge.yaml"
    assert huge.stat().st_size == 2_000_000  # the size the check judges by
    assert huge.stat().st_blocks * 512 < 100_000  # sparse: not written out
    status, document = diff_json(root, "HEAD", None, "--max-file-size", "1MB")
    assert status == 0  # the example's own errors, none of them new
    assert document["introduced"] == [] and document["resolved"] == []
    assert document["base"]["summary"] == document["head"]["summary"]


def test_moving_an_item_in_a_list_is_not_a_new_finding(repo: Path) -> None:
    """A step added above an existing finding moves its JSON pointer (so its
    fingerprint); the finding is the same, and the change is not blocked."""
    club = repo / "orgs/riverside-fc.yaml"
    before = club.read_bytes()
    edit(
        club,
        "  - concern: significant-harm\n    steps:\n",
        "  - concern: significant-harm\n    steps:\n"
        "      - to: chair\n        within: immediately\n        out_of_hours: northshire-cs/edt\n",
    )
    try:
        status, document = diff_json(repo, "HEAD", None)
        assert document["introduced"] == [] and document["resolved"] == []
        assert [(c["kind"], c["after"]) for c in document["changes"]] == [
            ("escalation", "riverside-fc/chair")
        ]
        assert status == 0
    finally:
        club.write_bytes(before)


def test_a_broken_file_is_not_a_fix(repo: Path) -> None:
    school = repo / "orgs/st-marys-primary.yaml"
    before = school.read_bytes()
    school.write_bytes(before + b"roles: [\n")
    try:
        status, document = diff_json(repo, "HEAD", None)
        assert "PC001" in [f["code"] for f in document["introduced"]]
        assert [f["organisation"] for f in document["resolved"]] == []
        assert document["unreadable"] == ["orgs/st-marys-primary.yaml"]
        assert document["unjudged"] >= 1
        assert not [c for c in document["changes"] if c["kind"] == "organisation"]
        assert status == 1
    finally:
        school.write_bytes(before)
    partnership = repo / "partnership.yaml"
    before = partnership.read_bytes()
    partnership.write_bytes(before + b"duties: [\n")
    try:
        status, document = diff_json(repo, "HEAD", None)
        assert document["resolved"] == [] and document["unjudged"] > 10
        assert document["unreadable"] == ["partnership.yaml"]
        assert status == 1
    finally:
        partnership.write_bytes(before)


def test_a_head_without_the_partnership_file_cannot_pass(tmp_path: Path) -> None:
    root = tmp_path / "deleted"
    shutil.copytree(EXAMPLE, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    git(root, "checkout", "-q", "-b", "remove")
    git(root, "rm", "-q", "partnership.yaml")
    git(root, "commit", "-q", "-m", "remove the framework")
    git(root, "checkout", "-q", "main")
    completed = subprocess.run(
        [sys.executable, "-c", MAIN, "diff", "--base", "main", "--head", "remove"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "The head revision 'remove' has no partnership file" in completed.stderr


def test_a_base_that_cannot_be_checked_is_said_and_the_head_still_judged(tmp_path: Path) -> None:
    root = tmp_path / "repair"
    shutil.copytree(EXAMPLE, root)
    partnership = root / "partnership.yaml"
    good = partnership.read_text(encoding="utf-8")
    edit(partnership, "rules:\n  fail_on: error\n", "rules:\n  fail_on: error\n  ignore: [PC999]\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a typo in the rules")
    partnership.write_text(good, encoding="utf-8")
    status, document = diff_json(root, "HEAD", None)
    assert "PC999" in document["base"]["problem"]
    assert len(document["introduced"]) == 19
    assert status == 1
    _, text = run(root, "diff", "--base", "HEAD", "--today", TODAY)
    assert "could not be checked" in text and "counts as new" in text
    assert "policycoord-rev-" not in text  # no temporary folder named


# --- history ------------------------------------------------------------------------------------


def history_json(repo: Path, *more: str) -> dict:
    status, output = run(repo, "history", "-f", "json", *more)
    assert status == 0
    return json.loads(output)


def check_summary(repo: Path, sha: str, date: str, tmp_path: Path) -> dict:
    """What `check` says of one commit on its day, from a separate work tree."""
    tree = tmp_path / sha[:12]
    git(repo, "worktree", "add", "-q", "--detach", str(tree), sha)
    try:
        _status, output = run(tree, "check", "-f", "json", "--today", date)
        return json.loads(output)["summary"]
    finally:
        git(repo, "worktree", "remove", "--force", str(tree))


def test_history_counts_each_commit_as_check_did_on_its_day(repo: Path, tmp_path: Path) -> None:
    document = history_json(repo)
    rows = document["commits"]
    assert [r["subject"] for r in rows] == [subject for subject, _ in COMMITS]
    assert [r["date"] for r in rows] == [date for _, date in COMMITS]
    assert [r["tags"] for r in rows] == [[], ["board-2026-07"], [], ["board-2026-09"]]
    for row in rows:
        assert row["summary"] == check_summary(repo, row["commit"], row["date"], tmp_path)
    errors = [r["summary"]["error"] for r in rows]
    assert errors == [8, 9, 7, 7]
    # Riverside FC's review fell due on 31 July 2026: a warning from the August commit on
    warnings = [r["summary"]["warning"] for r in rows]
    assert warnings[2] == warnings[1] + 1


def test_history_tags_max_and_since(repo: Path) -> None:
    tagged = history_json(repo, "--tags")["commits"]
    assert [r["tags"] for r in tagged] == [["board-2026-07"], ["board-2026-09"]]
    latest = history_json(repo, "--max", "2")
    assert [r["subject"] for r in latest["commits"]] == [s for s, _ in COMMITS[2:]]
    assert latest["limited"] is True
    since = history_json(repo, "--since", "board-2026-07")  # the board's version, then after
    assert [r["subject"] for r in since["commits"]] == [s for s, _ in COMMITS[1:]]
    assert since["limited"] is False


def test_history_table_and_board_sentence(repo: Path) -> None:
    status, text = run(repo, "history", "--no-color")
    assert status == 0
    assert "Since 0" not in text  # labelled by tag or short id, never an empty label
    assert "errors down from 8 to 7" in text
    assert "board-2026-07" in text and "board-2026-09" in text
    status, markdown = run(repo, "history", "-f", "markdown")
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 1 + len(COMMITS)


class _SvgCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_history_html_has_an_inline_svg_chart(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "history.html"
    status, _ = run(repo, "history", "-o", str(target))
    assert status == 0
    parser = _SvgCounter()
    parser.feed(target.read_text(encoding="utf-8"))
    names = [tag for tag, _ in parser.tags]
    assert names.count("svg") == 1
    assert names.count("polyline") == 3  # errors, warnings, info
    assert names.count("circle") == len(COMMITS)  # one error marker per commit
    assert "script" not in names
    assert not [tag for tag, attrs in parser.tags if "src" in attrs or "href" in attrs]
    csp = [a["content"] for t, a in parser.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and csp[0].startswith("default-src 'none'")


def test_history_reads_any_commit_subject_and_tag(tmp_path: Path) -> None:
    root = tmp_path / "odd"
    shutil.copytree(EXAMPLE, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fields \x1f and records \x1e, <b>bold</b> | pipe")
    git(root, "tag", "board,2026")
    rows = history_json(root)["commits"]
    assert rows[0]["subject"] == "fields \x1f and records \x1e, <b>bold</b> | pipe"
    assert rows[0]["tags"] == ["board,2026"]
    status, text = run(root, "history", "--no-color")
    assert status == 0 and "\\x1f" in text


def test_history_with_no_commits_or_none_in_range(tmp_path: Path, repo: Path) -> None:
    root = tmp_path / "uncommitted"
    shutil.copytree(EXAMPLE, root)
    git(root, "init", "-q", "-b", "main")
    completed = subprocess.run(
        [sys.executable, "-c", MAIN, "history"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "no commits yet" in completed.stderr
    status, text = run(repo, "history", "--since", "HEAD", "--max", "1")
    assert status == 0 and "board-2026-09" in text


def test_history_outside_git_and_with_no_partnership_yet(tmp_path: Path) -> None:
    root = tmp_path / "empty-history"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("Soon.\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    shutil.copytree(EXAMPLE, root, dirs_exist_ok=True)
    document = history_json(root)
    assert document["commits"] == [] and document["without_partnership"] == 1


# --- golden files -------------------------------------------------------------------------------

GOLDEN = GOLDEN
UPDATE = os.environ.get("POLICYCOORD_UPDATE_GOLDEN") == "1"


def _golden(name: str, actual: str) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.write_bytes(actual.encode("utf-8"))
    assert golden.exists(), f"{golden} is missing; create it with POLICYCOORD_UPDATE_GOLDEN=1."
    assert actual == golden.read_bytes().decode("utf-8"), (
        f"the output differs from {golden}; if intended, rerun with POLICYCOORD_UPDATE_GOLDEN=1."
    )


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("diff.txt", ("diff", "--base", "HEAD~3", "--head", "HEAD", "--today", TODAY)),
        (
            "diff.md",
            ("diff", "--base", "HEAD~3", "--head", "HEAD", "--today", TODAY, "-f", "markdown"),
        ),
        (
            "diff.json",
            ("diff", "--base", "HEAD~3", "--head", "HEAD", "--today", TODAY, "-f", "json"),
        ),
        ("history.txt", ("history", "--no-color")),
        ("history.md", ("history", "-f", "markdown")),
        ("history.json", ("history", "-f", "json")),
        ("history.html", ("history", "-f", "html")),
    ],
)
def test_golden(repo: Path, name: str, arguments: tuple[str, ...]) -> None:
    """Commit ids are the same on every machine: fixed author, dates and content."""
    _status, output = run(repo, *arguments)
    _golden(name, output)


def test_a_terminated_history_stops_cleanly(tmp_path: Path) -> None:
    """SIGTERM (a cancelled CI job) unwinds like Ctrl-C: exit 143, one line,
    and no exported revision left in the temporary folder."""
    import signal
    import time

    root = tmp_path / "long"
    shutil.copytree(EXAMPLE, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    for number in range(40):
        with (root / "orgs" / "riverside-fc.yaml").open("a", encoding="utf-8") as handle:
            handle.write(f"# edit {number}\n")
        git(root, "commit", "-q", "-a", "-m", f"edit {number}")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-c", MAIN, "history", "--max", "40"],
        cwd=root,
        env={**os.environ, "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(temporary.glob("policycoord-rev-*")) and time.monotonic() < deadline:
        assert process.poll() is None, "history finished before it could be stopped"
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert stderr == "policycoord: stopped (the run was terminated).\n"
    assert list(temporary.iterdir()) == []


@pytest.mark.parametrize("moment", ["made", "removing"])
def test_a_stop_just_as_a_revision_folder_is_made_or_removed_leaves_nothing(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    """A SIGTERM (or Ctrl-C) that arrives the moment the temporary folder
    exists, before policycoord knows its name, or while it is being removed,
    waits until the folder is known or gone: nothing is left behind."""
    import signal
    import tempfile

    from policycoord.workflows import revisions

    class Stopped(Exception):
        pass

    def stop(signum: int, frame: object) -> None:
        raise Stopped

    def signalled(real: Callable[..., Any], *, before: bool) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if before:  # the folder is about to be removed: stop now
                os.kill(os.getpid(), signal.SIGTERM)
            result = real(*args, **kwargs)
            if not before:  # the folder is made, its name not yet returned: stop now
                os.kill(os.getpid(), signal.SIGTERM)
            return result

        return wrapper

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    if moment == "made":
        monkeypatch.setattr(tempfile, "mkdtemp", signalled(tempfile.mkdtemp, before=False))
    else:
        monkeypatch.setattr(shutil, "rmtree", signalled(shutil.rmtree, before=True))
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        repository = revisions.repository_for(repo / "partnership.yaml")
        sha = revisions.resolve(repository, "HEAD", option="--head")
        with pytest.raises(Stopped), revisions.exported(repository, sha):
            pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("columns", [60, 72, 80, 100])
def test_history_fits_the_terminal_it_is_given(
    repo: Path, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """COLUMNS is obeyed: the table where its counts fit unsqueezed beside a
    readable subject (here from 90 columns: tags such as board-2026-07 are
    wide), each count under its heading, never cut short; narrower, each
    commit is a paragraph."""
    monkeypatch.setenv("COLUMNS", str(columns))
    _status, output = run(repo, "history", "--no-color")
    lines = output.splitlines()
    assert max(len(line) for line in lines) <= columns, output
    assert all(line == line.rstrip() for line in lines)
    assert "…" not in output
    if columns >= 90:
        assert re.search(r"^2026-07-01  board-2026-07 +9 +5 +4 +1 +9  Academy", output, re.M)
    else:
        assert "2026-07-01 board-2026-07: Academy: the principal no longer" in output
        counts = "9 errors, 5 warnings, 4 info, 1 suppressed, 9 organisations"
        assert counts in " ".join(output.split()), output
