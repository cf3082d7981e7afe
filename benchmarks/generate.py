"""A synthetic partnership of N organisations, for the country-scale benchmark.

    python -m benchmarks.generate --orgs 20000 --out /tmp/pc-20000 [--seed 1]
        [--terms 1000] [--cycle 0]

Writes a policy repository that `policycoord check DIR` reads: a
`partnership.yaml` (every organisation a member, duties, concerns, a shared
glossary of `--terms` terms, terms to avoid, a mission, waivers) and one file
per organisation below `orgs/<area>/`, about 7.6 KB each, shaped like the
example's: roles with contacts, responsibilities for the partnership's
duties, escalation paths for its concerns, `receives`, a glossary of its own,
sharing agreements, commitments and review dates.

The shape is a county: one children's services department (MASH, EDT,
LADO), one police force and one integrated care board that every
organisation escalates to, and one locality team for every 250 or so
organisations that its locality's organisations hand exploitation concerns
to, and which hands them on to the police. The rest are schools, nurseries,
GP practices, clubs, charities, faith groups and housing providers.

A few defects of every family are planted in organisations spread across
the repository (PC0xx-PC4xx: see `PLANTED`); everything else is clean, so a
run reports exactly the planted findings. `--cycle K` also makes K
organisations hand exploitation concerns round in one cycle (one PC202).
The same arguments always give byte-identical files; `.generated.json`
(hidden, so never read as a policy) records the arguments and where each
defect was planted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARKER = ".generated.json"
TODAY = datetime.date(2026, 11, 24)  # the date the benchmark and tests check against
ORGS_PER_LOCALITY = 250
MISSING_MEMBER = "closed-children-centre"  # a member with no policy file (PC006)

SECTOR_WEIGHTS = (
    ("education", 40),
    ("early-years", 10),
    ("primary-care", 8),
    ("health", 4),
    ("voluntary", 14),
    ("sport", 10),
    ("faith", 8),
    ("housing", 3),
    ("youth-justice", 3),
)
EVERY_SECTOR = (*(s for s, _ in SECTOR_WEIGHTS), "police")

#: concern -> the sectors it applies to (each has a path for it)
CONCERN_SECTORS = {
    "significant-harm": EVERY_SECTOR,
    "allegation-against-staff": EVERY_SECTOR,
    "child-exploitation": (
        "education",
        "health",
        "primary-care",
        "voluntary",
        "sport",
        "faith",
        "housing",
        "youth-justice",
    ),
    "domestic-abuse": ("education", "early-years", "health", "primary-care", "housing"),
    "radicalisation": ("education", "voluntary", "sport", "faith", "youth-justice"),
}
CONFERENCE_SECTORS = ("education", "health", "primary-care", "police")
THEMES = (
    ("listen-to-children", "Listen to children"),
    ("help-early", "Help early"),
    ("work-as-one", "Work as one"),
    ("learn-from-reviews", "Learn from reviews"),
    ("support-the-workforce", "Support the workforce"),
)

#: The real acronyms of the shared glossary (the rest are made up).
REAL_TERMS = (
    ("MASH", "Multi-Agency Safeguarding Hub"),
    ("EDT", "Emergency Duty Team"),
    ("LADO", "Local Authority Designated Officer"),
    ("DSL", "Designated Safeguarding Lead"),
    ("DDSL", "Deputy Designated Safeguarding Lead"),
    ("DSO", "Designated Safeguarding Officer"),
    ("CP", "Child Protection"),
    ("CIN", "Child in Need"),
    ("EHA", "Early Help Assessment"),
    ("CSE", "Child Sexual Exploitation"),
    ("CCE", "Child Criminal Exploitation"),
    ("MARAC", "Multi-Agency Risk Assessment Conference"),
    ("ICPC", "Initial Child Protection Conference"),
    ("CAMHS", "Child and Adolescent Mental Health Services"),
    ("ICB", "Integrated Care Board"),
    ("PPU", "Public Protection Unit"),
    ("KCSIE", "Keeping Children Safe in Education"),
    ("DBS", "Disclosure and Barring Service"),
    ("SCR", "Single Central Record"),
    ("EYFS", "Early Years Foundation Stage"),
    ("SENCO", "Special Educational Needs Coordinator"),
    ("TAF", "Team Around the Family"),
)
ALLOWED = ("UK", "NHS", "GP", "FA", "GDPR")
#: Terms that organisations define for themselves, always with the same meaning.
LOCAL_TERMS = (
    ("SSG", "Safeguarding Steering Group"),
    ("PSHE", "Personal, Social, Health and Economic education"),
    ("SLT", "Senior Leadership Team"),
    ("WRAP", "Workshop to Raise Awareness of Prevent"),
    ("SPOC", "Single Point of Contact"),
    ("RSE", "Relationships and Sex Education"),
    ("LAC", "Local Advisory Committee"),
    ("VPC", "Volunteer Practice Circle"),
    ("CWO", "Club Welfare Officer"),
    ("HCP", "Health Care Plan"),
)

WORDS = {
    "A": ("Area", "Advisory", "Assessment", "Attendance", "Adolescent", "Access"),
    "B": ("Board", "Borough", "Behaviour", "Brief", "Bereavement", "Bridging"),
    "C": ("Care", "Child", "Community", "Council", "Conference", "Consent", "Court"),
    "D": ("District", "Development", "Duty", "Disability", "Data", "Dental"),
    "E": ("Education", "Early", "Emotional", "Engagement", "Escalation", "Exclusion"),
    "F": ("Family", "Foster", "Forum", "Framework", "Funding", "Follow-up"),
    "G": ("Group", "Guidance", "Guardian", "Growth", "Governance"),
    "H": ("Health", "Home", "Housing", "Hub", "Harm", "Hospital"),
    "I": ("Intervention", "Inclusion", "Information", "Integrated", "Intensive"),
    "J": ("Joint", "Justice", "Junior", "Journey"),
    "K": ("Kinship", "Key", "Knowledge"),
    "L": ("Local", "Learning", "Liaison", "Leaving", "Lead"),
    "M": ("Multi-agency", "Mental", "Monitoring", "Meeting", "Mentoring", "Missing"),
    "N": ("Network", "Neighbourhood", "Nursing", "Needs", "Notification"),
    "O": ("Outreach", "Officer", "Operational", "Oversight", "Outcome"),
    "P": ("Partnership", "Panel", "Practice", "Protection", "Parenting", "Plan", "Pathway"),
    "R": ("Review", "Referral", "Risk", "Residential", "Resilience", "Record"),
    "S": ("Safeguarding", "Service", "Support", "School", "Strategy", "Specialist"),
    "T": ("Team", "Transition", "Therapeutic", "Training", "Tracking", "Trauma"),
    "U": ("Unit", "Universal", "Urgent"),
    "V": ("Voice", "Victim", "Virtual", "Volunteer"),
    "W": ("Welfare", "Wellbeing", "Workforce", "Worker", "Wraparound"),
    "Y": ("Youth", "Young"),
}

PLACES = (
    "Oakfield", "Riverside", "Ashgrove", "Brookmead", "Castleford", "Deanfield",
    "Elmstead", "Fairholme", "Greenhill", "Hawthorn", "Ivybridge", "Kingsmead",
    "Larchwood", "Millbrook", "Northgate", "Orchard Vale", "Parkside", "Queensway",
    "Redcliffe", "Stonebridge", "Thornbury", "Upton", "Valley Road", "Westfield",
    "Willowbank", "Yewtree", "Beacon Hill", "Cherry Tree", "Hollybush", "Moorside",
)  # fmt: skip
SAINTS = ("St Mary's", "St John's", "St Peter's", "Holy Trinity", "St Anne's", "Christ Church")

#: sector -> (name patterns, the lead's role title, the head's role title)
KINDS = {
    "education": (
        (
            "{place} Primary School",
            "{saint} Church of England Primary School",
            "{place} Academy",
            "{place} High School",
            "{place} Infant School",
        ),
        "Designated Safeguarding Lead (Deputy Headteacher)",
        "Headteacher",
    ),
    "early-years": (
        ("{place} Day Nursery", "Little Acorns {place}", "{place} Pre-School"),
        "Designated Safeguarding Lead (Nursery Manager)",
        "Registered Person",
    ),
    "primary-care": (
        ("{place} Medical Practice", "{place} Surgery", "{place} Health Centre"),
        "Safeguarding Lead GP",
        "Practice Manager",
    ),
    "health": (
        ("{place} Community Health Services", "{place} Children's Therapy Service"),
        "Named Nurse for Safeguarding Children",
        "Director of Nursing",
    ),
    "voluntary": (
        ("{place} Youth Project", "{place} Family Support Charity", "{place} Young Carers"),
        "Designated Safeguarding Officer",
        "Chief Executive",
    ),
    "sport": (
        ("{place} Football Club", "{place} Swimming Club", "{place} Gymnastics Academy"),
        "Club Welfare Officer",
        "Club Chair",
    ),
    "faith": (
        ("{saint} Parish Church", "{place} Community Mosque", "{place} Gurdwara Youth Group"),
        "Safeguarding Coordinator",
        "Chair of Trustees",
    ),
    "housing": (
        ("{place} Housing Association", "{place} Supported Lodgings"),
        "Safeguarding Lead (Head of Tenancy Services)",
        "Director of Housing",
    ),
    "youth-justice": (
        ("{place} Youth Justice Service", "{place} Youth Offending Team"),
        "Safeguarding Practice Lead",
        "Head of Service",
    ),
}

NOTES = (
    "The lead, or the deputy when the lead is away, refers the same day the concern is "
    "raised and records the referral, the reasons for it and the outcome.",
    "Staff write down what the child said in the child's own words, with the date and the "
    "time, and pass the note to the lead before the end of the session.",
    "Every referral is followed up in writing within one working day, and the lead checks "
    "that the family has been told unless telling them would put the child at risk.",
    "The deputy covers every absence of the lead; a rota on the staff room wall shows who "
    "is on duty each day, including during holiday clubs and trips.",
    "Concerns that do not meet the threshold for a referral are discussed with the family "
    "and an Early Help Assessment is offered, with the family's consent.",
    "The lead keeps a chronology for every child with a concern and reviews it each month "
    "with the deputy, looking for patterns that single incidents do not show.",
    "Records are kept in the secure electronic system, separate from the general file, and "
    "passed on to the next setting within five days when a child leaves.",
    "The lead checks every term that staff know how to raise a concern out of hours, and "
    "that the numbers on the posters in every room are still right.",
    "Where a concern is about a child with special educational needs or a disability, the "
    "lead involves the SENCO and takes extra care to hear what the child is communicating.",
    "If the lead disagrees with the outcome of a referral, they use the partnership's "
    "escalation procedure and record each conversation and its result.",
)
ACTIONS = (
    "Tell the lead straight away, in person or by phone, and write down what was seen or "
    "said in the words used. Do not promise to keep a secret.",
    "The lead phones the MASH, follows the call with the referral form the same day and "
    "records the name of the social worker spoken to.",
    "Outside office hours call the EDT; if a child is in immediate danger call the police "
    "on 999 first and the EDT straight after.",
    "The lead passes on what is known, what has been done so far and who else is involved, "
    "and asks for written confirmation that the referral was received.",
)
SHARING_PURPOSES = (
    "Share concerns about children who use both services, and agree who will speak to the "
    "family, so that nobody has to tell their story twice.",
    "Pass on safeguarding records when a child moves between the two, within five school "
    "days of the move, with a note of any open plans.",
    "Run joint holiday activities safely, sharing attendance lists, emergency contacts and "
    "the names of children with a plan in place.",
)
BASES = (
    "Working Together to Safeguard Children 2023; UK GDPR Article 6(1)(e) public task.",
    "Children Act 1989 section 11 duty; UK GDPR Article 6(1)(e) and Article 9(2)(g).",
)
COMMITMENTS = {
    "listen-to-children": "Children are asked every term whether they feel safe here and "
    "what would make it better, and the answers shape the next term's plan.",
    "help-early": "Families are offered help as soon as a worry appears, without waiting for "
    "a crisis, and nobody is turned away for not meeting a threshold.",
    "work-as-one": "We go to every multi-agency meeting we are invited to and send a written "
    "report when we cannot attend in person.",
    "learn-from-reviews": "Every local and national review is read by the lead, and what it "
    "means for our practice is discussed with all staff within a month.",
    "support-the-workforce": "Staff who deal with a distressing concern are offered "
    "supervision within a week, and every volunteer has a named person to go to.",
}
SUMMARIES = (
    "A busy setting open all year round. The lead and the deputy between them cover every "
    "session, and every member of staff and every volunteer knows who they are and how to "
    "reach them. New staff read this policy in their first week, and the whole team goes "
    "through it again every September, with a short quiz to check what has been learnt.",
    "A small organisation with a large number of volunteers. Every volunteer has an enhanced "
    "DBS check before working with children, is trained before their first session and is "
    "paired with an experienced volunteer for their first month. The lead reports to the "
    "board at every meeting on the concerns raised and what happened to them.",
)

SUMMARY_END = (
    "Parents and carers are told about this policy when their child joins, and it is on the "
    "website. Anyone with a worry about a child, or about the way an adult behaves with "
    "children, can speak to the lead or the deputy at any time, and is told what will happen "
    "next. The policy is reviewed every year, and sooner after any serious incident. Each "
    "review asks staff, volunteers, parents and the children themselves what worked and what "
    "did not, and the answers are reported to the board with the changes made."
)

#: defect -> the sectors an organisation needs to carry it
NEEDS = {
    "PC206": CONCERN_SECTORS["domestic-abuse"],
    "PC207": CONCERN_SECTORS["domestic-abuse"],
}
#: defect -> the findings it also gives (a step to a team that does not exist is a dead end)
ALSO = {"PC201": ("PC203",)}

#: The defects planted, one each (the comment says how)
PLANTED = (
    "PC002",  # a role's mapping repeats `title:`
    "PC006",  # a member with no policy file
    "PC007",  # a policy file whose organisation is not a member
    "PC102",  # train-staff has only a responsible role
    "PC103",  # two accountable roles for safer-recruitment
    "PC104",  # refers within 3 days; the duty allows 24 hours
    "PC106",  # a responsibility for a duty the partnership lacks
    "PC107",  # the same train-staff responsibility: responsible, nobody accountable
    "PC201",  # a step to a team the council does not have
    "PC202",  # a cycle of exploitation hand-offs (three organisations, or --cycle)
    "PC204",  # a significant-harm step within 3 days
    "PC205",  # a significant-harm step to office hours with no out-of-hours route
    "PC206",  # a hand-off the receiver does not accept
    "PC207",  # no domestic-abuse path
    "PC301",  # an undefined acronym
    "PC302",  # MASH defined differently
    "PC303",  # an avoided term
    "PC304",  # a term only it defines, in what it sends to others
    "PC401",  # review overdue
    "PC402",  # sharing not reciprocated
    "PC403",  # no commitment to the mission
    "PC404",  # a locality role others escalate to, with no contact
    "PC405",  # an expired waiver
)


@dataclass(frozen=True, slots=True)
class Org:
    id: str
    name: str
    sector: str
    locality: str  # the locality team's organisation id
    folder: str


@dataclass(slots=True)
class Plan:
    """The organisations to write and the defects planted in them."""

    orgs: list[Org]
    hubs: list[Org]
    localities: list[Org]
    defects: dict[str, str] = field(default_factory=dict)  # code -> organisation id
    cycle: list[str] = field(default_factory=list)
    waived: str = ""  # an organisation whose (second) overdue review a waiver accepts


def _slug(text: str) -> str:
    kept = "".join(c.lower() if c.isalnum() else "-" for c in text.replace("'", ""))
    return "-".join(part for part in kept.split("-") if part)


def plan(count: int, seed: int, cycle: int) -> Plan:
    rng = random.Random(seed)
    localities_count = max(1, count // ORGS_PER_LOCALITY)
    ordinary = count - 3 - localities_count
    minimum = len(PLANTED) + 4 + cycle
    if ordinary < minimum:
        raise SystemExit(f"--orgs must be at least {minimum + 3 + localities_count}")
    localities = [
        Org(f"locality-{i + 1:03d}", f"Locality {i + 1} Early Help Team", "social-care",
            f"locality-{i + 1:03d}", "county")
        for i in range(localities_count)
    ]  # fmt: skip
    hubs = [
        Org("county-cs", "County Council Children's Services", "social-care", "", "county"),
        Org("county-police", "County Police", "police", "", "county"),
        Org("county-icb", "County Integrated Care Board", "health", "", "county"),
    ]
    sectors = [s for s, _ in SECTOR_WEIGHTS]
    weights = [w for _, w in SECTOR_WEIGHTS]
    orgs: list[Org] = []
    for index in range(ordinary):
        sector = rng.choices(sectors, weights)[0]
        patterns = KINDS[sector][0]
        name = rng.choice(patterns).format(place=rng.choice(PLACES), saint=rng.choice(SAINTS))
        locality = localities[index * localities_count // ordinary]
        org_id = f"{_slug(name)}-{index + 1:05d}"
        orgs.append(Org(org_id, name, sector, locality.id, locality.id))
    result = Plan(orgs, hubs, localities)
    # defects go to organisations spread evenly over the repository (of a
    # sector the defect needs); the cycle takes a block of its own
    taken: set[str] = set()

    def spread(k: int, sectors: tuple[str, ...] = EVERY_SECTOR) -> str:
        start = (k * len(orgs)) // (len(PLANTED) + 2)
        for org in orgs[start:] + orgs[:start]:
            if org.id not in taken and org.sector in sectors:
                taken.add(org.id)
                return org.id
        raise SystemExit("too few organisations to plant every defect")

    for k, code in enumerate(PLANTED, start=1):
        if code == "PC107":
            result.defects[code] = result.defects["PC102"]
        elif code == "PC006":
            result.defects[code] = MISSING_MEMBER  # listed, with no file
        elif code == "PC405":
            result.defects[code] = ""  # the partnership file's own
        elif code == "PC404":
            result.defects[code] = localities[-1].id
        elif code != "PC202":
            result.defects[code] = spread(k, NEEDS.get(code, EVERY_SECTOR))
    result.waived = spread(len(PLANTED) + 1)
    exploitation = CONCERN_SECTORS["child-exploitation"]
    free = [org for org in orgs if org.id not in taken and org.sector in exploitation]
    size = cycle or 3
    block = free[len(free) // 3 : len(free) // 3 + size]
    if len(block) < size:
        raise SystemExit(f"--cycle {cycle} needs more organisations of the sectors it applies to")
    result.cycle = [org.id for org in block]
    # PC202 is reported on the member whose file sorts first
    result.defects["PC202"] = min(block, key=lambda org: (org.folder, org.id)).id
    return result


# -- the partnership file ----------------------------------------------------------


def shared_terms(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """The real acronyms, then made-up ones whose meaning spells them."""
    terms = list(REAL_TERMS[:count])
    taken = {t for t, _ in terms} | set(ALLOWED) | {t for t, _ in LOCAL_TERMS} | {"ZQX"}
    letters = sorted(WORDS)
    while len(terms) < count:
        length = rng.choice((3, 3, 4, 4, 5))
        acronym = "".join(rng.choice(letters) for _ in range(length))
        if acronym in taken:
            continue
        taken.add(acronym)
        meaning = " ".join(rng.choice(WORDS[letter]) for letter in acronym)
        terms.append((acronym, meaning))
    return terms


def partnership_text(p: Plan, terms: int, rng: random.Random) -> str:
    members = [o.id for o in (*p.hubs, *p.localities, *p.orgs) if o.id != p.defects.get("PC007")]
    if "PC006" in p.defects:
        members.append(MISSING_MEMBER)
    out = [
        "# yaml-language-server: $schema=../schemas/partnership.schema.json\n",
        "policycoord: 1\n",
        "partnership:\n",
        "  id: county\n",
        "  name: County Safeguarding Children Partnership\n",
        "  members:\n",
        *(f"    - {m}\n" for m in members),
        '  policies: ["orgs/**/*.yaml"]\n',
        "\nduties:\n",
    ]
    not_social_care = "[" + ", ".join(EVERY_SECTOR) + "]"
    conference = "[" + ", ".join(CONFERENCE_SECTORS) + "]"
    out += [
        "  - id: refer-to-childrens-social-care\n"
        "    title: Refer a child at risk of significant harm to children's social care\n"
        f"    scope: each-member\n    applies_to: {not_social_care}\n    max_within: 24 hours\n",
        "  - id: report-allegation-to-lado\n"
        "    title: Report an allegation against someone who works with children to the LADO\n"
        f"    scope: each-member\n    applies_to: {not_social_care}\n"
        "    max_within: 1 working day\n",
        "  - id: safer-recruitment\n"
        "    title: Recruit staff and volunteers safely, with references and DBS checks\n"
        "    scope: each-member\n",
        "  - id: train-staff\n"
        "    title: Train staff and volunteers in safeguarding at the level their role needs\n"
        "    scope: each-member\n",
        "  - id: keep-safeguarding-records\n"
        "    title: Keep a clear, dated record of every concern and what was done about it\n"
        "    scope: each-member\n",
        "  - id: attend-child-protection-conference\n"
        "    title: Attend child protection conferences and send a written report\n"
        f"    scope: each-member\n    applies_to: {conference}\n",
        "  - id: respond-to-referral\n"
        "    title: Acknowledge a referral and decide what happens next\n"
        "    scope: partnership\n    max_within: 1 working day\n",
        "  - id: convene-strategy-discussion\n"
        "    title: Convene a strategy discussion when there is reasonable cause to suspect "
        "significant harm\n    scope: partnership\n",
        "  - id: notify-serious-incident\n"
        "    title: Notify the national review panel of a serious incident\n"
        "    scope: partnership\n    max_within: 5 working days\n",
        "  - id: arrange-rapid-review\n"
        "    title: Arrange a rapid review after a serious incident notification\n"
        "    scope: partnership\n    max_within: 15 working days\n",
    ]

    def applies(concern: str) -> str:
        return "[" + ", ".join(CONCERN_SECTORS[concern]) + "]"

    out += [
        "\nconcerns:\n",
        "  - id: significant-harm\n"
        "    title: A child is suffering, or likely to suffer, significant harm\n"
        "    must_reach: [county-cs/mash, county-cs/edt]\n    max_total: 24 hours\n"
        f"    out_of_hours: required\n    applies_to: {applies('significant-harm')}\n",
        "  - id: allegation-against-staff\n"
        "    title: An allegation that someone who works with children has harmed a child\n"
        "    must_reach: [county-cs/lado]\n    max_total: 1 working day\n"
        f"    applies_to: {applies('allegation-against-staff')}\n",
        "  - id: child-exploitation\n"
        "    title: A child is being, or is at risk of being, sexually or criminally exploited\n"
        "    must_reach: [county-police/ppu, county-cs/mash]\n"
        f"    applies_to: {applies('child-exploitation')}\n",
        "  - id: domestic-abuse\n"
        "    title: A child is living in a household where there is domestic abuse\n"
        "    must_reach: [county-cs/mash, county-cs/edt]\n"
        f"    applies_to: {applies('domestic-abuse')}\n",
        "  - id: radicalisation\n"
        "    title: A child is at risk of being drawn into terrorism\n"
        "    must_reach: [county-police/prevent]\n    max_total: 2 working days\n"
        f"    applies_to: {applies('radicalisation')}\n",
    ]
    out.append("\nglossary:\n")
    for index, (term, meaning) in enumerate(shared_terms(terms, rng)):
        out.append(f"  - term: {term}\n    meaning: {meaning}\n")
        if index % 4 == 0:
            out.append(
                f"    definition: Used across the county for the {meaning.lower()}; ask the "
                "partnership team for the current contact.\n"
            )
    out.append("\nallow_acronyms: [" + ", ".join(ALLOWED) + "]\n")
    out += [
        "\navoid:\n",
        "  - term: looked after child\n    use: child in care\n"
        "    why: The Children in Care Council asked professionals to use the words children "
        "use about themselves.\n",
        "  - term: front door\n    use: MASH\n"
        "    why: The council's referral team was renamed; the old name sends people to a "
        "team that no longer exists.\n",
    ]
    out += [
        "\nmission:\n",
        "  vision: Every child in the county is safe, heard and helped early, by people who "
        "work as one.\n",
        "  themes:\n",
        *(f"    - id: {tid}\n      title: {title}\n" for tid, title in THEMES),
        "\nreview:\n  max_age: 12 months\n",
        "\nwaivers:\n",
        f"  - code: PC401\n    organisation: {p.waived}\n"
        "    reason: The organisation merges with its neighbour in the spring and the merged "
        "body will publish one policy; the board agreed the current one stays in force.\n"
        f"    approved_by: [county-cs, {p.waived}]\n    expires: 2027-03-31\n",
    ]
    if "PC405" in p.defects:
        out.append(
            f"  - code: PC206\n    organisation: {p.orgs[0].id}\n"
            "    reason: The police agreed to accept these referrals once their new form was "
            "live, expected by the end of September.\n"
            f"    approved_by: [county-police, {p.orgs[0].id}]\n    expires: 2026-09-30\n"
        )
    out.append("\nrules:\n  fail_on: error\n")
    return "".join(out)


# -- organisation files ------------------------------------------------------------


def _phone(rng: random.Random) -> str:
    return f'"01632 96{rng.randrange(10000):04d}"'


def _contact(org_id: str, role: str, hours: str, rng: random.Random) -> str:
    return f"{{phone: {_phone(rng)}, email: {role}@{org_id}.example, hours: {hours}}}"


def _review(rng: random.Random, overdue: bool) -> tuple[datetime.date, datetime.date]:
    if overdue:
        approved = datetime.date(2025, 3, 1) + datetime.timedelta(days=rng.randrange(150))
    else:
        approved = datetime.date(2026, 1, 5) + datetime.timedelta(days=rng.randrange(300))
    return approved, approved.replace(year=approved.year + 1)


def _header(org: Org, rng: random.Random, overdue: bool = False) -> list[str]:
    approved, next_review = _review(rng, overdue)
    return [
        "# yaml-language-server: $schema=../../../schemas/policy.schema.json\n",
        "policycoord: 1\n",
        "organisation:\n",
        f"  id: {org.id}\n",
        f"  name: {org.name}\n",
        f"  sector: {org.sector}\n",
        "  review:\n",
        f"    approved: {approved.isoformat()}\n",
        f"    next_review: {next_review.isoformat()}\n",
    ]


def _responsibility(duty: str, role: str, raci: str, within: str = "", notes: str = "") -> str:
    text = f"  - duty: {duty}\n    role: {role}\n    raci: {raci}\n"
    if within:
        text += f"    within: {within}\n"
    if notes:
        text += f"    notes: {notes}\n"
    return text


def _step(to: str, within: str, out_of_hours: str = "", action: str = "") -> str:
    text = f"      - to: {to}\n        within: {within}\n"
    if out_of_hours:
        text += f"        out_of_hours: {out_of_hours}\n"
    if action:
        text += f"        action: {action}\n"
    return text


def _escalation(concern: str, *steps: str) -> str:
    return f"  - concern: {concern}\n    steps:\n" + "".join(steps)


def organisation_text(org: Org, p: Plan, neighbours: tuple[str, str], rng: random.Random) -> str:
    defect = {code for code, owner in p.defects.items() if owner == org.id}
    _, lead_title, head_title = KINDS[org.sector]
    out = _header(org, rng, overdue="PC401" in defect or org.id == p.waived)
    out.append("\nroles:\n")
    out.append(
        f"  - id: lead\n    title: {lead_title}\n"
        f"    contact: {_contact(org.id, 'lead', 'office', rng)}\n    deputy: deputy\n"
    )
    if "PC002" in defect:
        out.append("    title: Safeguarding Lead\n")
    out.append(
        "  - id: deputy\n    title: Deputy Safeguarding Lead\n"
        f"    contact: {_contact(org.id, 'deputy', 'office', rng)}\n"
    )
    out.append(
        f"  - id: head\n    title: {head_title}\n"
        f"    contact: {_contact(org.id, 'head', 'office', rng)}\n"
    )
    out.append(
        "  - id: online-safety\n    title: Online Safety Lead\n"
        f"    contact: {_contact(org.id, 'online', 'office', rng)}\n    deputy: lead\n"
    )
    out.append(
        "  - id: trustee\n    title: Safeguarding Trustee or Governor\n"
        f"    contact: {{email: trustee@{org.id}.example, hours: office}}\n"
    )
    out += _responsibilities(org, defect, rng)
    out += _escalations(org, p, defect, rng)
    out += [
        "\nreceives:\n",
        "  - concern: significant-harm\n    role: lead\n    from: [police, social-care]\n",
        "  - concern: domestic-abuse\n    role: lead\n    from: [police]\n"
        "    within: immediately\n",
    ]
    if org.id in p.cycle:
        out.append('  - concern: child-exploitation\n    role: lead\n    from: ["*"]\n')
    out += _glossary(org, defect, rng)
    out += _sharing(org, neighbours, p, defect, rng)
    if "PC403" not in defect:
        out.append("\ncommitments:\n")
        for theme, _ in rng.sample(THEMES, 3):
            out.append(f"  - theme: {theme}\n    text: {COMMITMENTS[theme]}\n")
    summary = rng.choice(SUMMARIES) + " " + SUMMARY_END
    if "PC301" in defect:
        summary += " The lead completes the ZQX return for the county every term."
    if "PC303" in defect:
        summary += " Staff no longer use the words front door for the referral team."
    out.append(f"\nsummary: >-\n  {summary}\n")
    return "".join(out)


def _responsibilities(org: Org, defect: set[str], rng: random.Random) -> Iterator[str]:
    yield "\nresponsibilities:\n"
    refer = "3 days" if "PC104" in defect else rng.choice(("immediately", "4 hours", "24 hours"))
    yield _responsibility(
        "refer-to-childrens-social-care", "lead", "accountable", refer, rng.choice(NOTES)
    )
    yield _responsibility(
        "refer-to-childrens-social-care", "deputy", "responsible", notes=rng.choice(NOTES)
    )
    yield _responsibility(
        "report-allegation-to-lado", "head", "accountable", "1 working day", rng.choice(NOTES)
    )
    yield _responsibility(
        "safer-recruitment",
        "head",
        "accountable",
        notes="Every post is advertised with a safeguarding statement; references are taken "
        "up before interview and every check is recorded before the first day.",
    )
    if "PC103" in defect:
        yield _responsibility("safer-recruitment", "trustee", "accountable")
    train = "responsible" if "PC102" in defect else "accountable"
    yield _responsibility(
        "train-staff",
        "lead",
        train,
        notes="Whole-staff training every year, with updates at least termly; every new "
        "starter is trained before working unsupervised.",
    )
    yield _responsibility(
        "keep-safeguarding-records", "lead", "accountable", notes=rng.choice(NOTES)
    )
    yield _responsibility(
        "keep-safeguarding-records", "deputy", "responsible", notes=rng.choice(NOTES)
    )
    if org.sector in CONFERENCE_SECTORS:
        yield _responsibility(
            "attend-child-protection-conference", "lead", "accountable", notes=rng.choice(NOTES)
        )
        yield _responsibility("attend-child-protection-conference", "deputy", "responsible")
    yield _responsibility(
        "convene-strategy-discussion",
        "lead",
        "consulted",
        notes="The lead joins strategy discussions about our children when invited, and "
        "brings the chronology and the views of the staff who know the child best.",
    )
    if "PC106" in defect:
        yield _responsibility("refer-to-social-services", "lead", "accountable")


def _escalations(org: Org, p: Plan, defect: set[str], rng: random.Random) -> Iterator[str]:
    yield "\nescalations:\n"
    for concern, sectors in CONCERN_SECTORS.items():
        if org.sector not in sectors and not (
            concern == "child-exploitation" and org.id in p.cycle
        ):
            continue
        if concern == "significant-harm":
            mash = "county-cs/mash-team" if "PC201" in defect else "county-cs/mash"
            within = "3 days" if "PC204" in defect else "4 hours"
            night = "" if "PC205" in defect else "county-cs/edt"
            yield _escalation(
                concern,
                _step("lead", "immediately", night, ACTIONS[0]),
                _step(mash, within, night, rng.choice(ACTIONS[1:])),
            )
        elif concern == "allegation-against-staff":
            yield _escalation(
                concern,
                _step("head", "immediately", action="Tell the head straight away; do not "
                      "investigate or speak to the person the allegation is about."),
                _step("county-cs/lado", "1 working day", action="The head phones the LADO and "
                      "sends the allegation form the same day, without telling the person."),
            )  # fmt: skip
        elif concern == "child-exploitation":
            if org.id in p.cycle:
                after = p.cycle[(p.cycle.index(org.id) + 1) % len(p.cycle)]
                target = f"{after}/lead"
            else:
                target = f"{org.locality}/exploitation-lead"
            yield _escalation(
                concern,
                _step("lead", "immediately", action=ACTIONS[0]),
                _step(target, "24 hours", action="Refer using the county exploitation "
                      "screening tool, with what is known about the places and people involved."),
            )  # fmt: skip
        elif concern == "domestic-abuse":
            if "PC207" in defect:
                continue
            target = "county-cs/edt" if "PC206" in defect else "county-cs/mash"
            yield _escalation(
                concern,
                _step("lead", "immediately", action=ACTIONS[0]),
                _step(target, "24 hours", action=rng.choice(ACTIONS[1:])),
            )
        elif concern == "radicalisation":
            action = "Discuss with the Prevent team before making a referral."
            yield _escalation(
                concern,
                _step("lead", "immediately", action=ACTIONS[0]),
                _step("county-police/prevent", "1 working day", action=action),
            )


def _glossary(org: Org, defect: set[str], rng: random.Random) -> Iterator[str]:
    yield "\nglossary:\n"
    for term, meaning in rng.sample(LOCAL_TERMS, 3):
        yield (
            f"  - term: {term}\n    meaning: {meaning}\n    definition: What we call the "
            f"{meaning.lower()} in our own meetings and papers; other organisations may use "
            "another name for it.\n"
        )
    if "PC302" in defect:
        yield "  - term: MASH\n    meaning: Multi-Agency Support Hub\n"
    if "PC304" in defect:
        yield "  - term: KYP\n    meaning: Keeping Young People safe panel\n"


def _sharing(
    org: Org, neighbours: tuple[str, str], p: Plan, defect: set[str], rng: random.Random
) -> Iterator[str]:
    yield "\nsharing:\n"
    partners = list(neighbours)
    if "PC402" in defect:
        partners.append(p.hubs[2].id)  # the ICB does not list it
    for index, partner in enumerate(partners):
        purpose = SHARING_PURPOSES[(index + rng.randrange(3)) % len(SHARING_PURPOSES)]
        if "PC304" in defect and index == 0:
            purpose = "Bring cases to the joint KYP panel each month. " + purpose
        yield f"  - with: {partner}\n    purpose: {purpose}\n    basis: {rng.choice(BASES)}\n"


# -- the county's own organisations --------------------------------------------------


def hub_texts(p: Plan, rng: random.Random) -> dict[str, str]:
    cs, police, icb = p.hubs
    texts = {}
    every_member = [
        _responsibility("safer-recruitment", "head-of-service", "accountable"),
        _responsibility("train-staff", "head-of-service", "accountable"),
        _responsibility("keep-safeguarding-records", "head-of-service", "accountable"),
    ]
    texts[cs.id] = "".join(
        [
            *_header(cs, rng),
            "\nroles:\n",
            f"  - id: mash\n    title: Multi-Agency Safeguarding Hub\n"
            f"    contact: {_contact(cs.id, 'mash', 'office', rng)}\n",
            f"  - id: edt\n    title: Emergency Duty Team\n"
            f"    contact: {_contact(cs.id, 'edt', '24/7', rng)}\n",
            f"  - id: lado\n    title: Local Authority Designated Officer\n"
            f"    contact: {_contact(cs.id, 'lado', 'office', rng)}\n",
            f"  - id: head-of-service\n    title: Head of Service, Safeguarding\n"
            f"    contact: {_contact(cs.id, 'hos', 'office', rng)}\n",
            "\nresponsibilities:\n",
            _responsibility("respond-to-referral", "mash", "accountable", "1 working day"),
            _responsibility("convene-strategy-discussion", "mash", "accountable", "24 hours"),
            _responsibility("notify-serious-incident", "head-of-service", "accountable",
                            "5 working days"),
            _responsibility("arrange-rapid-review", "head-of-service", "consulted"),
            *every_member,
            "\nreceives:\n",
            *(f"  - concern: {c}\n    role: mash\n    from: [\"*\"]\n"
              for c in ("significant-harm", "child-exploitation", "domestic-abuse")),
            "  - concern: significant-harm\n    role: edt\n    from: [\"*\"]\n",
            "  - concern: allegation-against-staff\n    role: lado\n    from: [\"*\"]\n"
            "    within: 1 working day\n",
            "\nsharing:\n",
            *(f"  - with: {o.id}\n    purpose: Share what partners need to protect children."
              f"\n    basis: {BASES[0]}\n" for o in p.hubs if o is not cs),
            "\ncommitments:\n",
            f"  - theme: work-as-one\n    text: {COMMITMENTS['work-as-one']}\n",
        ]
    )  # fmt: skip
    texts[police.id] = "".join(
        [
            *_header(police, rng),
            "\nroles:\n",
            f"  - id: control-room\n    title: Force Control Room\n"
            f"    contact: {_contact(police.id, 'control', '24/7', rng)}\n",
            f"  - id: ppu\n    title: Public Protection Unit\n"
            f"    contact: {_contact(police.id, 'ppu', '24/7', rng)}\n",
            f"  - id: prevent\n    title: Prevent Team\n"
            f"    contact: {_contact(police.id, 'prevent', 'office', rng)}\n",
            f"  - id: head-of-service\n    title: Detective Superintendent, Public Protection\n"
            f"    contact: {_contact(police.id, 'pp', 'office', rng)}\n",
            "\nresponsibilities:\n",
            _responsibility("refer-to-childrens-social-care", "control-room", "accountable",
                            "immediately"),
            _responsibility("report-allegation-to-lado", "head-of-service", "accountable",
                            "1 working day"),
            _responsibility("attend-child-protection-conference", "ppu", "accountable"),
            *every_member,
            "\nescalations:\n",
            _escalation("significant-harm", _step("control-room", "immediately"),
                        _step("county-cs/mash", "4 hours", "county-cs/edt")),
            _escalation("allegation-against-staff", _step("head-of-service", "immediately"),
                        _step("county-cs/lado", "1 working day")),
            "\nreceives:\n",
            "  - concern: child-exploitation\n    role: ppu\n    from: [social-care, health]\n",
            "  - concern: radicalisation\n    role: prevent\n    from: [\"*\"]\n",
            "\nsharing:\n",
            *(f"  - with: {o.id}\n    purpose: Share what partners need to protect children."
              f"\n    basis: {BASES[0]}\n" for o in p.hubs if o is not police),
            "\ncommitments:\n",
            f"  - theme: work-as-one\n    text: {COMMITMENTS['work-as-one']}\n",
        ]
    )  # fmt: skip
    texts[icb.id] = "".join(
        [
            *_header(icb, rng),
            "\nroles:\n",
            f"  - id: designated-nurse\n    title: Designated Nurse for Safeguarding Children\n"
            f"    contact: {_contact(icb.id, 'nurse', 'office', rng)}\n",
            f"  - id: head-of-service\n    title: Director of Nursing and Quality\n"
            f"    contact: {_contact(icb.id, 'nursing', 'office', rng)}\n",
            "\nresponsibilities:\n",
            _responsibility("refer-to-childrens-social-care", "designated-nurse", "accountable",
                            "4 hours"),
            _responsibility("report-allegation-to-lado", "head-of-service", "accountable",
                            "1 working day"),
            _responsibility("attend-child-protection-conference", "designated-nurse",
                            "accountable"),
            _responsibility("arrange-rapid-review", "head-of-service", "accountable",
                            "15 working days"),
            *every_member,
            "\nescalations:\n",
            _escalation("significant-harm",
                        _step("designated-nurse", "immediately", "county-cs/edt"),
                        _step("county-cs/mash", "4 hours", "county-cs/edt")),
            _escalation("allegation-against-staff", _step("head-of-service", "immediately"),
                        _step("county-cs/lado", "1 working day")),
            _escalation("child-exploitation", _step("designated-nurse", "immediately"),
                        _step("county-police/ppu", "24 hours")),
            _escalation("domestic-abuse", _step("designated-nurse", "immediately"),
                        _step("county-cs/mash", "24 hours")),
            "\nsharing:\n",
            *(f"  - with: {o.id}\n    purpose: Share what partners need to protect children."
              f"\n    basis: {BASES[0]}\n" for o in p.hubs if o is not icb),
            "\ncommitments:\n",
            f"  - theme: learn-from-reviews\n    text: {COMMITMENTS['learn-from-reviews']}\n",
        ]
    )  # fmt: skip
    return texts


def locality_text(org: Org, p: Plan, rng: random.Random) -> str:
    no_contact = p.defects.get("PC404") == org.id
    lead = "" if no_contact else f"    contact: {_contact(org.id, 'exploitation', 'office', rng)}\n"
    return "".join(
        [
            *_header(org, rng),
            "\nroles:\n",
            f"  - id: exploitation-lead\n    title: Exploitation Lead Practitioner\n{lead}",
            f"  - id: head-of-service\n    title: Locality Manager\n"
            f"    contact: {_contact(org.id, 'manager', 'office', rng)}\n",
            "\nresponsibilities:\n",
            _responsibility("safer-recruitment", "head-of-service", "accountable"),
            _responsibility("train-staff", "head-of-service", "accountable"),
            _responsibility("keep-safeguarding-records", "head-of-service", "accountable"),
            "\nescalations:\n",
            _escalation(
                "child-exploitation",
                _step("exploitation-lead", "immediately"),
                _step("county-police/ppu", "4 hours", action="Share the screening tool and "
                      "agree a joint visit within one working day."),
            ),
            "\nreceives:\n",
            "  - concern: child-exploitation\n    role: exploitation-lead\n    from: [\"*\"]\n",
            "\ncommitments:\n",
            f"  - theme: help-early\n    text: {COMMITMENTS['help-early']}\n",
        ]
    )  # fmt: skip


# -- writing -----------------------------------------------------------------------


#: The prose fields a `distinct` repository makes different in every file.
_PROSE_LINE = re.compile(
    r"^(\s+(?:notes|action|purpose|basis|text|definition): |summary: >-\n  )(\S.*)$", re.M
)


def _made_distinct(text: str, org_id: str) -> str:
    """An organisation's file with each of its prose texts ending in words of
    its own (its id, as words): the texts of a generated partnership come from
    a few dozen sentences, where real policies, written from one model
    policy, share many but not all of theirs; this is the other extreme."""
    own = org_id.replace("-", " ")
    head, _, rest = text.partition("\nroles:")
    return head + "\nroles:" + _PROSE_LINE.sub(lambda m: f"{m[1]}{m[2]} Ref {own}.", rest)


def generate(
    out: Path,
    count: int,
    *,
    seed: int = 1,
    terms: int = 1000,
    cycle: int = 0,
    distinct: bool = False,
) -> dict[str, Any]:
    """Write the repository (replacing `out`) and return what `.generated.json`
    holds. `distinct`: every organisation's prose texts differ (`_made_distinct`)."""
    rng = random.Random(seed)
    p = plan(count, seed, cycle)
    if out.exists():
        shutil.rmtree(out)
    files: dict[str, str] = {"partnership.yaml": partnership_text(p, terms, rng)}
    for org_id, text in hub_texts(p, rng).items():
        files[f"orgs/county/{org_id}.yaml"] = text
    for org in p.localities:
        files[f"orgs/county/{org.id}.yaml"] = locality_text(org, p, rng)
    ring = p.orgs
    for index, org in enumerate(ring):
        neighbours = (ring[index - 1].id, ring[(index + 1) % len(ring)].id)
        text = organisation_text(org, p, neighbours, rng)
        if distinct:
            text = _made_distinct(text, org.id)
        files[f"orgs/{org.folder}/{org.id}.yaml"] = text
    for relative, text in files.items():
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    manifest = {
        "orgs": count,
        "seed": seed,
        "terms": terms,
        "cycle": cycle,
        "distinct": distinct,
        "today": TODAY.isoformat(),
        "planted": p.defects,
        "expected": expected_findings(p),
        "waived": {"PC401": p.waived},
    }
    (out / MARKER).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def expected_findings(p: Plan) -> list[list[str | None]]:
    """The (code, organisation) of every finding a check should give (None:
    the partnership file's own), sorted."""
    pairs = {(code, owner or None) for code, owner in p.defects.items()}
    pairs |= {(also, p.defects[code]) for code, more in ALSO.items() for also in more}
    return [list(pair) for pair in sorted(pairs, key=lambda pair: (pair[0], pair[1] or ""))]


def ensure(
    out: Path,
    count: int,
    *,
    seed: int = 1,
    terms: int = 1000,
    cycle: int = 0,
    distinct: bool = False,
) -> dict[str, Any]:
    """The repository at `out`, generated unless it is already there with these arguments."""
    wanted = {"orgs": count, "seed": seed, "terms": terms, "cycle": cycle, "distinct": distinct}
    try:
        manifest: dict[str, Any] = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    if all(manifest.get(key) == value for key, value in wanted.items()):
        return manifest
    return generate(out, count, seed=seed, terms=terms, cycle=cycle, distinct=distinct)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, required=True, help="organisation files")
    parser.add_argument("--out", type=Path, required=True, help="the folder (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--terms", type=int, default=1000, help="shared glossary terms")
    parser.add_argument("--cycle", type=int, default=0, help="organisations in one escalation "
                        "cycle (default: a cycle of three)")  # fmt: skip
    parser.add_argument("--distinct-texts", action="store_true",
                        help="make every organisation's prose texts differ")  # fmt: skip
    args = parser.parse_args(argv)
    manifest = generate(
        args.out,
        args.orgs,
        seed=args.seed,
        terms=args.terms,
        cycle=args.cycle,
        distinct=args.distinct_texts,
    )
    files = sorted(args.out.rglob("*.yaml"))
    size = sum(f.stat().st_size for f in files if f.name != "partnership.yaml")
    print(
        f"{args.out}: {len(files) - 1:,} organisation files ({size / (len(files) - 1) / 1024:.1f}"
        f" KB on average) and partnership.yaml; planted {', '.join(sorted(manifest['planted']))}"
    )


if __name__ == "__main__":
    main()
