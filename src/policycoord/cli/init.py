"""`init`: a new policy repository that passes `policycoord check` at once, and
works on its first push."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from policycoord.cli.options import parse_today
from policycoord.core.errors import PolicycoordError
from policycoord.workflows import init as init_files

FolderArg = Annotated[
    Path,
    typer.Argument(
        help="Where to create the repository (created if missing). Default: the current folder.",
        metavar="DIR",
        show_default=False,
    ),
]
PartnershipIdOpt = Annotated[
    str,
    typer.Option(
        "--partnership-id",
        help="The partnership's id: lower-case letters, digits and hyphens.",
        metavar="ID",
    ),
]
PartnershipNameOpt = Annotated[
    str, typer.Option("--partnership-name", help="The partnership's full name.", metavar="NAME")
]
OrganisationIdOpt = Annotated[
    str,
    typer.Option(
        "--organisation-id",
        help="The first organisation's id: lower-case letters, digits and hyphens.",
        metavar="ID",
    ),
]
OrganisationNameOpt = Annotated[
    str,
    typer.Option("--organisation-name", help="The first organisation's name.", metavar="NAME"),
]
SectorOpt = Annotated[
    str,
    typer.Option(
        "--sector",
        help="The first organisation's sector, such as education, health, police or sport "
        "(policycoord schema policy lists them all).",
        metavar="SECTOR",
    ),
]
ApprovedOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        help="The approval date written in the new policy (YYYY-MM-DD).",
        metavar="DATE",
    ),
]


def init(
    folder: FolderArg = Path(),
    partnership_id: PartnershipIdOpt = init_files.DEFAULT_PARTNERSHIP_ID,
    partnership_name: PartnershipNameOpt = init_files.DEFAULT_PARTNERSHIP_NAME,
    organisation_id: OrganisationIdOpt = init_files.DEFAULT_ORGANISATION_ID,
    organisation_name: OrganisationNameOpt = init_files.DEFAULT_ORGANISATION_NAME,
    sector: SectorOpt = init_files.DEFAULT_SECTOR,
    today: ApprovedOpt = None,
) -> None:
    """Start a policy repository: partnership.yaml, one organisation in orgs/, the schemas
    editors check them against, a pre-commit config and a GitHub Actions workflow. The
    result passes policycoord check at once; the pre-commit hooks and the workflow use this
    version's release of policycoord, so they work on the first push.

    An existing file is never overwritten: it is left alone and named. Exit status 0 when
    every file was written or already there; 2 when DIR is a file, an id is not a slug or
    a file cannot be written.
    """
    files = init_files.starter_files(
        partnership_id=partnership_id,
        partnership_name=partnership_name,
        organisation_id=organisation_id,
        organisation_name=organisation_name,
        sector=sector,
        today=parse_today(today),
    )
    if folder.exists() and not folder.is_dir():
        raise PolicycoordError(f"Cannot create a repository in {folder}: it is a file.")
    for relative in files:
        _refuse_links(folder, relative)
    written, left = _write_files(folder, files)
    summary = f"Wrote {len(written)} file{'s' if len(written) != 1 else ''} in {folder}"
    if left:
        summary += f"; left {len(left)} existing file{'s' if len(left) != 1 else ''} alone"
        summary += f": {', '.join(left)}"
    sys.stdout.write(summary + ".\n")
    if written:
        sys.stdout.write("Next: edit the files, then run `policycoord check` in that folder.\n")
    raise typer.Exit(0)


def _refuse_links(folder: Path, relative: str) -> None:
    """A PolicycoordError when a folder on the way to `relative` (below
    `folder`) is a symbolic link or not a folder: init writes only inside
    `folder`, never through a link (a link at the file itself is left alone,
    as any existing file is)."""
    place = folder
    for part in Path(relative).parts[:-1]:
        place = place / part
        if place.is_symlink():
            raise PolicycoordError(
                f"Cannot create the repository in {folder}: {place} is a symbolic link (to "
                f"{os.readlink(place)}), and init writes only inside {folder}, never through a "
                f"link. Remove the link or make {part} a folder, then run init again."
            )
        if place.exists() and not place.is_dir():
            raise PolicycoordError(
                f"Cannot create the repository in {folder}: {place} is a file, where init "
                "needs a folder. Move it away, then run init again."
            )


def _write_files(folder: Path, files: dict[str, str]) -> tuple[list[str], list[str]]:
    """Each file that is not there yet, saying so as it goes: (written, left
    alone). `write_new_below` opens each folder on the way without following
    a link (where the system can), and names a link found there meanwhile
    through `_refuse_links`."""
    from policycoord.output.writing import write_new_below

    written: list[str] = []
    left: list[str] = []
    for relative, text in files.items():
        check = functools.partial(_refuse_links, folder, relative)
        if write_new_below(folder, relative, text, check=check):
            written.append(relative)
            sys.stdout.write(f"Wrote {relative}\n")
        else:
            left.append(relative)
            sys.stdout.write(f"Left {relative} alone: it already exists.\n")
    return written, left
