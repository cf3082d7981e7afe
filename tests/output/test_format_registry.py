"""The one format registry (policycoord.output.formats) and the command line:
every command's `--format` choices are the registry's, in its order; an
`--output` file's suffix means the same format to every command that renders
it (`.html` and `.htm` are html, `.md` and `.markdown` are markdown); a suffix
that says nothing leaves each command its own default."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    PROJECT_ROOT,
    TODAY,
    CliRunner,
    clean_env,
    invoke,
    make_repo,
    partnership,
    policy,
)

from policycoord.output import formats

#: The `--format` choices as they were before the registry, in the order shown.
CHOICES = {
    "check": ["terminal", "markdown", "json", "sarif", "github", "gitlab", "junit", "html"],
    "validate": ["terminal", "markdown", "json", "sarif", "github", "gitlab", "junit", "html"],
    "diff": ["terminal", "markdown", "json"],
    "history": ["terminal", "markdown", "json", "html"],
    "matrix": ["terminal", "markdown", "csv", "json"],
    "mission": ["markdown", "html"],
}

#: What an --output suffix means to every command that renders the format.
SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".HTM": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".Markdown": "markdown",
    ".json": "json",
    ".csv": "csv",
    ".sarif": "sarif",
    ".xml": "junit",
}


def format_choices(command: str) -> list[str] | None:
    """The `--format` choices that `policycoord COMMAND --help` shows, or None."""
    code, text = invoke(command, "--help", cwd=PROJECT_ROOT)
    assert code == 0, text
    shown = re.search(r"-f, --format ([a-z]+(?:\|[a-z]+)+)", text)
    return shown.group(1).split("|") if shown else None


@pytest.mark.parametrize("command", list(formats.COMMANDS))
def test_format_choices_are_the_registrys(command: str) -> None:
    assert format_choices(command) == list(formats.names(command)) == CHOICES[command]


@pytest.mark.parametrize("command", list(formats.COMMANDS))
def test_the_help_names_every_suffix_the_command_takes(command: str) -> None:
    """The --format help comes from the registry too, so it cannot fall behind it."""
    code, text = invoke(command, "--help", cwd=PROJECT_ROOT)
    assert code == 0, text
    help_text = " ".join(text.split())
    for fmt in formats.formats(command):
        for suffix in fmt.suffixes:
            assert suffix in help_text, (command, suffix)
    assert f"else {formats.COMMANDS[command]}." in help_text


def test_every_renderer_lives_among_the_reporters() -> None:
    """The registry names renderers as strings, which the import test cannot
    read: they must be reporters (never a front end, never a rule)."""
    for fmt in formats.FORMATS:
        for command, name in fmt.renderers.items():
            assert name.startswith("policycoord.output.reporters."), (fmt.name, command, name)


def test_the_other_commands_take_no_format() -> None:
    for command in ("baseline", "rules", "explain", "schema", "init"):
        assert command not in formats.COMMANDS
        assert format_choices(command) is None, command


def test_every_renderer_is_a_function_that_exists() -> None:
    for fmt in formats.FORMATS:
        for command in fmt.commands:
            assert command in formats.COMMANDS, (fmt.name, command)
            assert callable(fmt.renderer(command)), (fmt.name, command)


def test_a_suffix_means_one_format_and_names_are_unique() -> None:
    names = [fmt.name for fmt in formats.FORMATS]
    assert len(names) == len(set(names))
    suffixes = [suffix for fmt in formats.FORMATS for suffix in fmt.suffixes]
    assert len(suffixes) == len(set(suffixes))
    assert all(suffix == suffix.lower() and suffix.startswith(".") for suffix in suffixes)


def test_each_default_is_a_format_of_its_command() -> None:
    for command, default in formats.COMMANDS.items():
        assert default in formats.names(command), command


def test_only_check_draws_views_and_only_in_markdown_and_html() -> None:
    assert {fmt.name for fmt in formats.FORMATS if fmt.draws_views} == {"markdown", "html"}


@pytest.mark.parametrize("command", list(formats.COMMANDS))
@pytest.mark.parametrize("suffix", list(SUFFIXES))
def test_a_suffix_means_the_same_to_every_command_that_renders_it(
    command: str, suffix: str
) -> None:
    meant = SUFFIXES[suffix]
    expected = meant if meant in formats.names(command) else formats.COMMANDS[command]
    assert formats.format_for(command, Path(f"board/report{suffix}")) == expected


@pytest.mark.parametrize("command", list(formats.COMMANDS))
def test_without_a_telling_suffix_each_command_keeps_its_default(command: str) -> None:
    default = "markdown" if command == "mission" else "terminal"
    for output in (None, Path("report"), Path("report.txt"), Path("report.yaml")):
        assert formats.format_for(command, output) == default
        assert formats.choose(command, None, output).name == default


def test_format_wins_over_the_suffix() -> None:
    assert formats.choose("check", "json", Path("report.htm")).name == "json"


def test_the_registry_imports_no_reporter() -> None:
    """The reporters import RenderOptions from the registry: it names them
    as strings and imports one only to render."""
    probe = (
        "import sys; import policycoord.output.formats; "
        "print(sorted(m for m in sys.modules if m.startswith('policycoord.output.reporters')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=clean_env(), capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


# --- end to end: the suffix and --format give the same bytes --------------------------------


def small_repo(root: Path) -> Path:
    return make_repo(
        root,
        {
            "partnership.yaml": partnership(["alpha", "beta"]),
            "orgs/alpha.yaml": policy("alpha"),
            "orgs/beta.yaml": policy("beta", sector="health"),
        },
    )


def written_by_suffix_and_by_format(
    cli: CliRunner, repo: Path, tmp_path: Path, arguments: list[str], suffix: str, fmt: str
) -> tuple[str, str]:
    target = tmp_path / f"report{suffix}"
    code, out, err = cli(*arguments, "-o", target, cwd=repo)
    assert code in (0, 1) and out == "", err
    by_suffix = target.read_text(encoding="utf-8")
    code, by_format, err = cli(*arguments, "-f", fmt, cwd=repo)
    assert code in (0, 1), err
    return by_suffix, by_format


@pytest.mark.parametrize(
    ("command", "suffix", "fmt"),
    [
        ("check", ".htm", "html"),
        ("check", ".markdown", "markdown"),
        ("validate", ".htm", "html"),
        ("validate", ".markdown", "markdown"),
        ("matrix", ".markdown", "markdown"),
        ("mission", ".htm", "html"),
        ("mission", ".markdown", "markdown"),
    ],
)
def test_the_output_suffix_picks_the_format(
    cli: CliRunner, tmp_path: Path, command: str, suffix: str, fmt: str
) -> None:
    repo = small_repo(tmp_path / "repo")
    arguments = [command, "--today", TODAY]
    by_suffix, by_format = written_by_suffix_and_by_format(
        cli, repo, tmp_path, arguments, suffix, fmt
    )
    assert by_suffix == by_format
    assert by_suffix.startswith("<!DOCTYPE html>" if fmt == "html" else "#")


def git(repo: Path, *arguments: str) -> None:
    environment = clean_env(
        {
            "GIT_AUTHOR_NAME": "Business Manager",
            "GIT_AUTHOR_EMAIL": "bm@partnership.example",
            "GIT_COMMITTER_NAME": "Business Manager",
            "GIT_COMMITTER_EMAIL": "bm@partnership.example",
            "GIT_AUTHOR_DATE": "2026-06-01T10:00:00+00:00",
            "GIT_COMMITTER_DATE": "2026-06-01T10:00:00+00:00",
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": os.fspath(repo.parent),
        }
    )
    subprocess.run(["git", *arguments], cwd=repo, env=environment, capture_output=True, check=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize(
    ("arguments", "suffix", "fmt"),
    [
        (["diff", "--base", "HEAD", "--today", TODAY], ".markdown", "markdown"),
        (["history"], ".markdown", "markdown"),
        (["history"], ".htm", "html"),
    ],
)
def test_the_output_suffix_picks_the_format_across_revisions(
    cli: CliRunner, tmp_path: Path, arguments: list[str], suffix: str, fmt: str
) -> None:
    repo = small_repo(tmp_path / "repo")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The partnership")
    by_suffix, by_format = written_by_suffix_and_by_format(
        cli, repo, tmp_path, arguments, suffix, fmt
    )
    assert by_suffix == by_format
    assert by_suffix.startswith("<!DOCTYPE html>" if fmt == "html" else "#")
