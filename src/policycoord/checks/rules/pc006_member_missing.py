"""PC006 member-missing."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Severity, Violation
from policycoord.model.model import Model


class MemberMissing(Rule):
    """An organisation listed in `members` has no policy file.

    ## What it does
    Reports each id in the partnership's `members` list for which no policy
    file declares that organisation (after discovery: the `policies` globs,
    or every YAML file below the repository folder). A check of named files
    only (`policycoord check orgs/st-marys.yaml`) does not report it: the
    other members' files were not read. A member whose file is there but
    cannot be read (its readable part says `organisation: {id: ...}`, or
    the file is named after the member) is not reported: the file's own
    problems are, under that member.

    ## Why it matters
    A member without a policy cannot be checked: its duties look unowned,
    the escalation paths that reach it cannot be followed, and the board
    may believe every agency has signed up when one has not.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      members: [st-marys-primary, northshire-police]
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    ```

    ## Fixed
    ```diff
    # file: orgs/northshire-police.yaml (new)
    +policycoord: 1
    +organisation: {id: northshire-police, name: Northshire Police, sector: police}
    ```
    """

    code = "PC006"
    name = "member-missing"
    default_severity = Severity.ERROR
    family = "governance"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None or partnership.members is None or not model.complete:
            return  # a run over named files only cannot tell whether a member has a file
        claimed = set(model.claimed_files.values())  # its file is there, but broken
        for index, member in enumerate(partnership.members):
            if model.organisation(member) is None and member not in claimed:
                yield Violation(
                    message=(
                        f"`{member}` is a member of {partnership.name}, but no policy file "
                        f"declares `organisation: id: {member}`."
                    ),
                    location=partnership.origin.at("members", index),
                    subject=member,
                    suggestion=_suggestion(member, model.unidentified_files),
                    organisation=member,
                )


def _suggestion(member: str, unidentified: tuple[str, ...]) -> str:
    advice = (
        f"Add {member}'s policy file (for example orgs/{member}.yaml), check the spelling "
        "of its id, or remove it from `members`."
    )
    named = [p for p in unidentified if p.rsplit("/", 1)[-1].rsplit(".", 1)[0] == member]
    if named:
        return (
            f"Its file is probably {named[0]}, which could not be read as an organisation: "
            "fix the problems reported for that file."
        )
    if not unidentified:
        return advice
    shown = ", ".join(unidentified[:3]) + (" and others" if len(unidentified) > 3 else "")
    return (
        f"If its file is one that could not be read as an organisation ({shown}), fix "
        f"the problems reported for that file first. Otherwise: {advice[0].lower()}{advice[1:]}"
    )
