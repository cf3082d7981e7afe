"""The repository checked as it would be with some files' new text, without
writing them: the partnership file and every policy file `check` reads are
copied into a private temporary folder (same names, same layout), the new
texts put in place of their files, and that folder checked. Paths in the
findings are the repository's, as `check` shows them."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from policycoord.core.findings import Report
from policycoord.input.discovery import discover, display_path
from policycoord.input.loading import load_file
from policycoord.model.build import policies_globs
from policycoord.model.model import Model
from policycoord.workflows.pipeline import Options, check_with_model


def check_with_texts(
    partnership_file: Path, texts: Mapping[str, bytes], options: Options
) -> tuple[Model, Report]:
    """The check of the repository of `partnership_file` with `texts` (by
    path relative to its folder) in place of those files."""
    root = partnership_file.parent
    shown = display_path(partnership_file, root)
    loaded = load_file(partnership_file, shown, max_size=options.max_file_size)
    found = discover(
        (), partnership=str(partnership_file), cwd=root, policies_globs=policies_globs(loaded)
    )
    files = {shown: partnership_file, **{p.display: p.file for p in found.policies}}
    with tempfile.TemporaryDirectory(prefix="policycoord-workbook-") as folder:
        copy = Path(folder)
        for relative, source in files.items():
            if relative.startswith("../") or os.path.isabs(relative):
                continue  # outside the partnership's folder: not copied
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if relative in texts:
                target.write_bytes(texts[relative])
            else:
                shutil.copyfile(source, target)
        return check_with_model([], partnership=str(copy / shown), cwd=copy, options=options)
