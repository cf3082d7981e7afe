"""Built-in deprecated terms for PC303 avoided-term.

Source: Terminology Guidelines for the Protection of Children from Sexual
Exploitation and Sexual Abuse (the "Luxembourg Guidelines", Interagency
Working Group, 2016), and UK guidance on appropriate language about child
exploitation, as summarised in DOMAIN.md ("Terminology").

Each entry gives the term to avoid, the preferred term and a short reason,
and the concrete forms (plural and simple inflections) that are matched as
whole words, case-insensitively.

Left out on purpose, because as bare words they are too often ordinary,
correct policy language ("consensual information sharing", "a child's
girlfriend") to report without understanding the context: `consensual`,
`sexually active`, `boyfriend`, `girlfriend` and `recruiting others`.
A partnership that wants them reported can add them to its `avoid` list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeprecatedTerm:
    """A term to avoid, what to say instead, why, and the forms matched."""

    term: str
    use: str
    why: str
    forms: tuple[str, ...]


DEPRECATED_TERMS: tuple[DeprecatedTerm, ...] = (
    DeprecatedTerm(
        "child prostitution",
        "sexual exploitation of children",
        "a child cannot consent to their own exploitation",
        ("child prostitution", "juvenile prostitution"),
    ),
    DeprecatedTerm(
        "child prostitute",
        "a child who is sexually exploited",
        "a child cannot consent to their own exploitation",
        ("child prostitute", "child prostitutes", "children prostitutes"),
    ),
    DeprecatedTerm(
        "child pornography",
        "child sexual abuse material (CSAM)",
        "it is a record of abuse, not pornography",
        ("child pornography", "child porn", "child pornographic"),
    ),
    DeprecatedTerm(
        "child sex tourism",
        "sexual exploitation of children in travel and tourism",
        'it centres the offender, not a "tourism" product',
        ("child sex tourism",),
    ),
    DeprecatedTerm(
        "child sex worker",
        "a child who is sexually exploited",
        "it blames the child",
        ("child sex worker", "child sex workers", "child sex work"),
    ),
    DeprecatedTerm(
        "rent boy",
        "a child who is sexually exploited",
        "it blames the child",
        ("rent boy", "rent boys"),
    ),
    DeprecatedTerm(
        "promiscuous",
        "a description of the abuse and the power imbalance",
        "it implies the child chose it",
        ("promiscuous", "promiscuity"),
    ),
    DeprecatedTerm(
        "putting themselves at risk",
        "the child is at risk of, or is being, exploited",
        "it blames the victim",
        tuple(
            f"{verb} {self} at risk"
            for verb in ("put", "puts", "putting")
            for self in ("themselves", "themself", "himself", "herself")
        ),
    ),
    DeprecatedTerm(
        "lifestyle choice",
        "the child is at risk of, or is being, exploited",
        "it blames the victim",
        ("lifestyle choice", "lifestyle choices"),
    ),
    DeprecatedTerm(
        "drug runner",
        "a child who is being criminally exploited",
        "it criminalises the victim",
        ("drug runner", "drug runners", "drugs runner", "drugs runners"),
    ),
)
