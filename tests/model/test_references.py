"""model/references.py is the one list of reference fields, held to the
shipped schemas: every field a policy's schema gives a role, duty, concern,
theme, organisation or sender reference is yielded, at its own pointer, with
what the file says there; and the partnership file's role references too."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from conftest import EXAMPLES, TODAY

from policycoord.input.loading import escape_pointer_token
from policycoord.model.model import Model
from policycoord.model.references import organisation_references, partnership_references
from policycoord.views.choices import references_by_key
from policycoord.workflows.pipeline import Options, load_model

REFERENCE_KINDS = {
    "roleRef",
    "roleId",
    "dutyId",
    "concernId",
    "themeId",
    "organisationId",
    "sender",
}

#: a policy that fills every reference field the policy schema has
FULL = """\
policycoord: 1
organisation: {id: full, name: Full, sector: sport}
roles:
  - {id: lead, title: Lead, deputy: second}
  - {id: second, title: Second}
responsibilities:
  - {duty: refer-to-childrens-social-care, role: lead, raci: accountable}
escalations:
  - concern: significant-harm
    steps:
      - {to: lead, within: immediately}
      - {to: northshire-cs/mash, within: 4 hours, out_of_hours: northshire-cs/edt}
receives:
  - {concern: significant-harm, role: lead, from: [education, st-marys-primary]}
sharing:
  - {with: northshire-police, purpose: p}
commitments:
  - {theme: listen-to-children, text: We listen.}
"""


def _model(tmp_path: Path) -> Model:
    shutil.copytree(EXAMPLES, tmp_path / "policies")
    (tmp_path / "policies" / "orgs" / "full.yaml").write_text(FULL, encoding="utf-8")
    today = datetime.date.fromisoformat(TODAY)
    return load_model([str(tmp_path / "policies")], options=Options(today=today))


def _wanted(kind: str) -> set[str]:
    return {key for key, ref in references_by_key(kind).items() if ref in REFERENCE_KINDS}


def test_every_reference_field_of_the_policy_schema_is_yielded(tmp_path: Path) -> None:
    model = _model(tmp_path)
    org = model.organisation("full")
    assert org is not None
    found = list(organisation_references(org))
    keys = {next(f for f in reversed(r.fields) if isinstance(f, str)) for r in found}
    assert keys == _wanted("policy")
    for ref in found:  # each at its own pointer, as written there
        location = ref.origin.at(*ref.fields)
        assert location.pointer.endswith("/".join(escape_pointer_token(str(f)) for f in ref.fields))
        line = FULL.splitlines()[location.line - 1]
        assert line[location.column - 1 :].startswith(ref.written), (ref, line)
    escalating = {(r.fields[-1], r.organisation) for r in found if r.escalation}
    assert escalating == {
        ("to", "full"),
        ("to", "northshire-cs"),
        ("out_of_hours", "northshire-cs"),
    }


def test_the_partnership_files_role_references_are_yielded(tmp_path: Path) -> None:
    partnership = _model(tmp_path).partnership
    assert partnership is not None
    found = list(partnership_references(partnership))
    role_keys = {k for k, ref in references_by_key("partnership").items() if ref == "roleRef"}
    assert role_keys == {"must_reach"}
    assert {r.fields[0] for r in found} == role_keys
    assert ("role", "northshire-cs/mash") in {(r.kind, r.target) for r in found}
