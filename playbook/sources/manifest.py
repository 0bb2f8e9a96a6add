"""The analysis manifest: every input the playbook reads, in one YAML file.

An analyst with official files writes one manifest and gets the whole playbook on them — the book
(``make book MANIFEST=FILE``, ``python -m playbook build --manifest FILE``), the commands
(``evi indicators``, ``evi results``, ``catchments``, ``publish``, each ``--manifest FILE``) and
the common database — with no code edit. Every notebook and command reads its inputs through
:func:`current` (or :func:`load`), so nothing falls back on the embedded demo silently: a key left
out of a manifest of yours (or set to ``null``) means "I have no such file": the indicators that
need it are left out of the index, and a page built on it says so before it shows the embedded demo
as a worked example, labelled synthetic. Only the default manifest (no file) is entirely embedded.

A manifest (paths relative to the manifest's folder)::

    title: {en: Manitoba 2021, fr: Manitoba 2021}
    jurisdiction: mb                      # a profile code of jurisdictions/ or a profile file
    census:
      profile:                            # one or more Census Profile files (CSD and/or regional DA)
        - 98-401-X2021005_eng_CSV.zip
        - 98-401-X2021006_Prairies_eng_CSV.zip
      profile_2016: 98-401-X2016044_eng_CSV.zip   # the earlier census, for change over time
      geo_attributes: 2021_92-151_X.zip   # geographic attribute file (hierarchy, DA -> CSD -> CMA)
    area_file: my_area_indicators.csv     # area indicators not in the census (DGUID + columns)
    broadband: [PHH.csv, hexagons.csv]    # ISED/CRTC broadband availability
    survey: {pumf: cius2020.zip, cycle: cius_2020}
    boundaries: {csd: lcsd000b21a_e.zip, da: lda_000b21a_e.zip}
    service_points:
      - {network: service_canada, path: service_canada_points.csv}
      - {network: libraries, path: odcaf_libraries.csv}
    feedback: {path: comments.csv, text_column: comment}   # the column holding the comments (default "text")
    index: {spec: specs/evi.yml, levels: [csd, da], radius_km: 50, draws: 256, seed: 2021}

Any input may be written as a mapping to say more about it::

    area_file: {path: area.csv, synthetic: true, source: {en: "...", fr: "..."}}

``synthetic`` (default: false for a file of yours, the registry's flag for an embedded file) is
what every source line, caption and download reports: provenance is computed from the inputs,
never assumed. An embedded file may be named by its registry name (``python -m playbook
datasets`` lists them).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from os import PathLike
from pathlib import Path
from typing import Any

from playbook import i18n
from playbook.codes import DEFAULT_DRAWS, DEFAULT_RADIUS_KM, DEFAULT_SEED
from playbook.errors import PlaybookError, check_keys
from playbook.io import read_yaml
from playbook.paths import ROOT, specs_dir
from playbook.sources import datasets

ENV_VAR = "PLAYBOOK_MANIFEST"
#: The index levels a manifest may ask for.
LEVELS = ("csd", "da")
#: Input key -> (the embedded default: registry names, or None when nothing is embedded; several files?).
INPUTS: dict[str, tuple[tuple[str, ...] | None, bool]] = {
    "census.profile": (("demo_census_profile_2021",), True),
    "census.profile_2016": (("demo_census_profile_2016",), True),
    "census.geo_attributes": (("demo_geo_attributes_2021",), False),
    "area_file": (("demo_area_internet_2021",), False),
    "broadband": (None, True),
    "survey.pumf": (("demo_cius_pumf",), False),
    "survey.bootstrap": (None, False),
    "boundaries.csd": (None, False),
    "boundaries.da": (None, False),
    "feedback": (("demo_feedback_comments",), False),
}
SECTIONS = {"census": ("profile", "profile_2016", "geo_attributes"), "survey": ("pumf", "bootstrap", "cycle"),
            "boundaries": ("csd", "da")}
TOP = ("version", "title", "jurisdiction", "census", "area_file", "broadband", "survey", "boundaries",
       "service_points", "feedback", "index")
INDEX_KEYS = ("spec", "levels", "radius_km", "draws", "seed")
INPUT_KEYS = ("path", "synthetic", "source")
#: The feedback input also names the column that holds the comments (default :data:`FEEDBACK_TEXT_COLUMN`).
FEEDBACK_KEYS = (*INPUT_KEYS, "text_column")
FEEDBACK_TEXT_COLUMN = "text"
POINT_KEYS = ("network", "path", "name", "synthetic", "source")
#: The embedded service-point networks (used when the manifest names none).
DEFAULT_NETWORKS = {"service_canada": "service_canada_points", "libraries": "odcaf_libraries"}
DEFAULT_CYCLE = "cius_2020_demo"


@dataclass(frozen=True)
class Input:
    """One input of the analysis: its files, whether it is synthetic, and its source line."""

    key: str
    paths: tuple[Path, ...]
    synthetic: bool
    source: dict[str, str]
    #: The registry names when the input is an embedded file (the demo), else ().
    embedded: tuple[str, ...] = ()
    #: The column that holds the comments (the feedback input only), else None.
    text_column: str | None = None

    @property
    def path(self) -> Path:
        """The (first) file."""
        return self.paths[0]

    @property
    def demo(self) -> bool:
        """True when this is the embedded demo input (not a file of the analyst's)."""
        return bool(self.embedded)

    def source_text(self, lang: str | None = None) -> str:
        return self.source[i18n.language(lang)]

    def source_line(self, lang: str | None = None) -> str:
        """The attribution printed under a figure or table, saying "synthetic" where so."""
        return i18n.source_line(self.source_text(lang), synthetic=self.synthetic, lang=i18n.language(lang))

    def reader_arg(self) -> Path | list[Path]:
        """What a reader that takes one or several files is given."""
        return self.paths[0] if len(self.paths) == 1 else list(self.paths)


@dataclass(frozen=True)
class ServicePoints:
    """One service-point network: an id, its reader's input, and its name in both languages."""

    network: str
    input: Input
    name: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    """A validated analysis manifest (see the module docstring)."""

    inputs: dict[str, Input | None]
    service_points: tuple[ServicePoints, ...]
    spec: Path
    levels: tuple[str, ...]
    radius_km: float
    draws: int
    seed: int
    cycle: str
    title: dict[str, str] = field(default_factory=dict)
    jurisdiction: str | None = None
    path: Path | None = None

    @property
    def embedded(self) -> bool:
        """True for the default manifest (every input embedded)."""
        return self.path is None

    def or_demo(self, key: str) -> tuple[Input, bool]:
        """The input ``key``, or the embedded demo file when the analysis has none, with a flag
        that is True in that case (the page must then say so: see :func:`absent_note`)."""
        found = self.inputs.get(key)
        if found is not None:
            return found, False
        names = INPUTS[key][0]
        if not names:
            raise PlaybookError(f"the analysis has no {key.replace('.', ' ')} file and none is embedded",
                                path=self.path, field=key)
        return _embedded(key, names), True

    def networks(self, *, demo: bool = True) -> tuple[ServicePoints, ...]:
        """The service-point networks; the embedded ones when the analysis names none and ``demo``."""
        return self.service_points or (_default_points() if demo else ())

    def input(self, key: str) -> Input | None:
        """The input ``key`` (e.g. ``"census.profile"``), or None when the analysis has none."""
        if key not in INPUTS:
            raise PlaybookError(f"unknown manifest input '{key}'", field=key, expected=", ".join(INPUTS))
        return self.inputs.get(key)

    def require(self, key: str) -> Input:
        """The input ``key``; a clear error when the manifest has none."""
        found = self.input(key)
        if found is None:
            raise PlaybookError(f"the analysis has no {key.replace('.', ' ')} file", path=self.path, field=key,
                                expected="a file named by this key of the manifest")
        return found

    def synthetic(self, *keys: str) -> bool:
        """Whether any of the inputs ``keys`` (default: every input present) is synthetic."""
        chosen = [self.inputs.get(k) for k in (keys or self.inputs)]
        return any(i.synthetic for i in chosen if i is not None)

    def sources(self, *keys: str, lang: str | None = None) -> str:
        """The source texts of the inputs ``keys``, de-duplicated, joined with "; "."""
        parts = [i.source_text(lang) for k in keys if (i := self.inputs.get(k)) is not None]
        return "; ".join(dict.fromkeys(parts))

    def source_line(self, *keys: str, lang: str | None = None) -> str:
        """One source line for a figure made from the inputs ``keys``: "demo data, synthetic" when any is."""
        return i18n.source_line(self.sources(*keys, lang=lang), synthetic=self.synthetic(*keys),
                                lang=i18n.language(lang))

    def fingerprint(self) -> str:
        """A hash of the manifest and of its files' names, sizes and modification times (for caches)."""
        digest = hashlib.sha256(str(self.path).encode())
        if self.path is not None:
            digest.update(self.path.read_bytes())
        for item in [*self.inputs.values(), *(p.input for p in self.service_points)]:
            for p in () if item is None else item.paths:
                st = p.stat()
                digest.update(f"{p}|{st.st_size}|{st.st_mtime_ns}".encode())
        return digest.hexdigest()


# --- reading ----------------------------------------------------------------------------------------


def _texts(value: Any, where: str, path: Path | None) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value, "fr": value}
    if isinstance(value, Mapping) and set(value) <= set(i18n.LANGUAGES) and value:
        return {lang: str(value.get(lang) or next(iter(value.values()))) for lang in i18n.LANGUAGES}
    raise PlaybookError("expected a text or {en: ..., fr: ...}", path=path, field=where)


def _embedded(key: str, names: tuple[str, ...]) -> Input:
    entries = [datasets.info(n) for n in names]
    source = {lang: "; ".join(dict.fromkeys(e.source[lang] for e in entries)) for lang in i18n.LANGUAGES}
    return Input(key=key, paths=tuple(datasets.path(n) for n in names), synthetic=any(e.synthetic for e in entries),
                 source=source, embedded=names, text_column=FEEDBACK_TEXT_COLUMN if key == "feedback" else None)


def _user_file(text: str, where: str, base: Path, path: Path | None) -> Path:
    if not isinstance(text, str) or not text.strip():
        raise PlaybookError("expected a file path", path=path, field=where)
    p = Path(os.path.expanduser(text))
    p = p if p.is_absolute() else base / p
    if not p.exists():
        raise PlaybookError(f"file not found: {p}", path=path, field=where, expected="an existing file")
    if p.is_dir():
        raise PlaybookError(f"{p} is a folder", path=path, field=where, expected="a file")
    return p


def _input(key: str, value: Any, base: Path, path: Path | None, multiple: bool) -> Input | None:
    """One manifest input: a registry name, a path, a list of paths, or a mapping {path, synthetic, source}."""
    if value is None:
        return None
    options: dict = {}
    if isinstance(value, Mapping):
        check_keys(value, FEEDBACK_KEYS if key == "feedback" else INPUT_KEYS, path=path, where=key)
        if "path" not in value:
            raise PlaybookError("an input given as a mapping needs a path", path=path, field=f"{key}.path")
        options, value = dict(value), value["path"]
    column = options.pop("text_column", FEEDBACK_TEXT_COLUMN) if key == "feedback" else None
    if key == "feedback" and (not isinstance(column, str) or not column.strip()):
        raise PlaybookError(f"text_column {column!r}", path=path, field="feedback.text_column",
                            expected="the name of the column that holds the comments, such as comment")
    items = list(value) if isinstance(value, list | tuple) else [value]
    if not items:
        raise PlaybookError("an empty list of files", path=path, field=key, expected="at least one file, or null")
    if len(items) > 1 and not multiple:
        raise PlaybookError(f"{len(items)} files given", path=path, field=key, expected="one file")
    registry = datasets.registry()
    if all(isinstance(i, str) and i in registry for i in items):
        found = _embedded(key, tuple(items))
        if column is not None:
            found = replace(found, text_column=column)
        if "synthetic" in options or "source" in options:
            raise PlaybookError("an embedded dataset keeps its registry provenance", path=path, field=key,
                                expected="a path of your own to set synthetic or source")
        return found
    files = tuple(_user_file(i, f"{key}[{n}]" if len(items) > 1 else key, base, path) for n, i in enumerate(items))
    synthetic = options.get("synthetic", False)
    if not isinstance(synthetic, bool):
        raise PlaybookError("expected true or false", path=path, field=f"{key}.synthetic")
    if "source" in options:
        source = _texts(options["source"], f"{key}.source", path)
    else:
        names = ", ".join(f.name for f in files)
        source = {lang: i18n.t("evi_source_user_file", lang, file=names) for lang in i18n.LANGUAGES}
    return Input(key=key, paths=files, synthetic=synthetic, source=source, text_column=column)


def _number(raw: Mapping, key: str, default, kind, path: Path | None, *, minimum=None):
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and not isinstance(value, int)):
        raise PlaybookError(f"expected {'a whole number' if kind is int else 'a number'}, got {value!r}",
                            path=path, field=f"index.{key}")
    if minimum is not None and value < minimum:
        raise PlaybookError(f"{value} is out of range", path=path, field=f"index.{key}", expected=f"at least {minimum}")
    return kind(value)


def _service_points(raw: Any, base: Path, path: Path | None) -> tuple[ServicePoints, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise PlaybookError("expected a list of {network, path}", path=path, field="service_points")
    out, seen = [], set()
    for n, item in enumerate(raw):
        where = f"service_points[{n}]"
        if not isinstance(item, Mapping):
            raise PlaybookError("expected {network: ..., path: ...}", path=path, field=where)
        check_keys(item, POINT_KEYS, path=path, where=where)
        network = item.get("network")
        if not isinstance(network, str) or not network.isidentifier():
            raise PlaybookError(f"network {network!r} is not a short id", path=path, field=f"{where}.network",
                                expected="letters, digits and _ such as service_canada")
        if network in seen:
            raise PlaybookError(f"network '{network}' given twice", path=path, field=f"{where}.network")
        seen.add(network)
        given = {k: item[k] for k in ("path", "synthetic", "source") if k in item}
        found = _input(f"service_points.{network}", given, base, path, multiple=False)
        name = _texts(item["name"], f"{where}.name", path) if "name" in item else {}
        out.append(ServicePoints(network=network, input=found, name=name))
    return tuple(out)


def _default_points() -> tuple[ServicePoints, ...]:
    return tuple(ServicePoints(network=k, input=_embedded(f"service_points.{k}", (v,)))
                 for k, v in DEFAULT_NETWORKS.items())


def parse(raw: Mapping | None, *, path: Path | None = None, base: Path | None = None,
          embedded: bool = False) -> Manifest:
    """A :class:`Manifest` from the parsed YAML ``raw``. Inputs left out are absent, or the embedded
    demo files with ``embedded=True`` (the default manifest, :func:`default`)."""
    raw = {} if raw is None else raw
    if not isinstance(raw, Mapping):
        raise PlaybookError("a manifest is a mapping of keys (census:, survey:, index: ...)", path=path)
    check_keys(raw, TOP, path=path)
    base = base or (path.parent if path else ROOT)
    inputs: dict[str, Input | None] = {}
    for section, keys in SECTIONS.items():
        block = raw.get(section, {})
        if block is None:
            block = {k: None for k in keys}
        if not isinstance(block, Mapping):
            raise PlaybookError(f"expected a mapping of {', '.join(keys)}", path=path, field=section)
        check_keys(block, keys, path=path, where=section)
        for key in keys:
            full = f"{section}.{key}"
            if full not in INPUTS:
                continue
            default, multiple = INPUTS[full]
            if key in block:
                inputs[full] = _input(full, block[key], base, path, multiple)
            else:
                inputs[full] = _embedded(full, default) if embedded and default else None
    for key in ("area_file", "broadband", "feedback"):
        default, multiple = INPUTS[key]
        if key in raw:
            inputs[key] = _input(key, raw[key], base, path, multiple)
        else:
            inputs[key] = _embedded(key, default) if embedded and default else None
    survey = raw.get("survey") or {}
    cycle = survey.get("cycle", DEFAULT_CYCLE if "pumf" not in survey else None)
    if inputs.get("survey.pumf") is not None and not isinstance(cycle, str):
        raise PlaybookError("the survey cycle is missing", path=path, field="survey.cycle",
                            expected="a cycle of specs/cius.yml such as cius_2020")
    if "service_points" in raw:
        points = _service_points(raw["service_points"], base, path)
    else:
        points = _default_points() if embedded else ()
    index = raw.get("index") or {}
    if not isinstance(index, Mapping):
        raise PlaybookError("expected a mapping", path=path, field="index", expected=", ".join(INDEX_KEYS))
    check_keys(index, INDEX_KEYS, path=path, where="index")
    spec = _user_file(index["spec"], "index.spec", base, path) if "spec" in index else specs_dir() / "evi.yml"
    levels = index.get("levels", list(LEVELS))
    levels = [levels] if isinstance(levels, str) else levels
    if not isinstance(levels, list) or not levels or any(lv not in LEVELS for lv in levels):
        raise PlaybookError(f"levels {levels!r}", path=path, field="index.levels", expected="a list among " + ", ".join(LEVELS))
    jurisdiction = raw.get("jurisdiction")
    if jurisdiction is not None and not isinstance(jurisdiction, str):
        raise PlaybookError("expected a profile code such as mb, or a profile file", path=path, field="jurisdiction")
    if jurisdiction and (jurisdiction.endswith((".yml", ".yaml"))):
        jurisdiction = str(_user_file(jurisdiction, "jurisdiction", base, path))
    return Manifest(
        inputs=inputs,
        service_points=points,
        spec=spec,
        levels=tuple(dict.fromkeys(levels)),
        radius_km=_number(index, "radius_km", DEFAULT_RADIUS_KM, float, path, minimum=0.001),
        draws=_number(index, "draws", DEFAULT_DRAWS, int, path, minimum=1),
        seed=_number(index, "seed", DEFAULT_SEED, int, path, minimum=0),
        cycle=cycle or DEFAULT_CYCLE,
        title=_texts(raw["title"], "title", path) if raw.get("title") else {},
        jurisdiction=jurisdiction,
        path=path,
    )


@cache
def _load(path: str, size: int, mtime: int) -> Manifest:
    p = Path(path)
    return parse(read_yaml(p), path=p)


def load(path: str | PathLike | Manifest | None = None) -> Manifest:
    """The manifest at ``path`` (validated), or the embedded default when ``path`` is None."""
    if isinstance(path, Manifest):
        return path
    if path is None:
        return default()
    p = Path(path).expanduser().resolve()
    if not p.is_file():
        raise PlaybookError("manifest not found", path=p, expected="a YAML file (see book/10-adapt)")
    st = p.stat()
    return _load(str(p), st.st_size, st.st_mtime_ns)


@cache
def default() -> Manifest:
    """Every input embedded: the demo the book is built on by default."""
    return parse({}, embedded=True)


def current(path: str | PathLike | Manifest | None = None) -> Manifest:
    """The manifest of this run: ``path`` if given, else ``$PLAYBOOK_MANIFEST`` (set by ``python -m
    playbook build --manifest FILE``), else the embedded default."""
    if path is not None:
        return load(path)
    env = os.environ.get(ENV_VAR)
    return load(env) if env else default()
