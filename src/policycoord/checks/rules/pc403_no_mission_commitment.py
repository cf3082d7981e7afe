"""PC403 no-mission-commitment."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Location, Severity, Violation
from policycoord.core.text import closest, listing
from policycoord.model.model import Model
from policycoord.model.policies import Mission, Organisation


class NoMissionCommitment(Rule):
    """A member commits to none of the partnership's mission themes.

    ## What it does
    When the partnership file has a `mission` with at least one theme,
    reports each member organisation with a policy file whose `commitments`
    name none of the mission's theme ids. Commitments without a `theme`, or
    with a theme the mission does not have, do not count, and the message
    says so. The finding is on the organisation's `commitments` (or on its
    id when it has none), with the mission's `themes` as the related
    location. Organisations that are not members are not expected to share
    the partnership's mission. Without a mission, or with a mission that
    has no themes, it reports nothing.

    ## Why it matters
    A joint mission is only joint when every member can say what it does
    for it. A member that commits to none of the themes is absent from the
    partnership's promise to children ("we listen to children", "we help
    early"), and the workshop that builds the mission statement has nothing
    from it to start from.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    mission:
      vision: Every child in Northshire is safe, heard and helped early.
      themes:
        - {id: listen-to-children, title: Listen to children}
        - {id: help-early, title: Help early}
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation: {id: riverside-fc, name: Riverside Juniors Football Club, sector: sport}
    commitments:
      - text: Every team has a player voice session each season.
    ```

    ## Fixed
    ```diff
    # file: orgs/riverside-fc.yaml
    -  - text: Every team has a player voice session each season.
    +  - theme: listen-to-children
    +    text: Every team has a player voice session each season.
    ```
    """

    code = "PC403"
    name = "no-mission-commitment"
    default_severity = Severity.INFO
    family = "governance"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        mission = partnership.mission if partnership is not None else None
        if mission is None or not mission.themes:
            return
        theme_ids = {theme.id for theme in mission.themes}
        for org in model.member_organisations:
            if any(c.theme in theme_ids for c in org.commitments):
                continue
            unknown = _unknown(org, theme_ids)
            yield Violation(
                message=(
                    f"{org.name} commits to none of {_themes(mission)}: {_why(org, unknown)}."
                ),
                location=_where(org),
                subject="mission",
                anchor="/commitments",  # the same finding with or without the section
                suggestion=_suggestion(org, mission, unknown),
                organisation=org.id,
                related=(mission.origin.key_at("themes"),),
            )


#: Up to this many themes, the message lists them by title; beyond, it counts them.
LISTED_THEMES = 5


def _where(org: Organisation) -> Location:
    """The organisation's `commitments:` key, or its id when it has none."""
    if org.commitments:
        return org.file_origin.key_at("commitments")
    return org.origin.at("id")


def _themes(mission: Mission) -> str:
    if len(mission.themes) <= LISTED_THEMES:
        return f"the partnership's mission themes ({listing(t.title for t in mission.themes)})"
    return f"the partnership's {len(mission.themes)} mission themes"


def _unknown(org: Organisation, theme_ids: set[str]) -> list[str]:
    """The themes its commitments name that the mission does not have, in order."""
    return list(
        dict.fromkeys(
            c.theme for c in org.commitments if c.theme is not None and c.theme not in theme_ids
        )
    )


def _why(org: Organisation, unknown: list[str]) -> str:
    """Why its commitments do not count (or that it has none)."""
    total = len(org.commitments)
    if not total:
        return "its policy has no `commitments`"
    untagged = sum(1 for c in org.commitments if c.theme is None)
    parts = []
    if unknown:
        names = listing(f"`{theme}`" for theme in unknown)
        which = "is not one of" if len(unknown) == 1 else "are not among"
        name = "its commitment names" if total == 1 else "its commitments name"
        parts.append(f"{name} {names}, which {which} the mission's themes")
    if untagged == total:
        parts.append(
            "its commitment has no `theme`"
            if total == 1
            else f"none of its {total} commitments has a `theme`"
        )
    elif untagged:
        parts.append(f"{untagged} of them {'has' if untagged == 1 else 'have'} no `theme`")
    they = "it does" if total == 1 else "they do"
    return f"{', and '.join(parts)}, so {they} not count"


def _suggestion(org: Organisation, mission: Mission, unknown: list[str]) -> str:
    ids = [theme.id for theme in mission.themes]
    renames = [
        f"`theme: {theme}` to `theme: {match}`"
        for theme in unknown
        if (match := closest(theme, ids)) is not None
    ]
    options = []
    if renames:
        options.append(f"correct the theme (change {listing(renames)})")
    if any(c.theme is None for c in org.commitments):
        options.append("say which mission theme an existing commitment serves (its `theme`)")
    first = mission.themes[0]
    options.append(
        f"decide what {org.name} commits to under one of the mission's themes (such as "
        f'"{first.title}"), and add it under `commitments:` in {org.path} with '
        f"`theme: {first.id}` and a sentence saying what it does"
    )
    text = options[0] if len(options) == 1 else ", ".join(options[:-1]) + ", or " + options[-1]
    return text[0].upper() + text[1:] + "."
