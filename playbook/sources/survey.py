"""Reader for Statistics Canada public-use microdata files (PUMF) of the Canadian Internet Use Survey kind.

A PUMF comes as a data file (CSV, or fixed-width text with an SPSS ``DATA LIST`` layout) and a
codebook (SPSS ``VARIABLE LABELS`` / ``VALUE LABELS`` syntax), usually in one zip, with a person
weight and bootstrap replicate weights. :func:`read_pumf` maps the cycle's variable names and codes
to the playbook's concepts through ``specs/cius.yml`` — another cycle is a new mapping there, not
new code — and checks every code against the codebook and the mapping.

Which member is which is decided by content, never by name order: the **data file** is the CSV
(or the fixed-width text matching a ``DATA LIST`` layout) whose columns hold the cycle's record
id, person weight and mapped variables; a **bootstrap file** holds the record id and the replicate
weights (``<prefix>1..<prefix>n``) but no mapped variable. The replicate weights are taken from the
data file when they are there, else from a bootstrap file in the same zip, else from ``bootstrap=``
(joined on the record id). Two candidates for one role raise a :class:`PlaybookError` naming them.
Fixed-width weights declared with implied decimals (``WTPM 537 - 551 (9)``) are divided by 10^d
unless the cell carries its own decimal point, as SPSS reads them.

Estimates with bootstrap intervals and Statistics Canada's quality flags are in
:mod:`playbook.sources.survey_estimates`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from playbook.errors import PlaybookError, check_keys
from playbook.io import read_yaml
from playbook.paths import specs_dir

SPEC = specs_dir() / "cius.yml"
#: The keys a cycle of ``specs/cius.yml`` may have.
CYCLE_KEYS = ("title", "id", "weight", "replicates", "quality", "variables", "outcomes")


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
    #: Where each part came from: ``{"data": member, "replicates": member or None}``.
    files: dict[str, str | None] = field(default_factory=dict)

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
    check_keys(spec, CYCLE_KEYS, path=path, where=cycle)
    for key in ("id", "weight", "variables", "outcomes", "quality"):
        if key not in spec:
            raise PlaybookError(f"cycle '{cycle}' lacks '{key}'", path=path, field=key)
    return spec


def replicate_prefixes(spec: dict) -> list[str]:
    """The replicate-weight prefixes of a cycle (``replicates:`` is one prefix or a list to try)."""
    value = spec.get("replicates")
    return [] if not value else [value] if isinstance(value, str) else [str(v) for v in value]


def _sources(spec: dict) -> list[str]:
    """Every data column the mapping reads besides the id and the weights."""
    names = [e["source"] for e in spec["variables"].values() if isinstance(e, dict)]
    for entry in spec["outcomes"].values():
        names += list(entry["count_of"]) if "count_of" in entry else [entry["source"]]
    return list(dict.fromkeys(names))


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
    """Column positions from an SPSS ``DATA LIST`` (``*_i.sps``): ``name``, ``start``, ``end`` (1-based)
    and ``decimals`` (the implied decimals of ``(9)``, 0 for none or for text ``(A)``)."""
    rows = re.findall(r"^\s*(\w+)\s+(\d+)\s*-\s*(\d+)(?:\s*\(\s*(\w+)\s*\))?", text, re.M)
    if not rows:
        raise PlaybookError("no 'NAME start - end' lines in the layout", expected="an SPSS DATA LIST")
    layout = pd.DataFrame(rows, columns=["name", "start", "end", "decimals"])
    layout[["start", "end"]] = layout[["start", "end"]].astype(int)
    layout["decimals"] = pd.to_numeric(layout["decimals"], errors="coerce").fillna(0).astype(int)
    return layout


# --- the members of a PUMF and what each one holds -----------------------------------------------


#: The members of a zip the reader looks at (documentation, SAS/SPSS/Stata binaries are left unread).
MEMBER_SUFFIXES = (".csv", ".txt", ".dat", ".sps")


def _members(path: Path) -> dict[str, bytes]:
    """The files of a PUMF: the members of a zip the reader can use, or the file itself."""
    if path.suffix.lower() != ".zip":
        try:
            return {path.name: path.read_bytes()}
        except OSError as exc:
            raise PlaybookError(f"cannot read the file: {exc.strerror}", path=path) from None
    try:
        with zipfile.ZipFile(path) as zf:
            return {Path(n).name: zf.read(n) for n in zf.namelist() if n.lower().endswith(MEMBER_SUFFIXES)}
    except (OSError, zipfile.BadZipFile) as exc:
        raise PlaybookError(f"cannot open the zip: {exc}", path=path, expected="a PUMF zip") from None


def _pick(members: dict[str, bytes], suffixes: tuple[str, ...]) -> str | None:
    found = [n for n in sorted(members) if n.lower().endswith(suffixes)]
    return found[0] if found else None


def _layouts(members: dict[str, bytes], *, every: bool = False) -> list[pd.DataFrame]:
    """The ``DATA LIST`` layouts among ``members`` (``*_i.sps``; ``every``: each member, for a layout
    given by the user under any name)."""
    return [parse_spss_layout(members[n].decode("latin-1")) for n in sorted(members)
            if every or n.lower().endswith(("_i.sps", "layout.sps"))]


@dataclass(frozen=True)
class _Table:
    """A member that holds a table: its name, its column names and (fixed width) its layout."""

    name: str
    columns: tuple[str, ...]
    layout: pd.DataFrame | None = None

    def role(self, spec: dict) -> str | None:
        """``"data"``, ``"bootstrap"`` or ``None``, from the columns (see the module doc)."""
        cols = set(self.columns)
        if spec["id"] not in cols:
            return None
        if spec["weight"] in cols and cols & set(_sources(spec)):
            return "data"
        return "bootstrap" if _replicate_names(self.columns, spec) else None


def _first_line(raw: bytes) -> bytes:
    end = raw.find(b"\n")
    return (raw if end < 0 else raw[:end]).rstrip(b"\r")


def _csv_header(raw: bytes) -> tuple[str, ...]:
    text = _first_line(raw).removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    return tuple(c.strip() for c in next(csv.reader([text]), []))


def _fits(raw: bytes, layout: pd.DataFrame, spec: dict) -> bool:
    """Whether a text member is a fixed-width file of ``layout``: its first record reaches the end of
    the id, the weight and the last replicate weight (the fields always filled) and is no longer than
    the layout's record, and its id field is not blank."""
    line = _first_line(raw)
    pos = layout.set_index("name")
    key = [spec["id"], spec["weight"], *_replicate_names(list(layout["name"]), spec)[-1:]]
    need = max(int(pos.at[k, "end"]) for k in key if k in pos.index) if spec["id"] in pos.index else None
    if need is None or not need <= len(line) <= int(layout["end"].max()):
        return False
    return bool(line[pos.at[spec["id"], "start"] - 1:pos.at[spec["id"], "end"]].strip())


def _tables(members: dict[str, bytes], layouts: list[pd.DataFrame], spec: dict) -> list[_Table]:
    tables = []
    for name in sorted(members):
        low = name.lower()
        if low.endswith(".csv"):
            tables.append(_Table(name, _csv_header(members[name])))
        elif low.endswith((".txt", ".dat")):
            match = [lay for lay in layouts if _fits(members[name], lay, spec)]
            if match:
                tables.append(_Table(name, tuple(match[0]["name"]), match[0]))
    return tables


def _one(found: list[_Table], what: str, path: Path, expected: str) -> _Table | None:
    if len(found) > 1:
        names = ", ".join(t.name for t in found)
        raise PlaybookError(f"{len(found)} members look like the {what}: {names}", path=path, expected=expected)
    return found[0] if found else None


def _data_table(members: dict[str, bytes], layouts: list[pd.DataFrame], spec: dict, path: Path) -> _Table:
    tables = _tables(members, layouts, spec)
    data = [t for t in tables if t.role(spec) == "data"]
    expected = (f"one file with the record id {spec['id']}, the weight {spec['weight']} and the mapped variables "
                "(or give the data file itself, and its bootstrap file with bootstrap=)")
    chosen = _one([t for t in data if t.layout is None] or data, "data file", path, expected)
    if chosen is not None:
        return chosen
    others = [t for t in tables if t.role(spec) != "bootstrap"]
    if len(others) == 1:  # read it: the missing id, weight or variable is then named with its row and field
        return others[0]
    if not layouts and any(n.lower().endswith((".txt", ".dat")) for n in members) and not others:
        raise PlaybookError("a fixed-width data file needs its layout", path=path,
                            expected="an SPSS DATA LIST (*_i.sps) in the zip or as layout=")
    raise PlaybookError("no data file in the PUMF", path=path,
                        expected=f"a .csv, or a .txt/.dat with its SPSS layout, holding {spec['id']} and {spec['weight']}")


# --- reading ------------------------------------------------------------------------------------


def _read_csv(raw: bytes, table: _Table, wanted: list[str], where: str, id_column: str) -> pd.DataFrame:
    """The wanted columns as parsed by pandas (numbers as numbers; a column with any non-number stays
    text, so the checks below can name the cell)."""
    use = [c for c in dict.fromkeys(wanted) if c in table.columns]
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("latin-1")  # a byte-order mark is not part of a name
        return pd.read_csv(io.StringIO(text), usecols=use, dtype={id_column: str}, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise PlaybookError(f"cannot parse the data: {exc}", path=where, expected="a CSV with a header row") from None


def _fixed_numbers(region: np.ndarray, width: int, decimals: int, chunk: int = 4096) -> np.ndarray | None:
    """Numbers of ``k`` adjacent fixed-width fields of one ``width`` (``region``: records x k*width
    bytes), parsed by Arrow, ``chunk`` records at a time (to bound memory): blank -> NaN; with implied
    decimals, a cell without its own decimal point is divided by 10^decimals. Returns records x k, or
    ``None`` if any cell is not a number (the caller then keeps the text, to name the cell)."""
    n, k = region.shape[0], region.shape[1] // width
    out = np.empty((n, k))
    for start in range(0, n, chunk):
        part = np.ascontiguousarray(region[start:start + chunk])
        cells = pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), part.size // width, [None, pa.py_buffer(part)])
        try:
            text = pc.utf8_trim_whitespace(cells.cast(pa.binary()).cast(pa.string()))
            values = pc.cast(pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text), pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        if decimals:
            values = pc.if_else(pc.match_substring(text, "."), values, pc.divide(values, 10.0**decimals))
        out[start:start + chunk] = values.to_numpy(zero_copy_only=False).reshape(len(part), k)
    return out


def _runs(fields: pd.DataFrame) -> list[pd.DataFrame]:
    """Layout rows cut into runs of adjacent fields of one width and one number of decimals (the
    1,000 replicate weights of a cycle are one run)."""
    fields = fields.sort_values("start")
    width = fields["end"] - fields["start"]
    new = (fields["start"] != fields["end"].shift() + 1) | (width != width.shift()) | \
          (fields["decimals"] != fields["decimals"].shift())
    return [run for _, run in fields.groupby(new.cumsum(), sort=False)]


def _records(raw: bytes, width: int, where: str) -> np.ndarray:
    """The records of a fixed-width file as a records x ``width`` byte matrix (shorter records padded
    with blanks). Records of one length are viewed in place, without a copy."""
    first = raw.find(b"\n")
    if first > 0:
        stride, end = first + 1, 2 if raw[first - 1] == ord("\r") else 1
        body = raw if raw.endswith(b"\n") else raw + raw[first + 1 - end:first + 1]
        if len(body) % stride == 0 and stride - end <= width:
            grid = np.frombuffer(body, np.uint8).reshape(-1, stride)
            if (grid[:, -1] == ord("\n")).all() and (end == 1 or (grid[:, -2] == ord("\r")).all()):
                grid = grid[:, :stride - end]
                return grid if grid.shape[1] == width else np.pad(grid, ((0, 0), (0, width - grid.shape[1])),
                                                                   constant_values=ord(" "))
    lines = raw.replace(b"\r\n", b"\n").rstrip(b"\n").split(b"\n") if raw.strip() else []
    lengths = np.fromiter(map(len, lines), int, len(lines))
    if (lengths > width).any():
        i = int(np.argmax(lengths > width))
        raise PlaybookError(f"record of {lengths[i]} characters", path=where, row=i + 1,
                            expected=f"at most {width}, the record length of the DATA LIST")
    return np.frombuffer(b"".join(ln.ljust(width) for ln in lines), np.uint8).reshape(len(lines), width)


def _read_fixed(raw: bytes, layout: pd.DataFrame, wanted: list[str], where: str, numeric: set[str]) -> pd.DataFrame:
    """The wanted columns of a fixed-width file, sliced from one records x width byte matrix; the
    ``numeric`` ones (weights) and those declared with implied decimals read as numbers."""
    matrix = _records(raw, int(layout["end"].max()), where)
    fields = layout[layout["name"].isin(wanted)]
    numbers = fields["name"].isin(numeric) | (fields["decimals"] > 0)
    out: dict[str, np.ndarray] = {}
    for run in _runs(fields[numbers]):  # weights: one parse per run of adjacent fields
        width = int(run["end"].iloc[0] - run["start"].iloc[0] + 1)
        values = _fixed_numbers(matrix[:, run["start"].iloc[0] - 1:run["end"].iloc[-1]], width, int(run["decimals"].iloc[0]))
        if values is not None:
            out |= dict(zip(run["name"], values.T, strict=True))
    for row in fields[~fields["name"].isin(list(out))].itertuples(index=False):  # codes (and unreadable weights) as text
        text = np.ascontiguousarray(matrix[:, row.start - 1:row.end]).view(f"S{row.end - row.start + 1}").ravel()
        out[row.name] = np.char.strip(np.char.decode(text, "latin-1"))
    out = {name: out[name] for name in fields["name"]}
    frame = pd.DataFrame(out, index=pd.RangeIndex(len(matrix)))
    frame.attrs["header_rows"] = 0
    return frame


def _read(members: dict[str, bytes], table: _Table, wanted: list[str], where: str, spec: dict) -> pd.DataFrame:
    if table.layout is None:
        return _read_csv(members[table.name], table, wanted, where, spec["id"])
    weights = {spec["weight"], *_replicate_names(table.columns, spec)}
    return _read_fixed(members[table.name], table.layout, wanted, where, weights)


def _row(frame: pd.DataFrame, i: int) -> int:
    """The file line of the ``i``-th record (after the header row of a CSV; fixed-width files have none)."""
    return int(i) + 1 + frame.attrs.get("header_rows", 1)


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
        raise PlaybookError(f"'{frame[column].iloc[i]}' is not a code", path=where, row=_row(frame, i), field=column,
                            expected="an integer code")
    return values.astype("int64")


def _numbers(frame: pd.DataFrame, columns: list[str], where: str) -> np.ndarray:
    """Weight columns as a float matrix; a missing, non-numeric or negative weight is an error."""
    for column in columns:
        if column not in frame.columns:
            raise PlaybookError(f"weight column '{column}' is missing", path=where, row=1, field=column,
                                expected="the weight named in specs/cius.yml")
    part = frame[columns]
    if not all(pd.api.types.is_numeric_dtype(t) for t in part.dtypes):
        part = part.apply(lambda s: s if pd.api.types.is_numeric_dtype(s)
                          else pd.to_numeric(s.astype(str).str.strip(), errors="coerce"))
    values = part.to_numpy(float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise PlaybookError(f"'{frame[columns[j]].iloc[i]}' is not a weight", path=where, row=_row(frame, i),
                            field=columns[j], expected="a number >= 0")
    return values


def _check_codes(codes: pd.Series, allowed: set[int], where: str, column: str, what: str, frame: pd.DataFrame) -> None:
    bad = ~codes.isin(allowed)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        shown = sorted(allowed)
        raise PlaybookError(f"code {codes.iloc[i]} is not in the {what}", path=where, row=_row(frame, i), field=column,
                            expected=f"one of {shown[:12]}{' ...' if len(shown) > 12 else ''}")


def _replicate_names(columns, spec: dict) -> list[str]:
    """The replicate-weight columns among ``columns``, for the first of the cycle's prefixes found
    (unchecked; see :func:`_replicate_columns`)."""
    for prefix in replicate_prefixes(spec):
        found = [c for c in columns if re.fullmatch(re.escape(prefix) + r"\d+", c)]
        if found:
            return sorted(found, key=lambda c: int(c[len(prefix):]))
    return []


def _replicate_columns(columns, spec: dict, where: str) -> list[str]:
    found = _replicate_names(columns, spec)
    if not found:
        return []
    prefix = re.sub(r"\d+$", "", found[0])
    numbers = [int(c[len(prefix):]) for c in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise PlaybookError(f"replicate weights {prefix}* are not numbered 1..n without gaps", path=where, row=1,
                            field=prefix, expected=f"{prefix}1 (or {prefix}001) to {prefix}<n>")
    return found


def _where(path: Path, member: str) -> str:
    return f"{path}:{member}" if path.suffix.lower() == ".zip" else str(path)


def read_pumf(
    data: str | PathLike,
    *,
    cycle: str = "cius_2020_demo",
    spec: str | PathLike | dict | None = None,
    codebook: str | PathLike | None = None,
    layout: str | PathLike | None = None,
    bootstrap: str | PathLike | None = None,
) -> Survey:
    """Read a PUMF as published: a zip (data + SPSS syntax, maybe a bootstrap file), or a data file
    with its codebook.

    ``codebook``: SPSS value labels (found in the zip when omitted); every mapped variable's codes
    are checked against it. ``layout``: SPSS ``DATA LIST`` for a fixed-width data file (found in the
    zip when omitted). ``bootstrap``: a separate bootstrap-weights file (CSV, or a zip holding one),
    joined on the record id; without it the replicate weights come from the data file or from a
    bootstrap file in the same zip (see the module doc).
    """
    path = Path(data)
    spec = spec if isinstance(spec, dict) else load_spec(cycle, spec)
    members = _members(path)
    extra = {} if codebook is None else _members(Path(codebook))
    labels_name = _pick(members | extra, ("_vale.sps", "vale.sps", "_values.sps"))
    value_labels = parse_spss_labels((members | extra)[labels_name].decode("latin-1"))[1] if labels_name else {}
    layouts = _layouts(_members(Path(layout)), every=Path(layout).suffix.lower() != ".zip") if layout else _layouts(members)
    table = _data_table(members, layouts, spec, path)
    where = _where(path, table.name)
    reps_inside = _replicate_columns(table.columns, spec, where)
    frame = _read(members, table, [spec["id"], spec["weight"], *_sources(spec), *reps_inside], where, spec)
    if frame.empty:
        raise PlaybookError("the data file has no respondents", path=where, row=_row(frame, 0),
                            expected="one row per respondent")
    if spec["id"] not in frame.columns:
        raise PlaybookError(f"column '{spec['id']}' is missing", path=where, row=1, field=spec["id"],
                            expected="the record id named in specs/cius.yml")
    out = pd.DataFrame({"id": frame[spec["id"]].astype(str).str.strip()})
    for concept, entry in spec["variables"].items():
        if entry == "unavailable":
            out[concept] = pd.Series(pd.NA, index=frame.index, dtype="string")
            continue
        codes = _integers(frame, entry["source"], where)
        mapping = {int(k): str(v) for k, v in entry["values"].items()}
        if entry["source"] in value_labels:
            _check_codes(codes, set(value_labels[entry["source"]]), where, entry["source"], "codebook", frame)
        out[concept] = codes.map(mapping).astype("string")
    for concept, entry in spec["outcomes"].items():
        out[concept] = _outcome(frame, entry, value_labels, where)

    weight = _numbers(frame, [spec["weight"]], where)[:, 0]
    files = {"data": where, "replicates": where if reps_inside else None}
    replicates = _numbers(frame, reps_inside, where) if reps_inside else None
    if bootstrap is not None:
        boot_path = Path(bootstrap)
        boot_members = _members(boot_path)
        replicates, files["replicates"] = _read_bootstrap(boot_path, boot_members, layouts + _layouts(boot_members),
                                                          spec, out["id"])
    else:
        in_zip = _one([t for t in _tables(members, layouts, spec) if t.role(spec) == "bootstrap"], "bootstrap file",
                      path, "one file of replicate weights (or give the one to use with bootstrap=)")
        if in_zip is not None and reps_inside:
            raise PlaybookError(f"replicate weights both in {table.name} and in {in_zip.name}", path=path,
                                expected="one set of bootstrap weights (give the file to use with bootstrap=)")
        if in_zip is not None:
            replicates, files["replicates"] = _read_bootstrap(path, members, layouts, spec, out["id"])
    return Survey(out, weight, replicates, spec, cycle, value_labels, files)


def _outcome(frame: pd.DataFrame, entry: dict, value_labels: dict, where: str) -> pd.Series:
    """1 / 0 / NaN for one outcome declared in the mapping."""
    if "count_of" in entry:
        hits = np.zeros(len(frame))
        for column in entry["count_of"]:
            codes = _integers(frame, column, where)
            if column in value_labels:
                _check_codes(codes, set(value_labels[column]), where, column, "codebook", frame)
            hits += (codes == int(entry["value"])).to_numpy()
        return pd.Series((hits <= int(entry["at_most"])).astype(float), index=frame.index)
    codes = _integers(frame, entry["source"], where)
    if entry["source"] in value_labels:
        _check_codes(codes, set(value_labels[entry["source"]]), where, entry["source"], "codebook", frame)
    positive, negative = set(entry["positive"]), set(entry["negative"])
    return pd.Series(np.where(codes.isin(positive), 1.0, np.where(codes.isin(negative), 0.0, np.nan)),
                     index=frame.index)


def _read_bootstrap(path: Path, members: dict[str, bytes], layouts: list[pd.DataFrame], spec: dict,
                    ids: pd.Series) -> tuple[np.ndarray, str]:
    """The replicate weights of the bootstrap member of ``members``, in the order of ``ids``."""
    tables = [t for t in _tables(members, layouts, spec) if t.role(spec) == "bootstrap"]
    prefixes = "/".join(replicate_prefixes(spec)) or "?"
    table = _one(tables, "bootstrap file", path, "one file of replicate weights")
    if table is None:
        raise PlaybookError(f"no replicate weights {prefixes}1.. beside the record id {spec['id']} in the bootstrap file",
                            path=path, expected=f"a CSV (or fixed-width file with its layout) with {spec['id']} and "
                                                f"{prefixes}1..{prefixes}<n>")
    where = _where(path, table.name)
    cols = _replicate_columns(table.columns, spec, where)
    frame = _read(members, table, [spec["id"], *cols], where, spec)
    index = _join_key(frame[spec["id"]])
    if index.duplicated().any():
        raise PlaybookError(f"respondent '{index[index.duplicated()].iloc[0]}' appears twice", path=where,
                            field=spec["id"], expected="one row per respondent")
    weights = pd.DataFrame(_numbers(frame, cols, where), index=index)
    keys = _join_key(ids)
    missing = ~keys.isin(weights.index)
    if missing.any():
        raise PlaybookError(f"respondent '{ids[missing].iloc[0]}' has no bootstrap weights", path=where,
                            field=spec["id"], expected="one row per respondent of the data file")
    return weights.loc[keys.to_numpy()].to_numpy(), where


def _join_key(ids: pd.Series) -> pd.Series:
    """Record ids as join keys: trimmed, and numeric ids without leading zeros (``000017`` in a
    fixed-width file is ``17`` in a CSV)."""
    text = ids.astype(str).str.strip()
    digits = text.str.fullmatch(r"\d+")
    return text.where(~digits, text.str.lstrip("0").replace("", "0"))
