"""Jurisdiction profiles: one YAML file per jurisdiction re-targets the whole playbook.

A profile (``jurisdictions/<code>.yml``) names a jurisdiction in English and French, says which
provinces and territories (or, for a municipality, which census subdivisions) it covers, which
population groups it focuses on, which privacy and access laws apply and who oversees them, and
which service organization it serves. From it the playbook derives:

- :meth:`Profile.substitutions`: the MyST substitutions the chapters use (``{{ jurisdiction }}``,
  ``{{ privacy_law }}`` ...), for one language;
- :meth:`Profile.filter`: a table's rows that belong to the jurisdiction (by ``DGUID``);
- :func:`legal_framework`: the table of laws of every shipped profile, the current one flagged.

Notebooks take a ``jurisdiction = None`` parameter and call :func:`current`, which falls back on
the ``PLAYBOOK_JURISDICTION`` environment variable (set by ``python -m playbook build
--jurisdiction CODE``) and then on the pan-Canadian profile ``ca``.
"""

from __future__ import annotations

import difflib
import html
import os
import re
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import pandas as pd
import yaml

from playbook import i18n, privacy
from playbook.codes import GEO_LEVELS, PROVINCES, parse_dguid
from playbook.errors import PlaybookError
from playbook.groups.definitions import FOCUS_GROUPS
from playbook.paths import ROOT

JURISDICTIONS_DIR = ROOT / "jurisdictions"
#: The population groups a profile may list (``population_groups``): :data:`playbook.groups.definitions.FOCUS_GROUPS`.
POPULATION_GROUPS = tuple(FOCUS_GROUPS)
ENV_VAR = "PLAYBOOK_JURISDICTION"
DEFAULT = "ca"
LEVELS = ("federal", "provincial", "territorial", "municipal")
LAW_KINDS = ("privacy_and_access", "privacy", "access", "municipal", "health", "private_sector")
#: Chapter text a profile may override (``text:`` in the YAML); defaults come from the catalogue.
TEXT_KEYS = ("front_page_note", "working_group_partners", "privacy_note")
FIELDS = {
    "code": "short lowercase code, the file's name without .yml (e.g. mb)",
    "level": " | ".join(LEVELS),
    "name": "{en: ..., fr: ...}",
    "government": "{en: ..., fr: ...}",
    "official_languages": "a list of language codes (e.g. [en, fr])",
    "editions": "the playbook editions to build, a list among en, fr",
    "provinces": "a list of 2-digit province/territory codes or abbreviations (e.g. ['46'] or [MB])",
    "csds": "a list of 7-digit census subdivision codes (municipal profiles)",
    "default_level": " | ".join(GEO_LEVELS),
    "population_groups": "a list among " + ", ".join(POPULATION_GROUPS),
    "laws": "a list of {name: {en, fr}, citation, kind, url, to_verify}",
    "oversight": "a list of {name: {en, fr}, url, to_verify}",
    "service_organization": "{en: ..., fr: ...}",
    "service_points": "a path to a service-point file, relative to the profile",
    "feedback": "a path to a client-feedback file, relative to the profile",
    "manifest": "a path to the jurisdiction's analysis manifest (its own files), relative to the profile",
    "report_problem": "where readers report a problem with a page: an issue tracker's new-issue address "
                      "(https://...) or mailto:address",
    "text": "chapter text overrides: {" + ", ".join(TEXT_KEYS) + "} each {en, fr}",
    "to_verify": "a list of notes on what still has to be checked",
}
REQUIRED = ("code", "level", "name", "government", "editions", "default_level", "laws", "oversight",
            "service_organization")
LAW_FIELDS = ("name", "citation", "kind", "url", "to_verify")
BODY_FIELDS = ("name", "url", "to_verify")


@dataclass(frozen=True)
class Entry:
    """A law or an oversight body: its names in both languages and whether it is still to verify."""
    name: dict[str, str]
    url: str = ""
    citation: str = ""
    kind: str = ""
    to_verify: bool = False


@dataclass(frozen=True)
class Profile:
    """One jurisdiction, as validated from its YAML file."""
    code: str
    level: str
    name: dict[str, str]
    government: dict[str, str]
    editions: tuple[str, ...]
    default_level: str
    laws: tuple[Entry, ...]
    oversight: tuple[Entry, ...]
    service_organization: dict[str, str]
    official_languages: tuple[str, ...] = ("en", "fr")
    provinces: tuple[str, ...] = ()
    csds: tuple[str, ...] = ()
    population_groups: tuple[str, ...] = ()
    service_points: Path | None = None
    feedback: Path | None = None
    #: The analysis manifest an edition of this jurisdiction is built from (see playbook.sources.manifest).
    manifest: Path | None = None
    #: Where the site's "Report a problem" link goes (``report_problem``): "" for the book's own page.
    report_problem: str = ""
    text: dict[str, dict[str, str]] = field(default_factory=dict)
    to_verify: tuple[str, ...] = ()
    path: Path | None = None

    @property
    def pan_canadian(self) -> bool:
        """True for a profile covering all 13 provinces and territories with no CSD list."""
        return not self.csds and set(self.provinces) == set(PROVINCES.index)

    def label(self, lang: str | None = None) -> str:
        return self.name[i18n.language(lang)]

    def substitutions(self, lang: str | None = None) -> dict[str, str]:
        """The MyST substitutions of this profile, for the chapters, in ``lang``."""
        lang = i18n.language(lang)
        law, body = self.laws[0], self.oversight[0]
        groups = [i18n.t(f"jurisdiction_group_{g}", lang) for g in self.population_groups]
        text = {key: self.text.get(key, {}).get(lang) or self._default_text(key, lang) for key in TEXT_KEYS}
        edition = i18n.t("jurisdiction_edition_pan_canadian", lang) if self.pan_canadian else self.name[lang]
        return {
            "jurisdiction": self.name[lang],
            "jurisdiction_code": self.code,
            "edition": edition,
            "government": self.government[lang],
            "privacy_law": law.name[lang],
            "privacy_law_citation": law.citation,
            "oversight_body": body.name[lang],
            "service_organization": self.service_organization[lang],
            "population_groups": ", ".join(groups) or i18n.t("jurisdiction_groups_none", lang),
            "default_level": self.default_level,
            **text,
        }

    def _default_text(self, key: str, lang: str) -> str:
        tailored = "_tailored" if key == "front_page_note" and not self.pan_canadian else ""
        return i18n.t(f"jurisdiction_text_{key}{tailored}", lang, jurisdiction=self.name[lang])

    def filter(self, df: pd.DataFrame, dguid_col: str = "DGUID") -> pd.DataFrame:
        """The rows of ``df`` that lie in this jurisdiction, judged from their DGUIDs.

        Provincial and territorial profiles keep the levels nested in their provinces (province,
        census division, census subdivision, dissemination area); a municipal profile keeps its
        census subdivisions, and any row whose ``csduid`` column (when the table has one, as from
        the geographic hierarchy) is in its list. The pan-Canadian profile keeps everything.
        """
        if dguid_col not in df.columns:
            raise PlaybookError(f"no column '{dguid_col}' to filter on", field=dguid_col,
                                expected=f"a DGUID column among {list(df.columns)}")
        if self.pan_canadian:
            return df
        parsed = parse_dguid(df[dguid_col])
        if self.csds:
            keep = (parsed["geo_level"] == "Census subdivision") & parsed["code"].isin(self.csds)
            if "csduid" in df.columns:
                keep |= df["csduid"].astype("string").isin(self.csds)
        else:
            keep = parsed["pruid"].isin(self.provinces)
        return df[keep.fillna(False).to_numpy(dtype=bool)]


# ----------------------------------------------------------------------------- loading


def profile_path(ref: str | PathLike) -> Path:
    """The file of a profile given by code (``mb``) or by path."""
    text = str(ref)
    if text.endswith((".yml", ".yaml")) or os.sep in text or "/" in text:
        return Path(ref)
    return JURISDICTIONS_DIR / f"{text.lower()}.yml"


def shipped() -> list[str]:
    """Codes of the profiles shipped in ``jurisdictions/``."""
    return sorted(p.stem for p in JURISDICTIONS_DIR.glob("*.yml"))


def read(ref: str | PathLike) -> tuple[dict, Path]:
    """The raw YAML mapping of a profile, and its path."""
    path = profile_path(ref)
    if not path.is_file():
        raise PlaybookError(f"no jurisdiction profile '{ref}'", path=path,
                            expected="a profile file, or a code among " + ", ".join(shipped()))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PlaybookError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path=path,
                            row=None if mark is None else mark.line + 1) from None
    if not isinstance(raw, dict):
        raise PlaybookError("a profile is a mapping of fields", path=path, expected="key: value lines")
    return raw, path


def problems(raw: dict, path: Path) -> list[PlaybookError]:
    """Every problem in a raw profile, one error each naming the file and the field."""
    errors: list[PlaybookError] = []

    def bad(key: str, message: str, expected: str | None = None) -> None:
        errors.append(PlaybookError(message, path=path, field=key, expected=expected or FIELDS.get(key.split("[")[0])))

    for key in raw:
        if key not in FIELDS:
            near = difflib.get_close_matches(str(key), list(FIELDS), n=1, cutoff=0.6)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            bad(str(key), f"unknown key '{key}'{hint}", "one of " + ", ".join(FIELDS))
    for key in REQUIRED:
        if raw.get(key) in (None, "", [], {}):
            bad(key, "missing")
    code = raw.get("code")
    if isinstance(code, bool):
        bad("code", f"YAML read the code as {str(code).lower()}", f"the code in quotes, e.g. code: '{path.stem}'")
    elif code is not None and (not isinstance(code, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", code)):
        bad("code", f"'{code}' is not a lowercase code")
    elif code and path.stem != code:
        bad("code", f"'{code}' does not match the file name '{path.name}'", f"{code}.yml")
    if raw.get("level") is not None and raw["level"] not in LEVELS:
        bad("level", f"unknown level '{raw['level']}'")
    for key in ("name", "government", "service_organization"):
        if raw.get(key) is not None:
            _check_text(raw[key], key, bad)
    for key, allowed in (("editions", i18n.LANGUAGES), ("population_groups", POPULATION_GROUPS)):
        for value in _as_list(raw.get(key), key, bad):
            if value not in allowed:
                bad(key, f"unknown value '{value}'", "among " + ", ".join(allowed))
    for value in _as_list(raw.get("official_languages"), "official_languages", bad):
        if not (isinstance(value, str) and re.fullmatch(r"[a-z]{2,3}", value)):
            bad("official_languages", f"'{value}' is not a language code", "2 or 3 lowercase letters")
    provinces = [_province(v) for v in _as_list(raw.get("provinces"), "provinces", bad)]
    for value, code_ in zip(raw.get("provinces") or [], provinces, strict=False):
        if code_ is None:
            bad("provinces", f"'{value}' is not a province or territory code",
                "one of " + ", ".join(f"{c} ({a})" for c, a in PROVINCES["abbreviation"].items()))
    for value in _as_list(raw.get("csds"), "csds", bad):
        text = str(value)
        if not re.fullmatch(r"\d{7}", text) or text[:2] not in PROVINCES.index:
            bad("csds", f"'{value}' is not a census subdivision code", "7 digits starting with a province code")
        elif provinces and text[:2] not in provinces:
            bad("csds", f"census subdivision '{value}' is outside the profile's provinces {provinces}")
    if not raw.get("provinces") and not raw.get("csds"):
        bad("provinces", "the profile covers no geography", "provinces or csds")
    if raw.get("default_level") is not None and raw["default_level"] not in GEO_LEVELS:
        bad("default_level", f"unknown geographic level '{raw['default_level']}'")
    for key, allowed in (("laws", LAW_FIELDS), ("oversight", BODY_FIELDS)):
        for i, entry in enumerate(_as_list(raw.get(key), key, bad)):
            where = f"{key}[{i}]"
            if not isinstance(entry, dict):
                bad(where, "an entry is a mapping", ", ".join(allowed))
                continue
            for k in entry:
                if k not in allowed:
                    bad(f"{where}.{k}", f"unknown key '{k}'", "one of " + ", ".join(allowed))
            _check_text(entry.get("name"), f"{where}.name", bad)
            if key == "laws" and entry.get("kind") not in LAW_KINDS:
                bad(f"{where}.kind", f"unknown kind '{entry.get('kind')}'", "one of " + ", ".join(LAW_KINDS))
    for key in ("service_points", "feedback", "manifest"):
        if raw.get(key) and not (path.parent / str(raw[key])).is_file():
            bad(key, f"file '{raw[key]}' not found (paths are relative to the profile)", "an existing file")
    report = raw.get("report_problem")
    if report is not None and not (isinstance(report, str) and re.match(r"(https?://\S+|mailto:[^@\s]+@\S+)$", report)):
        bad("report_problem", f"'{report}' is neither a web address nor a mailto: address")
    text = raw.get("text") or {}
    if not isinstance(text, dict):
        bad("text", "text overrides are a mapping")
        text = {}
    for key, value in text.items():
        if key not in TEXT_KEYS:
            bad(f"text.{key}", f"unknown text key '{key}'", "one of " + ", ".join(TEXT_KEYS))
        else:
            _check_text(value, f"text.{key}", bad)
    return errors


def _as_list(value, key: str, bad) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        bad(key, "should be a list")
        return []
    return value


def _check_text(value, key: str, bad) -> None:
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) or not value.get(lang).strip()
                                          for lang in i18n.LANGUAGES):
        bad(key, "needs an English and a French text", "{en: ..., fr: ...}")


def _province(value) -> str | None:
    text = str(value).strip().upper()
    if text in PROVINCES.index:
        return text
    match = PROVINCES.index[PROVINCES["abbreviation"] == text]
    return match[0] if len(match) else None


def _entries(raw: list) -> tuple[Entry, ...]:
    return tuple(Entry(name=dict(e["name"]), url=e.get("url", ""), citation=e.get("citation", ""),
                       kind=e.get("kind", ""), to_verify=bool(e.get("to_verify", False))) for e in raw)


def load(ref: str | PathLike) -> Profile:
    """Load and validate a profile (a code such as ``mb`` or a path); raise the first problem."""
    raw, path = read(ref)
    found = problems(raw, path)
    if found:
        raise found[0]
    base = path.parent
    return Profile(
        code=raw["code"], level=raw["level"], name=dict(raw["name"]), government=dict(raw["government"]),
        editions=tuple(raw["editions"]), default_level=raw["default_level"],
        laws=_entries(raw["laws"]), oversight=_entries(raw["oversight"]),
        service_organization=dict(raw["service_organization"]),
        official_languages=tuple(raw.get("official_languages") or ()),
        provinces=tuple(_province(v) for v in raw.get("provinces") or ()),
        csds=tuple(str(v) for v in raw.get("csds") or ()),
        population_groups=tuple(raw.get("population_groups") or ()),
        service_points=base / raw["service_points"] if raw.get("service_points") else None,
        feedback=base / raw["feedback"] if raw.get("feedback") else None,
        manifest=base / raw["manifest"] if raw.get("manifest") else None,
        report_problem=raw.get("report_problem") or "",
        text={k: dict(v) for k, v in (raw.get("text") or {}).items()},
        to_verify=tuple(raw.get("to_verify") or ()), path=path.resolve(),
    )


def current(jurisdiction: str | PathLike | Profile | None = None) -> Profile:
    """The profile a notebook works for: ``jurisdiction`` (code, path or profile), else
    ``$PLAYBOOK_JURISDICTION``, else the pan-Canadian profile."""
    if isinstance(jurisdiction, Profile):
        return jurisdiction
    return load(jurisdiction or os.environ.get(ENV_VAR) or DEFAULT)


def places_table(areas: pd.DataFrame, profile: Profile, lang: str | None = None, *, source: str, top: int = 10):
    """The ``top`` census subdivisions of ``areas`` (a tidy table with ``geo_level``, ``name`` and
    ``population_2021``, already filtered to ``profile``), largest first, after disclosure control,
    as a styled table captioned with the jurisdiction's name and ``source``."""
    lang = i18n.language(lang)
    csd = areas[areas["geo_level"] == "Census subdivision"].nlargest(top, "population_2021")
    csd = privacy.protect(csd, counts=["population_2021"])
    name, population = i18n.t("jurisdiction_csd_name", lang), i18n.t("population_2021", lang)
    shown = csd[["name", "population_2021"]].rename(columns={"name": name, "population_2021": population})
    caption = i18n.t("jurisdiction_places_title", lang, jurisdiction=profile.label(lang)) + " — " + source
    return (shown.style.hide(axis="index").format({population: lambda v: i18n.format_number(v, lang)})
            .set_caption(caption))


# ----------------------------------------------------------------------------- legal framework

_ORDER = {"federal": 0, "provincial": 1, "territorial": 1, "municipal": 2}


def legal_framework(lang: str | None = None, *, highlight: str | None = None,
                    profiles: list[Profile] | None = None) -> pd.DataFrame:
    """One row per law of every profile: jurisdiction, law, citation, oversight body, whether it is
    still to verify, and ``current`` (True for the rows of the ``highlight`` profile)."""
    lang = i18n.language(lang)
    profiles = profiles if profiles is not None else [load(code) for code in shipped()]
    pr_order = {code: i for i, code in enumerate(PROVINCES.index)}
    profiles = sorted(profiles, key=lambda p: (_ORDER[p.level], pr_order.get(p.provinces[0] if p.provinces else "", 99),
                                               p.code))
    verify = i18n.t("jurisdiction_to_verify", lang)
    rows = [
        {
            "jurisdiction": p.name[lang],
            "law": law.name[lang] + (f" ({verify})" if law.to_verify else ""),
            "citation": law.citation,
            "oversight": "; ".join(b.name[lang] + (f" ({verify})" if b.to_verify else "") for b in p.oversight),
            "to_verify": law.to_verify or any(b.to_verify for b in p.oversight),
            "current": p.code == highlight,
            "url": law.url,
        }
        for p in profiles for law in p.laws
    ]
    return pd.DataFrame(rows)


def _english_title(law: str, english: str) -> str:
    """``law`` (a French cell) with the words it shares at its start with ``english`` (the law's English
    title, kept where it has no official French one) marked ``lang="en"`` (WCAG 3.1.2)."""
    shared = os.path.commonprefix([law, english])
    if shared != law and shared != english:  # back to the last whole word
        shared = shared[:max(shared.rfind(" "), 0)]
    shared = shared.rstrip(" ,")
    if len(shared.split()) < 2:
        return html.escape(law)
    return f'<span lang="en">{html.escape(shared)}</span>{html.escape(law[len(shared):])}'


def legal_framework_table(lang: str | None = None, *, highlight: str | None = None,
                          profiles: list[Profile] | None = None):
    """:func:`legal_framework` as a styled table with translated headers; the current
    jurisdiction's rows are bold, shaded and marked in a column of their own (not colour alone)."""
    lang = i18n.language(lang)
    table = legal_framework(lang, highlight=highlight, profiles=profiles)
    marker = i18n.t("jurisdiction_this_edition", lang)
    laws = table["law"]
    if lang != "en":  # a law with no official title in this language keeps its English one, marked as English
        english = legal_framework("en", profiles=profiles)["law"]
        verify = f' ({i18n.t("jurisdiction_to_verify", "en")})'
        laws = pd.Series([_english_title(law, en.removesuffix(verify)) for law, en in zip(laws, english, strict=True)])
    shown = pd.DataFrame({
        i18n.t("jurisdiction_col_edition", lang): table["current"].map({True: marker, False: ""}),
        i18n.t("jurisdiction_col_jurisdiction", lang): table["jurisdiction"],
        i18n.t("jurisdiction_col_law", lang): laws,
        i18n.t("jurisdiction_col_citation", lang): table["citation"],
        i18n.t("jurisdiction_col_oversight", lang): table["oversight"],
    })
    current_rows = table["current"].to_numpy()

    def style(row):
        css = "font-weight: bold; background-color: #fff3cd" if current_rows[row.name] else ""
        return [css] * len(row)

    return (shown.style.apply(style, axis=1).hide(axis="index")
            .set_caption(i18n.t("jurisdiction_legal_caption", lang)))
