"""``python -m playbook jurisdiction new|check|list``: scaffold and validate jurisdiction profiles."""

from __future__ import annotations

import re
from pathlib import Path

from playbook import jurisdiction as jur
from playbook.codes import PROVINCES
from playbook.errors import PlaybookError
from playbook.io import atomic_path

SCAFFOLD = """\
# Jurisdiction profile for the DDI playbook. Fill in every field, then check it with
#   python -m playbook jurisdiction check {path}
# and build your edition with
#   python -m playbook build --jurisdiction {code}      (or: make book JURISDICTION={code})

# Short lowercase code; must be the file's name without .yml. Keep it in quotes ('on' or 'no'
# would otherwise be read by YAML as true/false).
code: '{code}'

# federal | provincial | territorial | municipal
level: {level}

# The jurisdiction's name, in English and in French (the tailored site's title uses it).
name: {{en: "{name_en}", fr: "{name_fr}"}}

# Who governs it, as used in a sentence ("the Government of ...", "the City of ...").
government: {{en: "the Government of {name_en}", fr: "le gouvernement de {name_fr}"}}

# Official languages, as language codes (en, fr, iu, ...).
official_languages: [en]

# Editions of the playbook to build for this jurisdiction: en, fr or both.
editions: [en, fr]

# Province/territory codes it covers (2 digits, e.g. '46', or abbreviations such as MB).
# A municipality lists its province here and its census subdivisions (7-digit CSD codes) in csds.
provinces: [{provinces}]
# csds: ['3506008']

# Default geographic level of maps and tables: Province, Census division, Census subdivision,
# Dissemination area (see playbook.geo.hierarchy for the full list).
default_level: Census subdivision

# Population groups of focus, among: {groups}
population_groups: [seniors, rural_remote]

# Privacy and access laws of the public sector, the main one first. Use the official EN/FR titles
# where they exist; set to_verify: true on anything not checked against an official source.
# kind: {kinds}
laws:
  - name: {{en: "Name of the public-sector privacy and access law", fr: "Titre de la loi"}}
    citation: "statute citation"
    kind: privacy_and_access
    url: ""
    to_verify: true

# Oversight body (commissioner, ombudsman ...), main one first.
oversight:
  - name: {{en: "Name of the oversight body", fr: "Nom de l'organisme de surveillance"}}
    url: ""
    to_verify: true

# The service organization this edition is for.
service_organization: {{en: "Name of the service organization", fr: "Nom de l'organisation de services"}}

# Optional: your own files, relative to this profile (the checker says if they are missing).
# service_points: ../data/local/service_points.csv
# feedback: ../data/local/feedback.csv

# Optional: chapter text overrides, each in English and French
# (front_page_note, working_group_partners, privacy_note).
# text:
#   working_group_partners: {{en: "...", fr: "..."}}

# What is still to be checked, in plain words.
to_verify:
  - Law and oversight body names, citations and URLs.
"""


def scaffold(code: str) -> str:
    """The text of a new profile for ``code``, prefilled when the code is a province abbreviation."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", code):
        raise PlaybookError(f"'{code}' is not a valid code", field="code", expected="lowercase letters, digits and -")
    match = PROVINCES[PROVINCES["abbreviation"] == code.upper()]
    if len(match):
        pruid = match.index[0]
        level = "territorial" if pruid in ("60", "61", "62") else "provincial"
        name_en, name_fr, provinces = match["name_en"].iloc[0], match["name_fr"].iloc[0], f"'{pruid}'"
    else:
        level, name_en, name_fr, provinces = "municipal", code.title(), code.title(), ""
    return SCAFFOLD.format(code=code, level=level, name_en=name_en, name_fr=name_fr, provinces=provinces,
                           path=f"jurisdictions/{code}.yml", groups=", ".join(jur.POPULATION_GROUPS),
                           kinds=" | ".join(jur.LAW_KINDS))


def new(code: str, out: Path | None = None) -> Path:
    """Write a scaffold for ``code`` to ``<out>/<code>.yml`` (default ``jurisdictions/``); never overwrite."""
    target = Path(out or jur.JURISDICTIONS_DIR) / f"{code}.yml"
    if target.exists():
        raise PlaybookError("a profile already exists here", path=target, expected="a new code, or edit the file")
    text = scaffold(code)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def check(ref: str | Path) -> list[PlaybookError]:
    """Every problem of a profile (empty when it is valid)."""
    try:
        raw, path = jur.read(ref)
    except PlaybookError as exc:
        return [exc]
    return jur.problems(raw, path)


def _new(args) -> int:
    print(new(args.code, args.out))
    return 0


def _check(args) -> int:
    errors = [e for ref in args.files for e in check(ref)]
    for error in errors:
        print(f"error: {error}")
    if errors:
        return 2
    print(f"ok: {len(args.files)} profile(s) valid")
    return 0


def _list(args) -> int:
    for code in jur.shipped():
        profile = jur.load(code)
        print(f"{code:<8} {profile.level:<12} {profile.name['en']}")
    return 0


def register(commands) -> None:
    """``python -m playbook jurisdiction new CODE | check FILE... | list``."""
    p = commands.add_parser("jurisdiction", help="scaffold, check and list jurisdiction profiles")
    sub = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    a = sub.add_parser("new", help="write a new profile with comments explaining each field")
    a.add_argument("code", help="short lowercase code, e.g. mb or ottawa")
    a.add_argument("--out", type=Path, default=None, help="folder to write into (default: jurisdictions/)")
    a.set_defaults(func=_new)
    a = sub.add_parser("check", help="validate profiles: one line per problem, exit status 2 if any")
    a.add_argument("files", nargs="+", help="profile files (or codes of shipped profiles)")
    a.set_defaults(func=_check)
    a = sub.add_parser("list", help="list the shipped profiles")
    a.set_defaults(func=_list)
