"""Reader for Statistics Canada public-use microdata files (PUMF) of the Canadian Internet Use Survey kind.

A PUMF comes as a data file (CSV, or fixed-width text with an SPSS ``DATA LIST`` layout) and a
codebook (SPSS ``VARIABLE LABELS`` / ``VALUE LABELS`` syntax), usually in one zip, with a person
weight and bootstrap replicate weights (in the data file or a separate bootstrap file joined on the
record id). :func:`read_pumf` maps the cycle's variable names and codes to the playbook's concepts
through ``specs/cius.yml`` — another cycle is a new mapping there, not new code — and checks every
code against the codebook and the mapping. Estimates with bootstrap intervals and Statistics
Canada's quality flags are in :mod:`playbook.sources.survey_estimates`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from playbook.errors import PlaybookError
from playbook.io import read_yaml
from playbook.paths import specs_dir

SPEC = specs_dir() / "cius.yml"


@dataclass
class Survey:
    """A PUMF read through a cycle mapping.

    ``data``: one row per respondent, the id, one categorical column per mapped concept and one
    float column (1, 0 or NaN) per outcome. ``weight``: the person weight. ``replicates``: the
    bootstrap weights (respondents x replicates) or ``None``.
    """

    data: pd.DataFrame
    weight: np.ndarray
    replicates: np.ndarray | None
    spec: dict
    cycle: str
    #: Value labels from the codebook: ``{VAR: {code: label}}``.
    labels: dict[str, dict] = field(default_factory=dict)

    @property
    def outcomes(self) -> list[str]:
        return list(self.spec["outcomes"])


def load_spec(cycle: str, path: str | PathLike | None = None) -> dict:
    """The mapping of one cycle from ``specs/cius.yml`` (or ``path``)."""
    path = Path(path or SPEC)
    try:
        specs = read_yaml(path) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PlaybookError(f"cannot read the survey mapping: {exc}", path=path) from None
    cycles = [k for k, v in specs.items() if isinstance(v, dict) and "variables" in v]
    if cycle not in cycles:
        raise PlaybookError(f"unknown survey cycle '{cycle}'", path=path, field=cycle, expected=f"one of {cycles}")
    spec = specs[cycle]
    for key in ("id", "weight", "variables", "outcomes", "quality"):
        if key not in spec:
            raise PlaybookError(f"cycle '{cycle}' lacks '{key}'", path=path, field=key)
    return spec


# --- codebook and layout (SPSS syntax as published with the PUMFs) -----------------------------

_BLOCK = re.compile(r"^\s*(VARIABLE LABELS|VALUE LABELS|DATA LIST)\b", re.M | re.I)


def parse_spss_labels(text: str) -> tuple[dict[str, str], dict[str, dict[int, str]]]:
    """Variable labels and value labels from SPSS syntax (``*_vare.sps`` / ``*_vale.sps``).

    Returns ``({VAR: label}, {VAR: {code: label}})``; a value-label block that lists several
    variables (``/A B C``) applies to each of them.
    """
    var_labels: dict[str, str] = {}
    value_labels: dict[str, dict[int, str]] = {}
    for block in re.split(r"^\s*\.\s*$", text, flags=re.M):
        head = _BLOCK.search(block)
        if not head:
            continue
        body = block[head.end():]
        if head.group(1).upper() == "VARIABLE LABELS":
            for name, label in re.findall(r"^\s*(\w+)\s+\"(.*)\"\s*$", body, re.M):
                var_labels[name] = label
        elif head.group(1).upper() == "VALUE LABELS":
            for group in re.split(r"^\s*/", body, flags=re.M)[1:]:
                names: list[str] = []
                codes: dict[int, str] = {}
                for line in group.strip().splitlines():
                    m = re.match(r'^\s*"?(-?\d+)"?\s+"(.*)"\s*$', line)
                    if m:
                        codes[int(m.group(1))] = m.group(2)
                    elif not codes:
                        names += line.split()
                for name in names:
                    value_labels[name] = codes
    return var_labels, value_labels


def parse_spss_layout(text: str) -> pd.DataFrame:
    """Column positions from an SPSS ``DATA LIST`` (``*_i.sps``): ``name``, ``start``, ``end`` (1-based)."""
    rows = re.findall(r"^\s*(\w+)\s+(\d+)\s*-\s*(\d+)", text, re.M)
    if not rows:
        raise PlaybookError("no 'NAME start - end' lines in the layout", expected="an SPSS DATA LIST")
    layout = pd.DataFrame(rows, columns=["name", "start", "end"])
    layout[["start", "end"]] = layout[["start", "end"]].astype(int)
    return layout


# --- reading ------------------------------------------------------------------------------------


def _members(path: Path) -> dict[str, bytes]:
    """The files of a PUMF: the members of a zip, or the file itself."""
    if path.suffix.lower() != ".zip":
        try:
            return {path.name: path.read_bytes()}
        except OSError as exc:
            raise PlaybookError(f"cannot read the file: {exc.strerror}", path=path) from None
    try:
        with zipfile.ZipFile(path) as zf:
            return {Path(n).name: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    except (OSError, zipfile.BadZipFile) as exc:
        raise PlaybookError(f"cannot open the zip: {exc}", path=path, expected="a PUMF zip") from None


def _pick(members: dict[str, bytes], suffixes: tuple[str, ...]) -> str | None:
    found = [n for n in sorted(members) if n.lower().endswith(suffixes)]
    return found[0] if found else None


def _read_table(name: str, raw: bytes, layout: pd.DataFrame | None, where: str, id_column: str) -> pd.DataFrame:
    """The data as parsed by pandas (numbers as numbers; a column with any non-number stays text, so
    the checks below can name the cell)."""
    text = raw.decode("latin-1")
    try:
        if layout is not None:
            specs = list(zip(layout["start"] - 1, layout["end"], strict=True))
            return pd.read_fwf(io.StringIO(text), colspecs=specs, names=list(layout["name"]),
                               dtype={id_column: str}, header=None, keep_default_na=False)
        return pd.read_csv(io.StringIO(text), dtype={id_column: str}, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise PlaybookError(f"cannot parse the data: {exc}", path=where,
                            expected="a CSV with a header row, or fixed-width text with a layout") from None


def _integers(frame: pd.DataFrame, column: str, where: str) -> pd.Series:
    """A column as integer codes; the first non-integer cell is reported with its row."""
    if column not in frame.columns:
        raise PlaybookError(f"column '{column}' is missing", path=where, row=1, field=column,
                            expected="the variable named in specs/cius.yml")
    if pd.api.types.is_integer_dtype(frame[column]):
        return frame[column].astype("int64")
    text = frame[column].astype(str).str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() | (values != values.round())
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise PlaybookError(f"'{frame[column].iloc[i]}' is not a code", path=where, row=i + 2, field=column,
                            expected="an integer code")
    return values.astype("int64")


def _numbers(frame: pd.DataFrame, columns: list[str], where: str) -> np.ndarray:
    """Weight columns as a float matrix; a missing, non-numeric or negative weight is an error."""
    for column in columns:
        if column not in frame.columns:
            raise PlaybookError(f"weight column '{column}' is missing", path=where, row=1, field=column,
                                expected="the weight named in specs/cius.yml")
    values = frame[columns].apply(
        lambda s: s if pd.api.types.is_numeric_dtype(s) else pd.to_numeric(s.astype(str).str.strip(), errors="coerce")
    ).to_numpy(float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise PlaybookError(f"'{frame[columns[j]].iloc[i]}' is not a weight", path=where, row=int(i) + 2,
                            field=columns[j], expected="a number >= 0")
    return values


def _check_codes(codes: pd.Series, allowed: set[int], where: str, column: str, what: str) -> None:
    bad = ~codes.isin(allowed)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        shown = sorted(allowed)
        raise PlaybookError(f"code {codes.iloc[i]} is not in the {what}", path=where, row=i + 2, field=column,
                            expected=f"one of {shown[:12]}{' ...' if len(shown) > 12 else ''}")


def _replicate_columns(columns: list[str], prefix: str, where: str) -> list[str]:
    found = sorted((c for c in columns if re.fullmatch(re.escape(prefix) + r"\d+", c)),
                   key=lambda c: int(c[len(prefix):]))
    numbers = [int(c[len(prefix):]) for c in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise PlaybookError(f"replicate weights {prefix}* are not numbered 1..n without gaps", path=where, row=1,
                            field=prefix, expected=f"{prefix}1 (or {prefix}001) to {prefix}<n>")
    return found


def read_pumf(
    data: str | PathLike,
    *,
    cycle: str = "cius_2020_demo",
    spec: str | PathLike | dict | None = None,
    codebook: str | PathLike | None = None,
    layout: str | PathLike | None = None,
    bootstrap: str | PathLike | None = None,
) -> Survey:
    """Read a PUMF as published: a zip (data + SPSS syntax), or a data file with its codebook.

    ``codebook``: SPSS value labels (found in the zip when omitted); every mapped variable's codes
    are checked against it. ``layout``: SPSS ``DATA LIST`` for a fixed-width data file (found in the
    zip when omitted). ``bootstrap``: a separate bootstrap-weights file joined on the record id.
    """
    path = Path(data)
    spec = spec if isinstance(spec, dict) else load_spec(cycle, spec)
    members = _members(path)
    data_name = _pick(members, (".csv",)) or _pick(members, (".txt", ".dat"))
    if data_name is None:
        raise PlaybookError("no data file in the PUMF", path=path, expected="a .csv, .txt or .dat member")
    where = f"{path}:{data_name}" if path.suffix.lower() == ".zip" else str(path)
    extra = {} if codebook is None else _members(Path(codebook))
    labels_name = _pick(members | extra, ("_vale.sps", "vale.sps", "_values.sps"))
    value_labels = parse_spss_labels((members | extra)[labels_name].decode("latin-1"))[1] if labels_name else {}
    layout_frame = None
    if not data_name.lower().endswith(".csv"):
        lay = _members(Path(layout)) if layout else members
        lay_name = _pick(lay, ("_i.sps", "layout.sps"))
        if lay_name is None:
            raise PlaybookError("a fixed-width data file needs its layout", path=path,
                                expected="an SPSS DATA LIST (*_i.sps) in the zip or as layout=")
        layout_frame = parse_spss_layout(lay[lay_name].decode("latin-1"))
    frame = _read_table(data_name, members[data_name], layout_frame, where, spec["id"])
    if frame.empty:
        raise PlaybookError("the data file has no respondents", path=where, row=2, expected="one row per respondent")

    out = pd.DataFrame({"id": frame[spec["id"]].astype(str).str.strip()}) if spec["id"] in frame.columns else None
    if out is None:
        raise PlaybookError(f"column '{spec['id']}' is missing", path=where, row=1, field=spec["id"],
                            expected="the record id named in specs/cius.yml")
    for concept, entry in spec["variables"].items():
        if entry == "unavailable":
            out[concept] = pd.Series(pd.NA, index=frame.index, dtype="string")
            continue
        codes = _integers(frame, entry["source"], where)
        mapping = {int(k): str(v) for k, v in entry["values"].items()}
        if entry["source"] in value_labels:
            _check_codes(codes, set(value_labels[entry["source"]]), where, entry["source"], "codebook")
        out[concept] = codes.map(mapping).astype("string")
    for concept, entry in spec["outcomes"].items():
        out[concept] = _outcome(frame, entry, value_labels, where)

    weight = _numbers(frame, [spec["weight"]], where)[:, 0]
    replicates = None
    if spec.get("replicates"):
        cols = _replicate_columns(list(frame.columns), spec["replicates"], where)
        replicates = _numbers(frame, cols, where) if cols else None
    if bootstrap is not None:
        replicates = _read_bootstrap(Path(bootstrap), spec, out["id"])
    return Survey(out, weight, replicates, spec, cycle, value_labels)


def _outcome(frame: pd.DataFrame, entry: dict, value_labels: dict, where: str) -> pd.Series:
    """1 / 0 / NaN for one outcome declared in the mapping."""
    if "count_of" in entry:
        hits = np.zeros(len(frame))
        for column in entry["count_of"]:
            codes = _integers(frame, column, where)
            if column in value_labels:
                _check_codes(codes, set(value_labels[column]), where, column, "codebook")
            hits += (codes == int(entry["value"])).to_numpy()
        return pd.Series((hits <= int(entry["at_most"])).astype(float), index=frame.index)
    codes = _integers(frame, entry["source"], where)
    if entry["source"] in value_labels:
        _check_codes(codes, set(value_labels[entry["source"]]), where, entry["source"], "codebook")
    positive, negative = set(entry["positive"]), set(entry["negative"])
    return pd.Series(np.where(codes.isin(positive), 1.0, np.where(codes.isin(negative), 0.0, np.nan)),
                     index=frame.index)


def _read_bootstrap(path: Path, spec: dict, ids: pd.Series) -> np.ndarray:
    members = _members(path)
    name = _pick(members, (".csv",))
    if name is None:
        raise PlaybookError("no CSV in the bootstrap file", path=path, expected="a .csv of replicate weights")
    where = f"{path}:{name}" if path.suffix.lower() == ".zip" else str(path)
    frame = _read_table(name, members[name], None, where, spec["id"])
    prefix = spec.get("bootstrap_prefix") or spec.get("replicates")
    cols = _replicate_columns(list(frame.columns), prefix, where)
    if not cols:
        raise PlaybookError(f"no replicate weights {prefix}1.. in the bootstrap file", path=where, row=1,
                            field=prefix, expected=f"columns {prefix}1..{prefix}<n>")
    if spec["id"] not in frame.columns:
        raise PlaybookError(f"column '{spec['id']}' is missing", path=where, row=1, field=spec["id"])
    weights = pd.DataFrame(_numbers(frame, cols, where), index=frame[spec["id"]].astype(str).str.strip())
    missing = ~ids.isin(weights.index)
    if missing.any():
        raise PlaybookError(f"respondent '{ids[missing].iloc[0]}' has no bootstrap weights", path=where,
                            field=spec["id"], expected="one row per respondent of the data file")
    return weights.loc[ids.to_numpy()].to_numpy()
