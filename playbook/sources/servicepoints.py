"""Service points: read and validate any list of points of service (CSV or GeoJSON), the real ODCAF
libraries, and the BUROLIS list of federal offices.

A service-point table has one row per point: ``id`` (unique), ``name_en``/``name_fr``,
``organization``, ``jurisdiction``, ``type``, ``services``, ``language``, ``opening_days``,
``address``, ``city``, ``province``, ``postal_code``, ``csduid``, and ``lat``/``lon`` (decimal
degrees, WGS84: the address already geocoded). Common spellings are accepted (``latitude``,
``longitude``, ``name``, ``institution``, French headers…, see :data:`COLUMNS`); anything else is an
error naming the column, unless ``extra="keep"``. Validation reports the file, row and field: an id
that is empty or repeated, coordinates that are not numbers or fall outside Canada, unknown days.

The Service Canada points, matched to their town's census subdivision, are read by
:mod:`playbook.sources.service_canada`; :mod:`playbook.geo.places` places points at their CSD.
"""

from __future__ import annotations

import json
import re
import unicodedata
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from playbook.codes import PROVINCES
from playbook.errors import PlaybookError
from playbook.sources import datasets

#: Canonical column -> accepted spellings (compared without case, accents, spaces or punctuation).
COLUMNS = {
    "id": ["id", "point_id", "identifier", "identifiant", "office_id", "service_id", "serviceid"],
    "name_en": ["name_en", "name", "english_name", "office_name", "office_name_en"],
    "name_fr": ["name_fr", "nom", "nom_fr", "french_name", "nom_du_bureau", "office_name_fr"],
    "organization": [
        "organization",
        "organisation",
        "institution",
        "institution_name",
        "department",
        "ministere",
        "provider",
    ],
    "jurisdiction": ["jurisdiction", "competence", "level_of_government", "ordre_de_gouvernement"],
    "type": ["type", "point_type", "office_type", "center_type", "type_de_bureau"],
    "services": ["services", "services_offered", "services_offerts"],
    "language": [
        "language",
        "service_language",
        "langue",
        "language_of_service",
        "official_language_obligation",
        "linguistic_obligation",
        "obligation_linguistique",
        "language_obligation",
    ],
    "opening_days": ["opening_days", "days", "jours", "jours_ouverture"],
    "address": ["address", "adresse", "street_address", "adresse_municipale"],
    "city": ["city", "ville", "municipality", "municipalite"],
    "province": ["province", "prov", "province_territory", "province_territoire", "pruid"],
    "postal_code": ["postal_code", "code_postal", "postcode"],
    "csduid": ["csduid", "csd_code", "csd", "code_sdr", "census_subdivision_code"],
    "csd_name": ["csd_name", "nom_sdr", "census_subdivision_name"],
    "cmauid": ["cmauid", "cma_code", "code_rmr", "cma_ca_code"],
    "lat": ["lat", "latitude", "y"],
    "lon": ["lon", "lng", "long", "longitude", "x"],
}
#: Latitude and longitude bounds of Canada (with a small margin), decimal degrees.
CANADA_BOUNDS = {"lat": (41.5, 83.5), "lon": (-141.5, -52.0)}
_DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "lun", "mar", "mer", "jeu", "ven", "sam", "dim"}


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    plain = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", plain)  # camelCase (BUROLIS JSON) -> camel_case
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


_ALIASES = {_key(alias): canonical for canonical, aliases in COLUMNS.items() for alias in aliases}


def _rename(raw: pd.DataFrame, path, extra: str, aliases: dict[str, str] = _ALIASES) -> pd.DataFrame:
    mapping, unknown = {}, []
    for col in raw.columns:
        canonical = aliases.get(_key(col))
        if canonical and canonical not in mapping.values():
            mapping[col] = canonical
        elif extra != "keep":
            unknown.append(col)
    if unknown:
        raise PlaybookError(
            f"unknown column(s) {unknown}",
            path=path,
            row=1,
            field=unknown[0],
            expected=f"columns among {sorted(COLUMNS)} (or pass extra='keep')",
        )
    return raw.rename(columns=mapping)


def _read_geojson(path: Path) -> pd.DataFrame:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        features = data["features"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise PlaybookError(
            f"not a GeoJSON FeatureCollection: {exc}", path=path, expected="a FeatureCollection of Points"
        ) from None
    rows = []
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            raise PlaybookError(
                f"geometry is {geometry.get('type')}", path=path, row=number, field="geometry", expected="a Point"
            )
        lon, lat = geometry["coordinates"][:2]
        rows.append({**(feature.get("properties") or {}), "lat": lat, "lon": lon})
    return pd.DataFrame(rows).astype({c: str for c in ("id",) if rows and c in rows[0]})


def _read_table(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise PlaybookError("file not found", path=path, expected="a CSV or GeoJSON file of service points")
    if path.suffix.lower() in (".geojson", ".json"):
        return _read_geojson(path)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise PlaybookError(
                f"cannot read the CSV: {exc}", path=path, expected="a comma-separated file with a header"
            ) from None
    raise PlaybookError("unknown text encoding", path=path, expected="UTF-8 or Windows-1252")


def _first_bad(mask: pd.Series) -> int:
    return int(np.flatnonzero(mask.to_numpy())[0])


def validate(points: pd.DataFrame, path=None, *, require_coordinates: bool = True) -> pd.DataFrame:
    """Check ids, coordinates and opening days; return the table with ``lat``/``lon`` as floats.

    Row numbers in messages are file lines (header = row 1) for CSV, feature numbers for GeoJSON.
    """
    offset = 1 if path is not None and Path(path).suffix.lower() in (".geojson", ".json") else 2
    if "id" not in points:
        raise PlaybookError("no 'id' column", path=path, row=1, field="id", expected="a unique id per point")
    ids = points["id"].astype(str).fillna("").str.strip()
    if (empty := ids.eq("") | points["id"].isna()).any():
        raise PlaybookError(
            "empty id", path=path, row=_first_bad(empty) + offset, field="id", expected="a unique id per point"
        )
    if (dup := ids.duplicated()).any():
        row = _first_bad(dup)
        first = _first_bad(ids.eq(ids.iloc[row]))
        raise PlaybookError(
            f"duplicate id '{ids.iloc[row]}' (first on row {first + offset})",
            path=path,
            row=row + offset,
            field="id",
            expected="a unique id per point",
        )
    out = points.assign(id=ids)
    for axis in ("lat", "lon"):
        if axis not in out:
            if require_coordinates:
                raise PlaybookError(
                    f"no '{axis}' column",
                    path=path,
                    row=1,
                    field=axis,
                    expected="latitude and longitude in decimal degrees (geocode addresses first)",
                )
            out[axis] = np.nan
        text = out[axis].astype(str).fillna("").str.strip()
        values = pd.to_numeric(text.replace({"": None, "..": None, "nan": None, "None": None}), errors="coerce")
        missing = values.isna()
        bad = missing & ~text.isin(["", "..", "nan", "None"])
        if bad.any() or (require_coordinates and missing.any()):
            row = _first_bad(bad if bad.any() else missing)
            raise PlaybookError(
                f"'{out[axis].iloc[row]}' is not a coordinate",
                path=path,
                row=row + offset,
                field=axis,
                expected="decimal degrees (geocode addresses first)",
            )
        lo, hi = CANADA_BOUNDS[axis]
        if (outside := values.notna() & ~values.between(lo, hi)).any():
            row = _first_bad(outside)
            raise PlaybookError(
                f"{values.iloc[row]} is outside Canada",
                path=path,
                row=row + offset,
                field=axis,
                expected=f"a {'latitude' if axis == 'lat' else 'longitude'} between {lo} and {hi}",
            )
        out[axis] = values.astype("float64")
    if "opening_days" in out:
        tokens = out["opening_days"].fillna("").astype(str).str.lower().str.replace(".", "", regex=False)
        parts = tokens.str.split(r"[;,/ ]+|-|–", regex=True)
        bad_days = parts.map(lambda words: any(w and w[:3] not in _DAYS for w in words))  # per row, no area loop
        if bad_days.any():
            row = _first_bad(bad_days)
            raise PlaybookError(
                f"'{out['opening_days'].iloc[row]}' is not a list of days",
                path=path,
                row=row + offset,
                field="opening_days",
                expected="days such as 'Mon-Fri' or 'lun;mar;mer'",
            )
    return out


def read_service_points(
    path: str | PathLike, *, extra: str = "error", require_coordinates: bool = True
) -> pd.DataFrame:
    """Read and validate a service-point file (CSV or GeoJSON); see the module docstring for columns."""
    path = Path(path)
    if extra not in ("error", "keep"):
        raise PlaybookError(f"extra='{extra}'", field="extra", expected="'error' or 'keep'")
    raw = _rename(_read_table(path), path, extra)
    if raw.empty:
        raise PlaybookError("no service points in the file", path=path, expected="one row (or feature) per point")
    return validate(raw, path, require_coordinates=require_coordinates)


def read_odcaf_libraries(path: str | PathLike | None = None, *, with_coordinates: bool = True) -> pd.DataFrame:
    """The libraries and archives of Statistics Canada's ODCAF v1.0 as service points.

    Ids are ``ODCAF-<row>`` (the file has none). Rows without coordinates (``..``) are dropped unless
    ``with_coordinates=False``; the number dropped is in ``attrs["without_coordinates"]``.
    """
    path = Path(path) if path else datasets.path("odcaf_libraries")
    raw = _read_table(path).replace("..", "")
    pruid_to_abbr = PROVINCES["abbreviation"]
    points = pd.DataFrame(
        {
            "id": [f"ODCAF-{i:05d}" for i in range(1, len(raw) + 1)],
            "name_en": raw["facility_name"],
            "name_fr": raw["facility_name"],
            "organization": raw["provider"],
            "jurisdiction": raw["pruid"].map(pruid_to_abbr),
            "type": raw["odcaf_facility_type"],
            "city": raw["city"],
            "province": raw["pruid"].map(pruid_to_abbr),
            "postal_code": raw["postal_code"],
            "csduid": raw["csduid"],
            "csd_name": raw["csd_name"],
            "lat": raw["latitude"],
            "lon": raw["longitude"],
        }
    )
    points = validate(points, path, require_coordinates=False)
    missing = points["lat"].isna() | points["lon"].isna()
    points.attrs["without_coordinates"] = int(missing.sum())
    return points[~missing].reset_index(drop=True) if with_coordinates else points


#: BUROLIS official-language obligation codes -> language of service.
BUROLIS_LANGUAGE = {
    "a": "English",
    "f": "French",
    "b": "English and French",
    "ad": "English and French (self-designated)",
}


def read_burolis_list(path: str | PathLike) -> pd.DataFrame:
    """Read a BUROLIS extract (Treasury Board's list of federal offices serving the public).

    Accepts the CSV (English or French headers: institution, office, address, city, province, postal
    code, CSD code and name, CMA code, language obligation) or the JSON records of the BUROLIS
    search (``serviceId``…). Offices are not placed here: :func:`playbook.geo.places.read_burolis`
    places those without coordinates at their census subdivision.

    No published header of a BUROLIS bulk file could be confirmed (the directory is a search
    application; ``specs/downloads.yml`` says the same), so headers are matched through the aliases
    of :data:`COLUMNS`, in English, French or camelCase: add a spelling there if an export uses another.
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        try:
            raw = pd.json_normalize(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PlaybookError(
                f"not a BUROLIS JSON file: {exc}", path=path, expected="a list of office records"
            ) from None
        raw = raw.astype(str)
    else:
        raw = _read_table(path)
    points = _rename(raw, path, extra="keep")
    if "language" in points:
        code = points["language"].astype(str).str.strip().str.lower()
        points["language"] = code.map(BUROLIS_LANGUAGE).fillna(points["language"])
    return validate(points, path, require_coordinates=False)
