"""`--help` in words: what each command, argument and option is, in full.

typer's own help shows Python's types (`paths... <list[str]>`, `<str>`,
`<path>`), braces around a required argument, wraps lines at hyphens
(`YYYY-MM-` / `DD`, `our-` / `partnership`) and cuts the command list's
descriptions short with `...`. The command classes here (typer takes them
as `cls=`) write the same sections for people: arguments by their upper-case
name (`PATHS...`), options as typer describes them (each option names its
value, `--output FILE`, so typer shows no type), lines wrapped between words
only, and each command's description in the command list in full.
tests/cli/test_help.py reads every command's help for any such notation.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Sequence
from typing import Any

from typer import BadParameter
from typer.core import TyperArgument, TyperCommand, TyperGroup

#: The widest first column of a list of options or commands, as click's.
_TERM_COLUMN = 30


def filled(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters, broken between words
    only (never at a hyphen, never inside a word); a blank line between
    paragraphs."""
    lines: list[str] = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        words = " ".join(paragraph.split())
        if not words:
            continue
        if lines:
            lines.append("")
        lines += textwrap.wrap(
            words, width=max(width, 20), break_on_hyphens=False, break_long_words=False
        )
    return lines


def definitions(rows: Sequence[tuple[str, str]], width: int) -> list[str]:
    """A list of terms and what they mean, indented by two: each meaning
    beside its term, or under it when the term is wider than the column."""
    column = min(max(len(term) for term, _ in rows), _TERM_COLUMN) + 2
    lines: list[str] = []
    for term, meaning in rows:
        text = filled(meaning, width - column - 2) or [""]
        if len(term) <= column - 2:
            lines.append(f"  {term:<{column}}{text[0]}".rstrip())
            text = text[1:]
        else:
            lines.append(f"  {term}")
        lines += [f"  {'':<{column}}{line}".rstrip() if line else "" for line in text]
    return lines


def _argument_name(param: Any) -> str:
    name = str(param.metavar or param.name or "").upper()
    return name + ("..." if param.nargs != 1 else "")


def _usage_pieces(command: Any, ctx: Any) -> list[str]:
    """`[OPTIONS] CODE`, `[OPTIONS] [PATHS]...`: the usage line in click's
    notation, without typer's braces and lower-case names."""
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if isinstance(param, TyperArgument):
            name = _argument_name(param)
            if not param.required:
                name = f"[{name[:-3]}]..." if name.endswith("...") else f"[{name}]"
            pieces.append(name)
    return pieces


def _page(command: Any, ctx: Any, width: int, sections: list[tuple[str, list[str]]]) -> str:
    """The whole help page: usage, description, then each section."""
    pieces = " ".join(command.collect_usage_pieces(ctx))
    usage = f"Usage: {ctx.command_path} {pieces}"
    lines = textwrap.wrap(
        usage, width=width, subsequent_indent=" " * 7, break_on_hyphens=False
    ) or [usage]
    if command.help:
        lines += [""] + [f"  {line}" if line else "" for line in filled(command.help, width - 2)]
    for title, body in sections:
        if body:
            lines += ["", f"{title}:", *body]
    return "\n".join(lines) + "\n"


def _parameters(command: Any, ctx: Any, width: int) -> list[tuple[str, list[str]]]:
    arguments: list[tuple[str, str]] = []
    options: list[tuple[str, str]] = []
    for param in command.get_params(ctx):
        if isinstance(param, TyperArgument):
            arguments.append((_argument_name(param), param.help or ""))
            continue
        record = param.get_help_record(ctx)
        if record is not None:
            options.append(record)
    return [
        ("Arguments", definitions(arguments, width) if arguments else []),
        ("Options", definitions(options, width) if options else []),
    ]


class _InWords:
    """Errors on reading a command line, said in words (`in_words`)."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)  # type: ignore[misc]
        except BadParameter as error:
            error.message = in_words(error.message)
            raise


class HelpCommand(_InWords, TyperCommand):
    """A command whose `--help` is written in words (see the module), and
    whose errors on reading its command line are too."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _usage_pieces(self, ctx)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(_page(self, ctx, formatter.width, _parameters(self, ctx, formatter.width)))


class HelpGroup(_InWords, TyperGroup):
    """The command group, listing each command with its whole short help."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        width = formatter.width
        sections = _parameters(self, ctx, width)[1:]
        commands = [
            (name, summary(command))
            for name, command in self.commands.items()
            if not command.hidden
        ]
        sections.append(("Commands", definitions(commands, width) if commands else []))
        formatter.write(_page(self, ctx, width, sections))


def in_words(message: str) -> str:
    """An option's error as a person reads it. typer reads some values
    through pydantic, whose messages name Python's types and exceptions
    (`Value error, ...`, `Input should be a valid integer, ...`)."""
    for pydantic, words in _PYDANTIC_WORDS:
        if re.match(pydantic, message):
            return words
    return re.sub(r"^(?:Value|Type|Assertion) error, ", "", message)


_PYDANTIC_WORDS = (
    (r"Input should be a valid integer", "give a whole number, such as 4."),
    (r"Input should be a valid number", "give a number, such as 4."),
    (r"Input should be a valid boolean", "give yes or no."),
    (r"Input should be a valid date", "give a date written YYYY-MM-DD."),
)


def summary(command: Any) -> str:
    """A command's line in the command list: its `short_help`, else the
    first sentence of its description, never cut short."""
    if command.short_help:
        return str(command.short_help)
    text = " ".join(inspect.cleandoc(command.help or "").split("\n\n")[0].split())
    sentence = re.match(r"(.+?[.?!])(?:\s|$)", text)
    return sentence.group(1) if sentence else text
