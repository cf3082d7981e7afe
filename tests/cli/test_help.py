"""`--help` of every command, as a person reads it in an 80-column terminal:
no developer notation (Python types such as `<list[str]>` or `<str>`, ranges
such as `[x>=1]`, braces, backticks), nothing cut short (every description,
every option's and argument's help and every command's line in the list,
word for word), no line wider than the terminal, no line broken at a hyphen.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import CliRunner

from policycoord.cli.app import COMMANDS, GROUPS, app
from policycoord.cli.help_text import definitions, filled, summary

COMMAND_NAMES = [name for name, _, _ in COMMANDS]

#: Developer notation that has no place in help for people.
NOTATION = {
    "a Python type or choice in angle brackets": re.compile(r"<[^>\n]*>"),
    "a range": re.compile(r"\[x|x>=|>=|<=|RANGE|INTEGER|TEXT\b|PATH\b"),
    "a Python list type": re.compile(r"list\["),
    "braces": re.compile(r"[{}]"),
    "a backtick": re.compile(r"`"),
    "a description cut short": re.compile(r"[a-z,]\.\.\.(?!\S)"),
}


def words(text: str) -> str:
    return " ".join(text.split())


def help_page(cli: CliRunner, monkeypatch: pytest.MonkeyPatch, *command: str) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = cli(*command, "--help")
    assert (code, err) == (0, ""), out
    return out


def click_command(*path: str) -> Any:
    import typer.main

    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return command


def parameters(name: str) -> Iterator[Any]:
    yield from click_command(name).params


@pytest.mark.parametrize("command", [[], *([name] for name in COMMAND_NAMES)], ids=str)
def test_help_has_no_developer_notation_and_fits_80_columns(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    page = help_page(cli, monkeypatch, *command)
    for what, pattern in NOTATION.items():
        found = pattern.search(page)
        assert found is None, f"{what}: {found.group(0)!r} in\n{page}"
    for line in page.splitlines():
        assert len(line) <= 80, line
        assert not re.search(r"\w-$", line), f"broken at a hyphen: {line!r}"


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_description_and_option_help_is_there_in_full(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    page = words(help_page(cli, monkeypatch, name))
    command = click_command(name)
    assert words(inspect.cleandoc(command.help)) in page
    assert page.startswith(f"Usage: policycoord {name} [OPTIONS]")
    for param in parameters(name):
        if param.help:
            assert words(param.help) in page, param.name
        if param.param_type_name == "argument":
            assert (param.metavar or "").isupper() or param.name.upper() in page, param.name
        else:
            assert param.metavar or param.is_flag, f"--{param.name} shows no name for its value"


def test_the_command_list_gives_each_line_in_full(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = help_page(cli, monkeypatch)
    listed = page.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == [*COMMAND_NAMES, *(n for n, _, _ in GROUPS)]
    for (name, _, line), shown in zip((*COMMANDS, *GROUPS), listed, strict=True):
        assert shown == f"  {name:<10}{line}", shown
        assert summary(click_command(name)) == line


def test_usage_names_arguments_as_people_write_them(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Usage: policycoord check [OPTIONS] [PATHS]...\n" in help_page(cli, monkeypatch, "check")
    assert "Usage: policycoord explain [OPTIONS] CODE\n" in help_page(cli, monkeypatch, "explain")
    assert "Usage: policycoord init [OPTIONS] [DIR]\n" in help_page(cli, monkeypatch, "init")
    code, _, err = cli("explain")
    assert code == 2
    assert "Usage: policycoord explain [OPTIONS] CODE" in err
    assert "Missing argument 'CODE'." in err


def test_counts_below_one_are_refused_in_words(cli: CliRunner) -> None:
    for arguments in (("check", "--jobs", "0"), ("history", "--max", "0")):
        code, _, err = cli(*arguments)
        assert code == 2
        assert "0 is too few: give 1 or more." in err


def test_wrapping_keeps_words_and_hyphenated_terms_whole() -> None:
    text = "The date to check reviews against (YYYY-MM-DD). [default: our-partnership]"
    for width in range(20, 60):
        lines = filled(text, width)
        assert " ".join(lines) == text
        assert all(len(line) <= width or " " not in line for line in lines)
        assert any("(YYYY-MM-DD)." in line for line in lines), lines
        assert any("our-partnership]" in line for line in lines), lines
    assert filled("One.\n\nTwo.", 40) == ["One.", "", "Two."]


def test_definitions_put_a_long_term_on_its_own_line() -> None:
    rows = [("-o, --output FILE", "Write it."), ("-f, --format " + "x|" * 20 + "x", "Format.")]
    lines = definitions(rows, 78)
    assert lines[0] == "  -o, --output FILE" + " " * 15 + "Write it."  # a column of 30 + 2
    assert lines[1] == "  -f, --format " + "x|" * 20 + "x"
    assert lines[2] == " " * 34 + "Format."
    assert definitions([("-q", "Quiet.")], 78) == ["  -q  Quiet."]


def _options_taking_values() -> Iterator[tuple[list[str], str]]:
    """Every option of every command (and of each group's commands) that
    takes a value, with the command path that owns it."""
    paths = [[name] for name in COMMAND_NAMES]
    paths += [[group, name] for group, sub, _ in GROUPS for name in click_command(group).commands]
    for path in paths:
        command = click_command(*path)
        for param in command.params:
            if getattr(param, "is_flag", False) or not getattr(param, "opts", None):
                continue
            if param.param_type_name == "option":
                yield path, param.opts[0]


@pytest.mark.parametrize(
    ("path", "option"),
    list(_options_taking_values()),
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_a_wrong_value_for_any_option_is_answered_in_words(
    cli: CliRunner, path: list[str], option: str
) -> None:
    """typer reads choices and numbers through pydantic, whose messages
    (`Value error, ...`, `Input should be a valid integer`) are not for
    people; each is said in words, exit status 2, never a traceback."""
    code, out, err = cli(*path, option, "1.5x\u00e9")
    said = out + err
    if code != 2:  # a free-text option (a file name, a title): nothing to refuse
        return
    assert "Error: " in said or "policycoord:" in said, said
    for notation in ("Value error", "Input should", "validation error", "Traceback", "pydantic"):
        assert notation not in said, said
