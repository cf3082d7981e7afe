"""`rules`, `explain` and `schema`: what policycoord checks, and the file formats."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer


class SchemaKind(StrEnum):
    policy = "policy"
    partnership = "partnership"


def rules_command() -> None:
    """List every rule: code, name, default severity and what it reports."""
    from policycoord.checks.catalogue import rules_table

    sys.stdout.write(rules_table())


CodeArg = Annotated[str, typer.Argument(help="A rule code such as PC203.", metavar="CODE")]
KindArg = Annotated[
    SchemaKind, typer.Argument(help="Which schema: policy or partnership.", metavar="KIND")
]


def explain(code: CodeArg) -> None:
    """Show one rule's documentation, with an example that triggers it and a fixed one."""
    from policycoord.checks.catalogue import explain as explain_rule

    sys.stdout.write(explain_rule(code))


def schema(kind: KindArg) -> None:
    """Print the JSON Schema of a policy file or of the partnership file."""
    from policycoord.input.validation import schema_text

    sys.stdout.write(schema_text(kind.value))
