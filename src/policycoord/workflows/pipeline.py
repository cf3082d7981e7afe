"""The Python API: discovery -> loading -> validation -> build -> engine -> Report.

`check()` is what `policycoord check` runs and what the tests call. It never
prints and never exits; it raises PolicycoordError only when it cannot run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from policycoord.checks.catalogue import catalogue
from policycoord.checks.engine import Config, Outcome, Selection, check_codes, run
from policycoord.checks.rules import FILE_CODES
from policycoord.core.about import __version__
from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import BaselineEntry, FileProblem, Report, Summary, Violation
from policycoord.input.discovery import (
    PARTNERSHIP_FILE,
    Discovered,
    contained_yaml_files,
    discover,
    display_path,
    locate_partnership,
)
from policycoord.input.loading import DEFAULT_MAX_FILE_SIZE, load_file
from policycoord.input.reading import ReadFile, read_file, read_files
from policycoord.model.build import build_organisation, model_from, policies_globs
from policycoord.model.model import Model
from policycoord.model.policies import Organisation

if TYPE_CHECKING:
    from policycoord.views import Views


@dataclass(frozen=True, slots=True)
class Options:
    """What a run is asked to do (from the command line or a caller)."""

    today: datetime.date = field(default_factory=datetime.date.today)
    fail_on: str | None = None  # None: the partnership's rules.fail_on, else "error"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    baseline: str | None = None  # a baseline file: its findings are suppressed
    jobs: int = 1  # processes that read the files (input/reading.py); 1: this one only
    every_finding: bool = False  # list them all, however many (engine.MAX_LISTED)


def check(
    paths: Sequence[str] = (),
    *,
    partnership: str | None = None,
    cwd: Path | None = None,
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Check a whole policy repository (or the files given) and report.
    `progress(done, total)` is called as policy files are read. Python's
    cyclic garbage collector is paused for the call and restored after it."""
    with _cyclic_gc_paused():
        return _check(paths, partnership=partnership, cwd=cwd, options=options, progress=progress)


def check_with_model(
    paths: Sequence[str] = (),
    *,
    partnership: str | None = None,
    cwd: Path | None = None,
    options: Options | None = None,
) -> tuple[Model, Report]:
    """`check()`, also returning the Model it built, for views that need both
    (the mission statement) without reading the repository twice."""
    with _cyclic_gc_paused():
        return _check_model(paths, partnership=partnership, cwd=cwd, options=options, progress=None)


def check_with_views(
    paths: Sequence[str] = (),
    *,
    partnership: str | None = None,
    cwd: Path | None = None,
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Report, Views]:
    """`check()`, also returning what the long-form reports (Markdown, HTML)
    draw beside the findings: the responsibility matrix and the escalation
    diagrams, with the steps that findings (reported or suppressed) point at
    marked."""
    from policycoord.views import build_views

    with _cyclic_gc_paused():
        model, report = _check_model(
            paths, partnership=partnership, cwd=cwd, options=options, progress=progress
        )
        found = (*report.findings, *(s.finding for s in report.suppressed))
        return report, build_views(model, found)


def load_model(
    paths: Sequence[str] = (),
    *,
    partnership: str | None = None,
    cwd: Path | None = None,
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Model:
    """Find, read, validate and build a policy repository (or the files given)
    into the Model the rules and views read, without running any rule. Raises
    PolicycoordError when there is no partnership file. The cyclic garbage
    collector is paused for the call, as in `check()`."""
    with _cyclic_gc_paused():
        return _load_model(
            paths, partnership=partnership, cwd=cwd, options=options, progress=progress
        )


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a run: it rescans the
    growing heap of loaded documents again and again (a quarter of a
    20,000-file run), and the data it would look at holds no cycles
    (recursive aliases are refused), so reference counting frees it all."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_model(
    paths: Sequence[str],
    *,
    partnership: str | None,
    cwd: Path | None,
    options: Options | None,
    progress: Callable[[int, int], None] | None,
) -> Model:
    options = options or Options()
    cwd = cwd or Path.cwd()
    partnership_file = locate_partnership(paths, partnership=partnership, cwd=cwd)
    root = partnership_file.parent
    shown = display_path(partnership_file, root)
    read_partnership = read_file(
        partnership_file, shown, max_size=options.max_file_size, kind="partnership", load=load_file
    )
    discovered = discover(
        paths,
        partnership=str(partnership_file),
        cwd=cwd,
        policies_globs=policies_globs(read_partnership.loaded),
    )
    policies = read_files(
        [(policy.file, policy.display) for policy in discovered.policies],
        each=built_from,
        max_size=options.max_file_size,
        kind="policy",
        jobs=options.jobs,
        progress=progress,
        load=load_file,  # looked up here, so that a test can stand in for it
    )
    return model_of(read_partnership, policies, discovered, options.today)


def _check(
    paths: Sequence[str],
    *,
    partnership: str | None,
    cwd: Path | None,
    options: Options | None,
    progress: Callable[[int, int], None] | None,
) -> Report:
    _, report = _check_model(
        paths, partnership=partnership, cwd=cwd, options=options, progress=progress
    )
    return report


def _check_model(
    paths: Sequence[str],
    *,
    partnership: str | None,
    cwd: Path | None,
    options: Options | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[Model, Report]:
    options = options or Options()
    cwd = cwd or Path.cwd()
    check_codes([*options.select, *options.ignore])
    baseline = read_baseline(options.baseline, cwd) if options.baseline is not None else None
    model = load_model(paths, partnership=partnership, cwd=cwd, options=options, progress=progress)
    outcome = run(model, run_config(model, options, baseline), jobs=options.jobs)
    return model, report_of(model, outcome, baseline=options.baseline)


def run_config(
    model: Model, options: Options, baseline: tuple[BaselineEntry, ...] | None = None
) -> Config:
    """What the engine is asked: the options over the partnership's `rules`."""
    return Config.resolve(
        model.partnership.rules if model.partnership is not None else None,
        select=options.select,
        ignore=options.ignore,
        fail_on=options.fail_on,
        baseline=baseline,
        every_finding=options.every_finding,
    )


def read_baseline(given: str, cwd: Path) -> tuple[BaselineEntry, ...]:
    """The entries of a baseline file; one that cannot be read is a usage error."""
    from policycoord.checks import baseline
    from policycoord.input.discovery import special_kind

    chosen = Path(cwd, given)
    if not chosen.is_file() and not chosen.is_dir() and (kind := special_kind(chosen)):
        raise PolicycoordError(
            f"The baseline file {given} is not a regular file (it is {kind}); give the file "
            "`policycoord baseline` wrote."
        )
    try:
        text = chosen.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicycoordError(
            f"The baseline file {given} does not exist (write it with `policycoord baseline`)."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise PolicycoordError(f"The baseline file {given} cannot be read: {reason}.") from None
    return baseline.parse(text, given)


def _repository_files(cwd: Path, options: Options) -> list[str]:
    """The partnership file around `cwd` and the policy files `check` reads."""
    partnership_file = locate_partnership((), partnership=None, cwd=cwd)
    shown = display_path(partnership_file, partnership_file.parent)
    read_partnership = read_file(
        partnership_file, shown, max_size=options.max_file_size, kind="partnership", load=load_file
    )
    repository = discover(
        (),
        partnership=str(partnership_file),
        cwd=cwd,
        policies_globs=policies_globs(read_partnership.loaded),
    )
    return [str(partnership_file), *(str(p.file) for p in repository.policies)]


def validate_files(
    paths: Sequence[str],
    *,
    cwd: Path | None = None,
    options: Options | None = None,
) -> Report:
    """Only the per-file checks (PC001-PC005, PC009-PC012) for the files given;
    folders mean the YAML files below them, and no files the repository around
    `cwd`. No partnership file is needed when files are given."""
    options = options or Options()
    cwd = cwd or Path.cwd()
    if not paths:  # the files `check` reads: the partnership's `policies` patterns
        paths = _repository_files(cwd, options)
    files: dict[Path, None] = {}  # each file once, in the order given
    outside: list[FileProblem] = []
    for given in paths:
        target = Path(cwd, given)
        if target.is_dir():
            # as discovery: hidden files and folders (.github/, .pre-commit-config.yaml)
            # are not policy files, links to folders are not followed, and a link
            # that leads out of the folder is PC011, not read
            below, problems = contained_yaml_files(target, lambda f: _relative(f, cwd))
            outside.extend(problems)
        elif target.exists() or target.is_symlink():
            below = [target]
        else:
            raise PolicycoordError(f"{given} does not exist.")
        files.update((Path(os.path.abspath(file)), None) for file in below)
    read = read_files(
        [(file, _relative(file, cwd)) for file in files],
        each=lambda one: (one, built_from(one) if one.kind == "policy" else None),
        max_size=options.max_file_size,
        kind=None,  # a partnership file by its name or its `partnership:` block
        jobs=options.jobs,
        load=load_file,
    )
    partnerships = [one for one, built in read if built is None]
    policies = [built for _, built in read if built is not None]
    # every partnership file is checked against the partnership schema, not only the first
    others = [p for extra in partnerships[1:] for p in _file_problems(extra, None)]
    others.extend(outside)
    empty = Discovered(cwd, cwd / PARTNERSHIP_FILE, "", (), tuple(others), complete=False)
    model = model_of(partnerships[0] if partnerships else None, policies, empty, options.today)
    model = dataclasses.replace(model, files=len(files))
    # only the per-file codes run: no cross-checks between the files
    config = Config(
        selection=Selection(select=tuple(sorted(FILE_CODES)), ignore=options.ignore),
        fail_on=options.fail_on or "error",
        fail_on_by="option" if options.fail_on else "default",
    )
    return report_of(model, run(model, config))


def _relative(file: Path, cwd: Path) -> str:
    return display_path(Path(file).absolute(), cwd.absolute())


@dataclass(frozen=True, slots=True)
class Built:
    """What a run keeps of a policy file: the organisation built from it
    and the problems found reading it (not its data)."""

    path: str
    organisation: Organisation | None
    problems: list[FileProblem]
    claimed: str | None = None  # a file that could not be read: whose it says it is


def built_from(read: ReadFile) -> Built:
    organisation = build_organisation(read.loaded)
    owner = organisation.id if organisation is not None else None  # organisation_id()
    problems = _file_problems(read, owner)
    return Built(read.loaded.path, organisation, problems, read.loaded.claimed)


def model_of(
    partnership: ReadFile | None,
    policies: list[Built],
    discovered: Discovered,
    today: datetime.date,
    before: Model | None = None,
) -> Model:
    problems: list[FileProblem] = list(discovered.problems)
    if partnership is not None:
        problems.extend(_file_problems(partnership, None))
    for built in policies:
        problems.extend(built.problems)
    return model_from(
        partnership=partnership.loaded if partnership is not None else None,
        built=[(built.path, built.organisation) for built in policies],
        problems=problems,
        today=today,
        complete=discovered.complete,
        claims={built.path: built.claimed for built in policies if built.claimed is not None},
        before=before,
    )


def _file_problems(read: ReadFile, org: str | None) -> list[FileProblem]:
    found = [FileProblem(code, _owned(v, org)) for code, v in read.loaded.problems]
    found.extend(FileProblem("PC003", _owned(v, org)) for v in read.schema_problems)
    return found


def _owned(violation: Violation, org: str | None) -> Violation:
    if org is None or violation.organisation is not None:
        return violation
    return dataclasses.replace(violation, organisation=org)


def report_of(model: Model, outcome: Outcome, *, baseline: str | None = None) -> Report:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in outcome.findings:
        counts[finding.severity.value] += 1
    partnership = model.partnership
    return Report(
        tool_version=__version__,
        partnership=partnership.id if partnership else None,
        partnership_name=partnership.name if partnership else None,
        summary=Summary(
            files=model.files,
            organisations=len(model.organisations),
            error=counts["error"],
            warning=counts["warning"],
            info=counts["info"],
            suppressed=len(outcome.suppressed),
        ),
        findings=outcome.findings,
        fail_on=outcome.fail_on,
        fail_on_by=outcome.fail_on_by,
        organisation_names={org.id: org.name for org in model.organisations},
        suppressed=outcome.suppressed,
        baseline=baseline,
        stale_baseline=outcome.stale_baseline,
        rules=catalogue(),
    )


BASELINE_FILE = "policycoord-baseline.json"


def baseline_path(
    paths: Sequence[str] = (), *, partnership: str | None = None, cwd: Path | None = None
) -> Path:
    """Where `policycoord baseline` writes by default: beside the partnership
    file, shown relative to the current folder when it is below it."""
    cwd = cwd or Path.cwd()
    target = locate_partnership(paths, partnership=partnership, cwd=cwd).parent / BASELINE_FILE
    try:
        return target.relative_to(os.path.abspath(cwd))
    except ValueError:
        return target
