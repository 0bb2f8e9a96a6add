"""The service-point networks of an analysis, read through its manifest, and how well each source
covers each province.

:func:`read_networks` reads every network the analysis names (``service_points:`` of the manifest,
:mod:`playbook.sources.manifest`), plus the jurisdiction profile's ``service_points:`` file when it
has one. When the manifest names no network, the embedded ones (Service Canada points of service
and the ODCAF libraries) are read as a worked example, and ``fallback`` says so: a page never
shows them in place of the analyst's own silently.

Readers: the embedded Service Canada list is placed at each office's census subdivision
(:func:`playbook.geo.places.read_service_canada_points`); the embedded ODCAF libraries keep their
own coordinates (:func:`playbook.sources.servicepoints.read_odcaf_libraries`); a network named
``burolis`` (or any ``.json`` file) is a BUROLIS export of the Treasury Board's directory of federal
offices, read by :func:`playbook.geo.places.read_burolis` (BUROLIS publishes no bulk file: the
export is made by hand from its search application, chapter 10 says how); any other file is read
by :func:`playbook.sources.servicepoints.read_service_points` and its points without coordinates are
placed at their census subdivision (:func:`playbook.geo.places.place_at_csd`).

**Source coverage before distance.** A point missing from a source (or listed without a location)
makes every distance around it too long. :func:`coverage` counts, per network and province, the
points listed and those with a location; a province with no located point (``none``) or with fewer
than :data:`POOR_SHARE` of its points located (``poor``) is *flagged*: its distances to that network
are not findings, and the page withholds them (:func:`flagged`).

**Demo honesty.** While the score beside a point is synthetic, :func:`point_names` gives generic
labels ("Service point 12 (demo)") instead of the offices' real names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from playbook import evi, i18n
from playbook.codes import PROVINCES, province_names
from playbook.geo.places import place_at_csd, read_burolis, read_service_canada_points
from playbook.sources import datasets
from playbook.sources import manifest as manifests
from playbook.sources.servicepoints import read_odcaf_libraries, read_service_points

#: Under this share of its points with a location, a source covers a province poorly (a fifth or
#: more of the points missing from the map makes the distances there too long to report).
POOR_SHARE = 0.8
#: Network id of the jurisdiction profile's ``service_points:`` file.
PROFILE_NETWORK = "jurisdiction"
#: Embedded sources that list their points' names in English only (the Service Canada list is
#: compiled from the English pages of servicecanada.gc.ca; ODCAF names are in the facility's language).
ENGLISH_ONLY = (("service_canada_points",),)
#: The network id whose file is a BUROLIS export (read with its own column names and language codes).
BUROLIS = "burolis"
#: Labels of the embedded networks (catalogue keys).
KNOWN_LABELS = {"service_canada": "catchments_service_canada", "libraries": "catchments_libraries"}
#: First letter of a postal code -> province (X: Nunavut for X0A-X0C, else the Northwest Territories).
POSTAL = {"A": "10", "B": "12", "C": "11", "E": "13", "G": "24", "H": "24", "J": "24", "K": "35", "L": "35",
          "M": "35", "N": "35", "P": "35", "R": "46", "S": "47", "T": "48", "V": "59", "X": "61", "Y": "60"}
FLAGS = ("none", "poor")


@dataclass(frozen=True)
class Network:
    """One network of service points: its id, its names, every point read and where it comes from.

    ``points``: ``id``, ``name_en`` (and the reader's other columns), ``pruid`` (the point's province,
    2 digits, when known), ``lat``/``lon`` (missing for a point without a location), ``placement``
    (``coordinates``, or how the point was placed at its census subdivision) and ``number`` (1, 2…
    in the order of the file: the generic label of the demo).
    """

    id: str
    name: dict[str, str]
    points: pd.DataFrame
    input: manifests.Input
    origin: str = "manifest"  # "manifest", "embedded" (the worked example) or "profile"
    attrs: dict = field(default_factory=dict)

    def label(self, lang: str | None = None) -> str:
        return self.name[i18n.language(lang)]

    @property
    def located(self) -> pd.DataFrame:
        """The points with a location (the ones distances are measured to)."""
        return self.points.dropna(subset=["lat", "lon"]).reset_index(drop=True)

    @property
    def synthetic(self) -> bool:
        return self.input.synthetic

    def source_text(self, lang: str | None = None) -> str:
        return self.input.source_text(lang)


@dataclass(frozen=True)
class Networks:
    """The networks of an analysis (the first is the one the per-point views use), and whether they
    are the embedded worked example because the analysis names none (``fallback``)."""

    items: tuple[Network, ...]
    fallback: bool = False

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, key: int | str) -> Network:
        if isinstance(key, str):
            for n in self.items:
                if n.id == key:
                    return n
            raise KeyError(key)
        return self.items[key]

    @property
    def primary(self) -> Network:
        return self.items[0]

    def ids(self) -> list[str]:
        return [n.id for n in self.items]

    def source_text(self, lang: str | None = None) -> str:
        return "; ".join(dict.fromkeys(n.source_text(lang) for n in self.items))


def _names(network: str, given: dict[str, str]) -> dict[str, str]:
    if given:
        return {lang: i18n.french_typography(v) if lang == "fr" else v for lang, v in given.items()}
    if network in KNOWN_LABELS:
        return {lang: i18n.t(KNOWN_LABELS[network], lang) for lang in i18n.LANGUAGES}
    return {lang: network.replace("_", " ") for lang in i18n.LANGUAGES}


def province_of(points: pd.DataFrame) -> pd.Series:
    """The 2-digit province of each point: from ``province`` (a code, an abbreviation or a name),
    else the first two digits of ``csduid``, else the first letter of ``postal_code``; missing when
    none says."""
    index = points.index
    empty = pd.Series(pd.NA, index=index, dtype="string")
    text = points["province"].astype("string").str.strip() if "province" in points else empty
    by_name = {**{n.casefold(): p for p, n in PROVINCES["name_en"].items()},
               **{n.casefold(): p for p, n in PROVINCES["name_fr"].items()},
               **{a.casefold(): p for p, a in PROVINCES["abbreviation"].items()},
               **{p: p for p in PROVINCES.index}, "nf": "10", "pq": "24"}
    out = text.str.casefold().map(by_name).astype("string")
    if "csduid" in points:
        csd = points["csduid"].astype("string").str.strip().str[:2]
        out = out.fillna(csd.where(csd.isin(PROVINCES.index)))
    if "postal_code" in points:
        postal = points["postal_code"].astype("string").str.strip().str.upper()
        guess = postal.str[:1].map(POSTAL).astype("string")
        guess = guess.mask(postal.str[:3].isin(["X0A", "X0B", "X0C"]), "62")
        out = out.fillna(guess)
    return out.astype("string")


def _read(network: str, given: manifests.Input) -> tuple[pd.DataFrame, dict]:
    """The points of one network, with the reader that fits its input."""
    if given.embedded == ("service_canada_points",):
        points = read_service_canada_points()
    elif given.embedded == ("odcaf_libraries",):
        points = read_odcaf_libraries(given.path, with_coordinates=False)
        points["placement"] = np.where(points["lat"].notna() & points["lon"].notna(), "coordinates", "")
    elif network == BUROLIS or given.path.suffix.lower() == ".json":
        points = read_burolis(given.path)  # a BUROLIS export (CSV or the search's JSON records)
    else:
        points = place_at_csd(read_service_points(given.path, extra="keep", require_coordinates=False))
    attrs = dict(points.attrs)
    points = points.reset_index(drop=True)
    points["id"] = points["id"].astype(str)
    if "name_en" not in points:
        points["name_en"] = points["id"]
    points["pruid"] = province_of(points)
    points["number"] = np.arange(1, len(points) + 1)
    return points, attrs


def read_networks(manifest=None, profile=None) -> Networks:
    """The service-point networks of the analysis ``manifest`` (see the module docstring), then the
    jurisdiction ``profile``'s ``service_points:`` file as network ``jurisdiction`` when it has one."""
    m = manifests.current(manifest)
    listed = m.networks(demo=False)
    fallback = not listed
    chosen = listed or m.networks(demo=True)
    origin = "embedded" if fallback or m.embedded else "manifest"
    items = []
    for entry in chosen:
        points, attrs = _read(entry.network, entry.input)
        items.append(Network(entry.network, _names(entry.network, entry.name), points, entry.input, origin, attrs))
    if profile is not None and profile.service_points is not None:
        path = profile.service_points
        source = {lang: i18n.t("evi_source_user_file", lang, file=path.name) for lang in i18n.LANGUAGES}
        given = manifests.Input(key=f"service_points.{PROFILE_NETWORK}", paths=(path,), synthetic=False, source=source)
        points, attrs = _read(PROFILE_NETWORK, given)
        name = {lang: i18n.t("catchments_profile_network", lang, jurisdiction=profile.label(lang)) for lang in i18n.LANGUAGES}
        items.append(Network(PROFILE_NETWORK, name, points, given, "profile", attrs))
    return Networks(tuple(items), fallback=fallback and not m.embedded)


# --- source coverage -----------------------------------------------------------------------------


def coverage(networks, provinces=None, *, poor_share: float = POOR_SHARE) -> pd.DataFrame:
    """One row per network and province (``provinces``: 2-digit codes, default all 13): ``network``,
    ``pruid``, ``points`` listed, ``located`` (with a location), ``placed_at_csd`` (located at their
    census subdivision rather than by their own coordinates), ``share_pct`` located and ``flag``:
    ``"none"`` (no located point), ``"poor"`` (under ``poor_share`` located) or ``""``."""
    provinces = list(PROVINCES.index if provinces is None else provinces)
    rows = []
    for n in networks:
        p = n.points
        located = p["lat"].notna() & p["lon"].notna()
        at_csd = located & ~p["placement"].isin(["coordinates", ""]) if "placement" in p else located & False
        frame = pd.DataFrame({"pruid": p["pruid"], "points": 1, "located": located.astype(int),
                              "placed_at_csd": at_csd.astype(int)})
        counts = frame.groupby("pruid").sum().reindex(provinces, fill_value=0)
        counts = counts.reset_index().assign(network=n.id)
        rows.append(counts)
    table = pd.concat(rows, ignore_index=True)[["network", "pruid", "points", "located", "placed_at_csd"]]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = 100 * table["located"] / table["points"].where(table["points"] > 0)
    table["share_pct"] = share.astype("float64")
    table["flag"] = np.select([table["located"] == 0, share < 100 * poor_share], list(FLAGS), "")
    return table


def unplaced(networks) -> dict[str, int]:
    """Per network: the points whose province could not be told (counted in no province)."""
    return {n.id: int(n.points["pruid"].isna().sum()) for n in networks}


def flagged(table: pd.DataFrame) -> dict[str, list[str]]:
    """Network id -> the provinces (2-digit codes) whose distances to it are not reported."""
    out = {}
    for network, rows in table.groupby("network", sort=False):
        out[network] = rows.loc[rows["flag"] != "", "pruid"].tolist()
    return out


def unreported(areas: pd.DataFrame, table: pd.DataFrame, network: str) -> np.ndarray:
    """Per area (``pruid``): True where its distances to ``network`` are not reported."""
    return areas["pruid"].isin(flagged(table).get(network, [])).to_numpy()


def coverage_table(table: pd.DataFrame, networks, lang: str | None = None) -> pd.DataFrame:
    """:func:`coverage` for display: network, province, points, located, share, coverage (labelled)."""
    lang = i18n.language(lang)
    labels = {n.id: n.label(lang) for n in networks}
    flag_text = {"none": i18n.t("catchments_coverage_none", lang), "poor": i18n.t("catchments_coverage_poor", lang,
                 share=i18n.format_percent(100 * POOR_SHARE, lang, 0)), "": i18n.t("catchments_coverage_ok", lang)}
    return pd.DataFrame({
        i18n.t("catchments_col_network", lang): table["network"].map(labels),
        i18n.t("catchments_col_province", lang): province_names(table["pruid"], lang),
        i18n.t("catchments_col_points", lang): table["points"],
        i18n.t("catchments_col_located", lang): table["located"],
        i18n.t("catchments_col_placed_at_csd", lang): table["placed_at_csd"],
        i18n.t("catchments_col_located_pct", lang): table["share_pct"],
        i18n.t("catchments_col_coverage", lang): table["flag"].map(flag_text),
    })


def flagged_line(table: pd.DataFrame, networks, lang: str | None = None) -> str:
    """One sentence naming, per network, the provinces whose distances are withheld (or saying none are)."""
    lang = i18n.language(lang)
    parts = []
    for n in networks:
        rows = table[(table["network"] == n.id) & (table["flag"] != "")]
        if rows.empty:
            continue
        described = []
        for flag in FLAGS:
            chosen = rows[rows["flag"] == flag]
            if chosen.empty:
                continue
            if flag == "none":
                names = ", ".join(province_names(chosen["pruid"], lang))
                described.append(i18n.t("catchments_flag_none", lang, provinces=names))
            else:
                each = [i18n.t("catchments_flag_poor_one", lang, province=name, located=i18n.format_number(r.located, lang),
                               points=i18n.format_number(r.points, lang))
                        for r, name in zip(chosen.itertuples(), province_names(chosen["pruid"], lang), strict=True)]
                described.append(", ".join(each))
        parts.append(i18n.t("catchments_flag_network", lang, network=n.label(lang), provinces="; ".join(described)))
    if not parts:
        return i18n.t("catchments_flag_nothing", lang)
    return i18n.t("catchments_flag_line", lang, networks=" ".join(parts))


# --- names beside scores --------------------------------------------------------------------------


def point_names(points: pd.DataFrame, synthetic: bool, lang: str | None = None) -> pd.Series:
    """Point id -> the name shown beside a score: the point's own name (``name_fr`` in French when
    it has one), or, while the score is synthetic, a generic label with its number in the network
    ("Service point 12 (demo)") — never a real office's name beside an invented score."""
    lang = i18n.language(lang)
    ids = points["id"].astype(str).to_numpy()
    if synthetic:
        labels = [i18n.t("catchments_demo_point", lang, n=int(n)) for n in points["number"]]
        return pd.Series(labels, index=ids, dtype="string")
    name = points["name_en"].astype("string")
    if lang == "fr" and "name_fr" in points:
        french = points["name_fr"].astype("string").str.strip()
        name = french.where(french.fillna("") != "", name)
    return pd.Series(name.to_numpy(), index=ids, dtype="string")


def input_notes(manifest=None, networks: Networks | None = None, *, score: str = "evi", synthetic: bool = True,
                lang: str | None = None) -> list[str]:
    """The one-line notes a page built on ``manifest`` shows before its results: the inputs it shows
    from the embedded demo because the analysis has none, the default networks it does not have, the
    jurisdiction's own network, and whether the score is synthetic."""
    lang = i18n.language(lang)
    m = manifests.current(manifest)
    notes = []
    if m.embedded:
        notes.append(i18n.t("catchments_note_embedded", lang))
    if score == "evi":
        if m.or_demo("census.profile")[1]:
            notes.append(i18n.t("catchments_note_no_census", lang))
        left = evi.left_out(m.spec, m)
        if left:
            labels = evi.indicator_labels(m.spec, lang)
            notes.append(i18n.t("evi_left_out", lang, indicators=", ".join(labels.get(i, i) for i in left)))
    else:
        notes.append(i18n.t("catchments_note_standin", lang))
    if networks is not None:
        if networks.fallback:
            notes.append(i18n.t("catchments_note_no_networks", lang,
                                networks=", ".join(n.label(lang) for n in networks if n.origin == "embedded")))
        elif not m.embedded:
            for known in KNOWN_LABELS:
                if known not in networks.ids():
                    notes.append(i18n.t("catchments_note_absent_network", lang, network=i18n.t(KNOWN_LABELS[known], lang)))
        for n in networks:
            if n.origin == "profile":
                notes.append(i18n.t("catchments_note_profile_network", lang, network=n.label(lang), file=n.input.path.name))
        if lang == "fr" and not synthetic:  # real names are shown: say which come only in English
            english = [n.label(lang) for n in networks if n.input.embedded in ENGLISH_ONLY and not _has_french_names(n.points)]
            if english:
                notes.append(i18n.t("catchments_note_names_english", lang, networks=", ".join(english)))
    notes.append(i18n.t("catchments_note_synthetic" if synthetic else "catchments_note_real", lang))
    return notes


def _has_french_names(points: pd.DataFrame) -> bool:
    return "name_fr" in points and bool(points["name_fr"].astype("string").str.strip().fillna("").ne("").any())


#: Short source texts of the embedded networks (catalogue keys), for the source lines under figures.
SHORT_SOURCES = {"service_canada_points": "catchments_source_service_canada", "odcaf_libraries": "catchments_source_libraries"}


def source_line(manifest=None, networks: Networks | None = None, *, score: str = "evi", synthetic: bool | None = None,
                lang: str | None = None) -> str:
    """The source line of the page's figures and tables: the inputs behind the score (the census and
    area inputs of the analysis for the EVI, Table 98-10-0002-01 for the stand-in), the networks and
    the boundary files, ending "demo data, synthetic" when ``synthetic`` (default: when an input
    behind the score or a network is)."""
    lang = i18n.language(lang)
    m = manifests.current(manifest)
    if score == "evi":
        census_input = m.or_demo("census.profile")[0]
        used = [census_input, *{i.key: i for i in evi.area_sources(m, evi.analysis_spec(m.spec, m)).values()}.values()]
        parts = [i.source_text(lang) for i in used]
        behind = any(i.synthetic for i in used)
    else:
        parts, behind = [datasets.info("population_2021").source[lang]], False
    for n in networks or ():
        short = SHORT_SOURCES.get(n.input.embedded[0]) if n.input.demo else None
        parts.append(i18n.t(short, lang) if short else n.source_text(lang))
        behind = behind or n.synthetic
    parts.append(i18n.t("catchments_source_boundaries", lang))
    synthetic = behind if synthetic is None else synthetic
    return i18n.source_line("; ".join(dict.fromkeys(parts)), synthetic=synthetic, lang=lang)
