"""The Service Canada points of service, placed at their town's census subdivision.

The list (595 points from servicecanada.gc.ca, February 2024) has no coordinates: the town is in the
name ("Abbotsford Service Canada Centre", "Oshawa (Midtown Mall) Service Canada Centre") and, for
British Columbia and Alberta, in the address's city line. The town is matched, within its province,
to a census subdivision name of Table 98-10-0002-01 (accents, case, hyphens, apostrophes and
"St"/"Saint" ignored; the most populous CSD wins when two share a name), then to the city names of the
ODCAF facilities. ``match`` says how each point was matched; ``attrs["match_rate"]`` is the share matched.
Placing the points at their CSD's location is geography's step
(:func:`playbook.geo.places.read_service_canada_points`).
"""

from __future__ import annotations

import re
import unicodedata
from os import PathLike

import pandas as pd
import yaml

from playbook.codes import PROVINCES, pruid_of
from playbook.paths import ROOT
from playbook.sources import datasets
from playbook.sources.population import census_subdivisions
from playbook.sources.servicepoints import read_odcaf_libraries

#: Towns that are not CSDs of their own (merged municipalities) -> their CSD name, per province.
ALIASES = ROOT / "specs" / "service_canada_towns.yml"

#: Office types at the end of the names, longest first.
_TYPES = (
    r"(service canada centre and passport services|service canada centre - passport services|service canada centre|"
    r"scheduled outreach site|passport office|service delivery partner)\s*$"
)
_WORDS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_LANGUAGES = {
    "Services offered in English": "English",
    "Services offered in French": "French",
    "Services offered in English and French": "English and French",
}


def normalise_place(names: pd.Series) -> pd.Series:
    """Comparable place names: no accents, lower case, words only, common abbreviations spelled out."""
    plain = names.fillna("").map(lambda s: unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode())
    words = plain.str.lower().str.replace(r"\(.*?\)", " ", regex=True).str.replace(r"[^a-z0-9]+", " ", regex=True)
    return words.str.split().map(lambda ws: " ".join(_WORDS.get(w, w) for w in ws))


def town_from_name(names: pd.Series) -> pd.Series:
    """The town part of a point's name: office type and "/second town" removed; a parenthesised
    detail ("Verdun (Montréal)") is kept for matching (see :func:`match_towns`)."""
    town = names.str.replace(_TYPES, "", regex=True, flags=re.IGNORECASE)
    return town.str.split("/").str[0].str.strip()


def _lookup(keys: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """Map (pruid, key) to csduid through ``table`` (columns pruid, key, csduid, first = preferred)."""
    table = table.drop_duplicates(["pruid", "key"])
    index = pd.MultiIndex.from_frame(table[["pruid", "key"]])
    found = pd.Series(table["csduid"].to_numpy(), index=index)
    return pd.Series(found.reindex(pd.MultiIndex.from_frame(keys[["pruid", "key"]])).to_numpy(), index=keys.index)


def _aliases(by_name: pd.DataFrame) -> pd.DataFrame:
    """The towns of :data:`ALIASES` as a lookup table ``pruid, key, csduid`` (via their CSD's name)."""
    raw = yaml.safe_load(ALIASES.read_text(encoding="utf-8")) or {}
    rows = [(pruid_of(abbr), town, csd) for abbr, towns in raw.items() for town, csd in towns.items()]
    table = pd.DataFrame(rows, columns=["pruid", "town", "csd"])
    table["key"] = normalise_place(table["town"])
    found = _lookup(pd.DataFrame({"pruid": table["pruid"], "key": normalise_place(table["csd"])}), by_name)
    return table.assign(csduid=found.to_numpy()).dropna(subset=["csduid"])[["pruid", "key", "csduid"]]


def match_towns(towns: pd.Series, pruid: pd.Series) -> pd.DataFrame:
    """Match town names to CSD codes within their province: ``csduid`` and ``match``, the first rule
    that worked: ``alias`` (listed in ``specs/service_canada_towns.yml``), ``csd_name`` (same name),
    ``csd_name_variant`` ("First Nation", "Village"… dropped), ``csd_name_in_brackets``
    ("Verdun (Montréal)"), ``odcaf_city`` (a city name of the ODCAF facilities),
    ``csd_name_starts_with_town`` ("Cat Lake" -> "Cat Lake 63C"), ``town_first_words``
    ("Winnipeg Portage Place" -> "Winnipeg"); empty when none did."""
    csd = census_subdivisions().sort_values("population", ascending=False)
    by_name = pd.DataFrame({"pruid": csd["pruid"], "key": normalise_place(csd["name"]), "csduid": csd["csduid"]})

    odcaf = read_odcaf_libraries(with_coordinates=False)
    cities = pd.DataFrame({"pruid": odcaf["csduid"].str[:2], "key": normalise_place(odcaf["city"]), "csduid": odcaf["csduid"]})
    cities = cities[cities["csduid"].isin(csd["csduid"])]  # 2021 codes only
    cities = cities.groupby(["pruid", "key", "csduid"]).size().rename("n").reset_index().sort_values("n", ascending=False)
    key = normalise_place(towns)
    variant = key.str.replace(r"\b(first nations?|nation|reserve|village|town|city)\b", "", regex=True).str.split().str.join(" ")
    inside = normalise_place(towns.str.extract(r"\((.*?)\)", expand=False))
    prefixes = by_name.assign(key=by_name["key"].str.split().map(lambda ws: [" ".join(ws[:k]) for k in range(1, len(ws))]))
    prefixes = prefixes.explode("key").dropna(subset=["key"])
    full_names = normalise_place(csd.loc[prefixes.index, "name"])
    rest = [name[len(prefix) :] for name, prefix in zip(full_names, prefixes["key"], strict=True)]
    # "Saint-Laurent" must not match "Saint-Laurent-de-l'Île-d'Orléans": a French particle starts another place
    prefixes = prefixes[~pd.Series(rest, index=prefixes.index).str.match(r" (de|du|des|d|l|la|le)\b")]
    attempts = [
        ("alias", _aliases(by_name), key),
        ("csd_name", by_name, key),
        ("csd_name_variant", by_name, variant),
        ("csd_name_in_brackets", by_name, inside),
        ("odcaf_city", cities, key),
        ("csd_name_starts_with_town", prefixes, variant),
    ]
    words = key.str.split()
    for k in range(int(words.str.len().max() or 1) - 1, 0, -1):  # "Winnipeg Portage Place" -> "Winnipeg"
        attempts.append(("town_first_words", by_name, words.map(lambda ws, k=k: " ".join(ws[:k]) if len(ws) > k else None)))
    out = pd.DataFrame({"csduid": pd.Series(pd.NA, index=towns.index, dtype="object"), "match": ""})
    for label, table, keys in attempts:
        todo = out["csduid"].isna()
        found = _lookup(pd.DataFrame({"pruid": pruid[todo], "key": keys[todo].fillna("")}), table)
        hit = found.dropna()
        out.loc[hit.index, "csduid"] = hit
        out.loc[hit.index, "match"] = label
    return out


def read_service_canada_list(path: str | PathLike | None = None, addresses: str | PathLike | None = None) -> pd.DataFrame:
    """The Service Canada points of service with ``id`` (office code), ``name_en``, ``type``,
    ``language``, ``province``, ``town``, ``csduid``, ``match`` (no coordinates: see
    :func:`playbook.geo.places.read_service_canada_points`).

    Unmatched points have no ``csduid``; ``attrs["match_rate"]`` (0-1) and ``attrs["matched_by"]``
    (counts per method) report the matching.
    """
    raw = pd.read_csv(path or datasets.path("service_canada_points"), dtype=str, keep_default_na=False)
    pages = pd.read_csv(addresses or datasets.path("service_canada_addresses"), dtype=str, keep_default_na=False)
    city_line = pages["address"].str.split("\n").str[-2].str.split(",").str[0].str.strip()
    city_by_link = pd.Series(city_line.to_numpy(), index=pages["link"]).groupby(level=0).first()
    abbr_to_pruid = pd.Series(PROVINCES.index, index=PROVINCES["abbreviation"]).to_dict() | {"NF": "10"}
    code = raw["link"].str.extract(r"rc=([^&]+)", expand=False)
    points = pd.DataFrame(
        {
            "id": code.where(~code.duplicated(keep=False), code + "-" + (raw.groupby(code).cumcount() + 1).astype(str)),
            "name_en": raw["name"],
            "organization": "Service Canada",
            "jurisdiction": "federal",
            "type": raw["center-type"],
            "language": raw["center-lang"].map(_LANGUAGES).fillna(raw["center-lang"]),
            "province": raw["region"],
            "link": raw["link"],
        }
    )
    points["town"] = raw["link"].map(city_by_link).fillna(town_from_name(raw["name"]))
    pruid = raw["region"].map(abbr_to_pruid)
    matched = match_towns(points["town"], pruid)
    points["csduid"] = matched["csduid"]
    points["match"] = matched["match"]
    points.attrs["match_rate"] = float(points["csduid"].notna().mean())
    points.attrs["matched_by"] = points["match"].replace("", "unmatched").value_counts().to_dict()
    return points
