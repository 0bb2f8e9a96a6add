"""A corpus of bad inputs, tried as a careful new user would, against every command (issue 20).

Each case runs one command in-process (``playbook.cli.main``) on files made in ``tmp_path``: damaged
CSV files (quotes left open, extra or missing fields, empty, header only), other encodings (UTF-16,
NUL bytes, a BOM alone), damaged zips, wrong headers, YAML specs and rules with misspelt keys or
wrong types, and bad options. Every case must end the same way:

* exit status 2;
* one line on stderr that names the file or the field (argparse's own usage errors print the usage
  first: their last line names the option);
* no traceback;
* nothing written: the output folder stays empty, every input keeps its bytes.

``GOOD`` cases check the other side: inputs that used to be read wrongly in silence (a UTF-8 file
without a byte-order mark read as Windows-1252) now give the right result.

A case that shows a fault in a module this corpus does not own is marked ``xfail(strict=True)`` with
the reason, so that it turns into a failure (to un-mark) the day the fault is fixed.
"""

from __future__ import annotations

import codecs
import functools
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml

from playbook import cli
from playbook.sources import census
from tests.geo.test_attributes import write_gaf
from tests.index.conftest import tiny_data, tiny_spec
from tests.sources.census.helpers import rows_2021, write_2016, write_2021, zip_of

MEMBER = "98-401-X2021001_English_CSV_data.csv"
RULES = "threshold: 10\nmin_respondents: 30\nrounding_base: 5\nseed: 2021\n"


@functools.cache
def _good(kind: str) -> bytes:
    """The bytes of a good input, made once per session (the corpus writes them where a case needs them)."""
    folder = Path(tempfile.mkdtemp(prefix="bad-inputs-"))
    made = {"census": lambda p: write_2021(p), "gaf": lambda p: write_gaf(p),
            "data": lambda p: tiny_data().to_csv(p, index=False)}
    path = folder / kind
    made[kind](path)
    data = path.read_bytes()
    shutil.rmtree(folder)
    return data


class Inputs:
    """The good inputs of every command, in ``tmp/in`` (each written when a case first asks for it);
    outputs go to ``tmp/out``, which must stay empty."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / "in"
        self.out_dir = root / "out"
        self.dir.mkdir()
        self.out_dir.mkdir()

    @functools.cached_property
    def census(self) -> Path:
        return self.write("profile.csv", _good("census"))

    @functools.cached_property
    def gaf(self) -> Path:
        return self.write("2021_92-151_X.csv", _good("gaf"))

    @functools.cached_property
    def data(self) -> Path:
        return self.write("data.csv", _good("data"))

    @functools.cached_property
    def spec(self) -> Path:
        return self.write("spec.yml", yaml.safe_dump(tiny_spec()))

    @functools.cached_property
    def areas(self) -> Path:
        return self.write("areas.csv", "id,lat,lon,population,score\nA1,45.5,-73.6,1000,10\nA2,46.8,-71.2,500,20\n")

    @functools.cached_property
    def points(self) -> Path:
        return self.write("points.csv", "id,lat,lon\nP1,45.5,-73.5\nP2,46.8,-71.3\n")

    @functools.cached_property
    def comments(self) -> Path:
        return self.write("comments.csv", "id,text,label\n1,The form was easy,praise\n2,Call me at 613-555-0199,"
                          "complaint\n")

    @functools.cached_property
    def rules(self) -> Path:
        return self.write("rules.yml", RULES)

    def out(self, name: str = "out.csv") -> str:
        return str(self.out_dir / name)

    def write(self, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = self.dir / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    def lines(self, path: Path) -> list[bytes]:
        return path.read_bytes().split(b"\r\n" if b"\r\n" in path.read_bytes() else b"\n")

    def edit(self, path: Path, name: str, index: int, change: Callable[[bytes], bytes]) -> Path:
        """A copy of ``path`` with line ``index`` (0 = header) changed."""
        sep = b"\r\n" if b"\r\n" in path.read_bytes() else b"\n"
        lines = path.read_bytes().split(sep)
        lines[index] = change(lines[index])
        return self.write(name, sep.join(lines))

    def spec_with(self, name: str, change: Callable[[dict], None]) -> Path:
        spec = tiny_spec()
        change(spec)
        return self.write(name, yaml.safe_dump(spec))

    def zipped(self, path: Path, name: str = "profile.zip", member: str = MEMBER) -> Path:
        return zip_of(path, member, self.dir / name)


@dataclass(frozen=True)
class Case:
    """One bad input: the command line, and the texts of which one must appear in the message."""

    argv: Callable[[Inputs], list[str]]
    names: Callable[[Inputs], list[str]]
    usage: bool = False  # an argparse error: the usage, then the message
    stdout: bool = False  # a checker that lists the problems it found on stdout (jurisdiction check)


def case(id_: str, argv, names, *, usage=False, stdout=False, xfail: str | None = None, slow=False):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    marks += [pytest.mark.slow] if slow else []
    found = names if callable(names) else (lambda i, n=names: n)
    return pytest.param(Case(argv, found, usage, stdout), id=id_, marks=marks)


def _file(attr: str):
    return lambda i: [getattr(i, attr).name]


# --- census extract ---------------------------------------------------------------------------------

def extract(path_fn, *extra: str, ids: str = "1,6,345"):
    return lambda i: ["census", "extract", *map(str, _as_list(path_fn(i))), "--ids", ids, "--out", i.out(), "--quiet",
                      *extra]


def _as_list(x):
    return x if isinstance(x, list) else [x]


def _damaged(name: str, index: int, change):
    return lambda i: i.edit(i.census, name, index, change)


def _bytes(name: str, content: Callable[[Inputs], bytes]):
    return lambda i: i.write(name, content(i))


def _names(name: str):
    return lambda i: [name]


def _census_utf16(i):
    return i.census.read_bytes().decode("latin-1").encode("utf-16")


CENSUS = [
    case("census-quote-left-open", extract(_damaged("q.csv", 3, lambda b: b.replace(b'"Country"', b'"Country', 1))),
         _names("q.csv")),
    case("census-extra-field", extract(_damaged("x.csv", 3, lambda b: b + b',"extra"')), _names("x.csv")),
    case("census-two-extra-fields", extract(_damaged("x2.csv", 11, lambda b: b + b",,")), _names("x2.csv")),
    case("census-short-row", extract(_damaged("s.csv", 5, lambda b: b[:40])), _names("s.csv")),
    case("census-truncated-last-row", extract(_bytes("t.csv", lambda i: i.census.read_bytes()[:-60])), _names("t.csv")),
    case("census-header-only", extract(_bytes("h.csv", lambda i: i.lines(i.census)[0] + b"\r\n")), _names("h.csv")),
    case("census-header-no-newline", extract(_bytes("h2.csv", lambda i: i.lines(i.census)[0])), _names("h2.csv")),
    case("census-header-then-blank", extract(_bytes("h3.csv", lambda i: i.lines(i.census)[0] + b"\r\n\r\n")),
         _names("h3.csv")),
    case("census-empty", extract(_bytes("e.csv", lambda i: b"")), _names("e.csv")),
    case("census-blank-lines", extract(_bytes("b.csv", lambda i: b"\r\n\r\n")), _names("b.csv")),
    case("census-bom-only", extract(_bytes("bom.csv", lambda i: codecs.BOM_UTF8)), _names("bom.csv")),
    case("census-utf16-bom", extract(_bytes("u16.csv", _census_utf16)), _names("u16.csv")),
    case("census-utf16le-no-bom", extract(_bytes("u16le.csv", lambda i: _census_utf16(i)[2:])), _names("u16le.csv")),
    case("census-utf32", extract(_bytes("u32.csv", lambda i: i.census.read_bytes().decode("latin-1").encode("utf-32"))),
         _names("u32.csv")),
    case("census-nul-bytes", extract(_bytes("nul.csv", lambda i: i.lines(i.census)[0] + b"\r\n" + b"\0" * 64)),
         _names("nul.csv")),
    case("census-non-numeric", extract(_bytes("n.csv", lambda i: i.census.read_bytes().replace(b",3345,", b",12a,"))),
         ["n.csv", "C1_COUNT_TOTAL"]),
    case("census-inf", extract(_bytes("inf.csv", lambda i: i.census.read_bytes().replace(b",3345,", b",inf,"))),
         _names("inf.csv")),
    case("census-1e999", extract(_bytes("big.csv", lambda i: i.census.read_bytes().replace(b",3345,", b",1e999,"))),
         _names("big.csv")),
    case("census-unknown-symbol", extract(lambda i: write_2021(i.dir / "sym.csv", rows_2021(symbols={(1, 6): "zz"}))),
         ["sym.csv", "SYMBOL"]),
    case("census-renamed-column",
         extract(_bytes("r.csv", lambda i: i.census.read_bytes().replace(b"C1_COUNT_TOTAL", b"C1_COUNT", 1))),
         ["C1_COUNT_TOTAL"]),
    case("census-missing-symbol",
         extract(_bytes("ms.csv", lambda i: i.census.read_bytes().replace(b"C10_RATE_TOTAL,SYMBOL", b"C10_RATE_TOTAL,F", 1))),
         ["SYMBOL"]),
    case("census-not-a-profile", extract(lambda i: i.write("other.csv", "a,b,c\r\n1,2,3\r\n")), _names("other.csv")),
    case("census-name-mismatch",
         extract(lambda i: write_2021(i.dir / "nm.csv", rows_2021(names={345: "Prevalence of low income (LICO-AT) (%)"}))),
         ["CHARACTERISTIC_NAME"]),
    case("census-id-absent", extract(lambda i: i.census, ids="1,9999"), ["CHARACTERISTIC_ID"]),
    case("census-id-zero", extract(lambda i: i.census, ids="0"), ["CHARACTERISTIC_ID"]),
    case("census-ids-not-numbers", extract(lambda i: i.census, ids="1,x"), ["ids"]),
    case("census-ids-empty", extract(lambda i: i.census, ids=""), ["ids"]),
    case("census-ids-semicolons", extract(lambda i: i.census, ids="1;6"), ["ids"]),
    case("census-level-absent", extract(lambda i: i.census, "--level", "Census tract"), ["GEO_LEVEL"]),
    case("census-bad-member", extract(lambda i: i.census, "--member", "Sex"), ["--member"]),
    case("census-missing-file", extract(lambda i: i.dir / "nope.csv"), _names("nope.csv")),
    case("census-a-folder", extract(lambda i: _folder(i, "sub")), ["sub"]),
    case("census-zip-truncated",
         extract(lambda i: i.write("tr.zip", i.zipped(i.census, "full.zip").read_bytes()[:300])), _names("tr.zip")),
    case("census-zip-garbage", extract(lambda i: i.write("g.zip", b"PK\x03\x04" + b"\0" * 100)), _names("g.zip")),
    case("census-zip-not-a-zip", extract(lambda i: i.write("n.zip", b"not a zip at all")), _names("n.zip")),
    case("census-zip-no-data-member", extract(lambda i: _zip_with(i, "nd.zip", {"README_meta.txt": b"readme"})),
         _names("nd.zip")),
    case("census-zip-corrupt-member", extract(lambda i: _corrupt_zip(i, i.census, "c.zip")), _names("c.zip")),
    case("census-zip-of-utf16", extract(lambda i: _zip_with(i, "z16.zip", {MEMBER: _census_utf16(i)})), _names("z16.zip")),
    case("census-zip-of-header-only",
         extract(lambda i: _zip_with(i, "zh.zip", {MEMBER: i.lines(i.census)[0] + b"\r\n"})), _names("zh.zip")),
    case("census-two-years", extract(lambda i: [i.census, write_2016(i.dir / "p2016.csv")], ids="1"), ["paths"]),
    case("census-conflicting-files",
         extract(lambda i: [i.census, write_2021(i.dir / "other.csv", rows_2021().assign(
             C1_COUNT_TOTAL=rows_2021()["C1_COUNT_TOTAL"] + 1))], ids="1"), _names("other.csv")),
    case("census-out-is-input", lambda i: ["census", "extract", str(i.census), "--ids", "1", "--out", str(i.census)],
         ["--out"]),
    case("census-out-is-a-folder", lambda i: ["census", "extract", str(i.census), "--ids", "1", "--out", str(i.out_dir)],
         lambda i: [str(i.out_dir), "--out"]),
    case("census-no-ids-option", lambda i: ["census", "extract", str(i.census), "--out", i.out()], ["--ids"], usage=True),
]


def _folder(i: Inputs, name: str) -> Path:
    (i.dir / name).mkdir()
    return i.dir / name


def _zip_with(i: Inputs, name: str, members: dict[str, bytes]) -> Path:
    path = i.dir / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return path


def _corrupt_zip(i: Inputs, source: Path, name: str, member: str = MEMBER) -> Path:
    """A stored zip whose member's bytes no longer match its CRC-32."""
    path = i.dir / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.write(source, member)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    return path


# --- index build / audit / uncertainty ----------------------------------------------------------------

def index(command: str, spec_fn=lambda i: i.spec, data_fn=lambda i: i.data, *extra: str):
    def argv(i):
        out = [] if command == "audit" else ["--out", i.out()]
        return ["index", command, "--spec", str(spec_fn(i)), "--data", str(data_fn(i)), *out, *extra]
    return argv


def _spec(name: str, change):
    return lambda i: i.spec_with(name, change)


def _ind(k: int = 0, d: int = 0):
    return lambda s: s["dimensions"][d]["indicators"][k]


SPEC_FAULTS = [  # (id, change, the field the message names)
    ("misspelt-normalise", lambda s: s.update(normalize={"method": "zscore"}), "normalize"),
    ("misspelt-aggregate", lambda s: s.update(agregate="geometric"), "agregate"),
    ("misspelt-weights", lambda s: s.update(weight={"method": "equal"}), "weight"),
    ("misspelt-min-coverage", lambda s: s.update(min_coverge=0.9), "min_coverge"),
    ("misspelt-dimension-weight", lambda s: s["dimensions"][0].update(wieght=3), "dimensions[access].wieght"),
    ("misspelt-indicators", lambda s: s["dimensions"][1].update(indicator=[]), "dimensions[skills].indicator"),
    ("misspelt-indicator-weight", lambda s: _ind()(s).update(wieght=2), "dimensions[access].indicators[0].wieght"),
    ("misspelt-direction", lambda s: _ind(1)(s).update(directon=1), "dimensions[access].indicators[1].directon"),
    ("misspelt-column", lambda s: _ind(0, 1)(s).update(colum="z"), "dimensions[skills].indicators[0].colum"),
    ("misspelt-range", lambda s: s.update(normalise={"method": "minmax", "rnage": [1, 100]}), "normalise.rnage"),
    ("misspelt-winmax", lambda s: s.update(treat={"method": "winsorise", "winmx": 2}), "treat.winmx"),
    ("misspelt-screen-key", lambda s: s.update(screen={"min_availabilty": 0.5}), "screen.min_availabilty"),
    ("misspelt-uncertainty-key", lambda s: s.update(uncertainty={"normalize": ["rank"]}), "uncertainty.normalize"),
    ("misspelt-in-nested-dimension", lambda s: s.update(dimensions=[
        {"id": "top", "dimensions": [{"id": "access", "wieght": 1, "indicators": [{"id": "x"}]}]},
        {"id": "other", "dimensions": [{"id": "skills", "indicators": [{"id": "z"}]}]}]),
     "dimensions[top].dimensions[access].wieght"),
    ("dimensions-a-string", lambda s: s.update(dimensions="access"), "dimensions"),
    ("dimensions-a-mapping", lambda s: s.update(dimensions={"access": {}}), "dimensions"),
    ("indicators-a-mapping", lambda s: s["dimensions"][0].update(indicators={"id": "x"}), "dimensions[access].indicators"),
    ("indicator-a-string", lambda s: s["dimensions"][0].update(indicators=["x"]), "dimensions[access].indicators[0]"),
    ("rescale-a-string", lambda s: s.update(rescale="no"), "rescale"),
    ("weight-a-string", lambda s: _ind()(s).update(weight="heavy"), "dimensions[access].indicators[0].weight"),
    ("weight-negative", lambda s: _ind()(s).update(weight=-1), "dimensions[access].indicators[0].weight"),
    ("weight-a-boolean", lambda s: _ind()(s).update(weight=True), "dimensions[access].indicators[0].weight"),
    ("direction-two", lambda s: _ind()(s).update(direction=2), "dimensions[access].indicators[0].direction"),
    ("range-of-text", lambda s: s.update(normalise={"method": "minmax", "range": ["a", "b"]}), "normalise.range"),
    ("range-reversed", lambda s: s.update(normalise={"method": "minmax", "range": [100, 0]}), "normalise.range"),
    ("winmax-text", lambda s: s.update(treat={"method": "winsorise", "winmax": "five"}), "treat.winmax"),
    ("p-text", lambda s: s.update(aggregate={"method": "generalised", "p": "half"}), "aggregate.p"),
    ("unknown-method", lambda s: s.update(normalise={"method": "magic"}), "normalise.method"),
    ("min-coverage-two", lambda s: s.update(min_coverage=2), "min_coverage"),
    ("unsafe-indicator-id", lambda s: _ind()(s).update(id='x"; DROP TABLE t; --'), "dimensions[access].indicators[0].id"),
    ("duplicate-ids", lambda s: _ind(1)(s).update(id="x"), "dimensions[access]"),
    ("unit-id-a-list", lambda s: s.update(unit_id=["id"]), "unit_id"),
    ("no-unit-id", lambda s: s.pop("unit_id"), "unit_id"),
    ("uncertainty-weights-text", lambda s: s.update(uncertainty={"weights": "abc"}), "uncertainty.weights"),
    ("uncertainty-not-a-mapping", lambda s: s.update(uncertainty=["rank"]), "uncertainty"),
]

INDEX_SPECS = [case(f"index-build-spec-{name}", index("build", _spec(f"{name}.yml", change)), [field])
               for name, change, field in SPEC_FAULTS]


def _data(name: str, text: Callable[[Inputs], str | bytes]):
    return lambda i: i.write(name, text(i))


def _data_lines(i: Inputs) -> list[str]:
    return i.data.read_text().splitlines()


def _data_with(index_: int, change):
    def text(i):
        lines = _data_lines(i)
        lines[index_] = change(lines[index_])
        return "\n".join(lines) + "\n"
    return text


DATA_FAULTS = [
    ("extra-field", _data_with(2, lambda s: s + ",9")),
    ("short-row", _data_with(2, lambda s: s.rsplit(",", 1)[0])),
    ("quote-left-open", _data_with(2, lambda s: '"' + s)),
    ("quote-swallowing-a-row", lambda i: "\n".join(_data_lines(i)[:2] + ['"' + _data_lines(i)[2], _data_lines(i)[3] + '"']
                                                   + _data_lines(i)[4:]) + "\n"),
    ("empty", lambda i: ""),
    ("blank-lines", lambda i: "\n\n\n"),
    ("header-only", lambda i: _data_lines(i)[0] + "\n"),
    ("utf16", lambda i: i.data.read_text().encode("utf-16")),
    ("utf16-no-bom", lambda i: i.data.read_text().encode("utf-16-le")),
    ("missing-column", lambda i: tiny_data().drop(columns="y").to_csv(index=False)),
    ("non-numeric", lambda i: tiny_data().astype({"z": object}).assign(z=[1.0, "ten", 3.0, 4.0]).to_csv(index=False)),
    ("duplicate-unit", lambda i: tiny_data().assign(id=["u1", "u2", "u1", "u4"]).to_csv(index=False)),
    ("infinite-value", lambda i: tiny_data().assign(z=[1.0, float("inf"), 3.0, 4.0]).to_csv(index=False)),
    ("huge-value", lambda i: tiny_data().to_csv(index=False).replace("4.0,400.0", "1e999,400.0")),
    ("negative-population", lambda i: tiny_data().assign(pop=[100.0, -300.0, 200.0, 400.0]).to_csv(index=False)),
]

INDEX_DATA = [case(f"index-build-data-{name}", index("build", data_fn=_data(f"{name}.csv", text)), [f"{name}.csv"])
              for name, text in DATA_FAULTS]

INDEX_OTHER = [
    case("index-build-spec-missing", index("build", lambda i: i.dir / "nope.yml"), ["nope.yml"]),
    case("index-build-spec-folder", index("build", lambda i: i.out_dir), lambda i: [str(i.out_dir)]),
    case("index-build-spec-invalid-yaml", index("build", lambda i: i.write("bad.yml", "id: [\n")), ["bad.yml"]),
    case("index-build-spec-not-utf8", index("build", lambda i: i.write("cp.yml", "id: évi\n", "cp1252")), ["cp.yml"]),
    case("index-build-spec-a-list", index("build", lambda i: i.write("list.yml", "- id: evi\n")), ["list.yml"]),
    case("index-build-spec-empty", index("build", lambda i: i.write("empty.yml", "")), ["empty.yml"]),
    case("index-build-spec-utf16", index("build", lambda i: i.write("u16.yml", "id: evi\n", "utf-16")), ["u16.yml"]),
    case("index-build-data-missing", index("build", data_fn=lambda i: i.dir / "nope.csv"), ["nope.csv"]),
    case("index-build-out-is-data", lambda i: ["index", "build", "--spec", str(i.spec), "--data", str(i.data), "--out",
                                               str(i.data)], ["--out"]),
    case("index-build-out-is-spec", lambda i: ["index", "build", "--spec", str(i.spec), "--data", str(i.data), "--out",
                                               str(i.spec)], ["--out"]),
    case("index-audit-spec-misspelt", index("audit", _spec("a.yml", lambda s: s.update(normalize="rank"))), ["normalize"]),
    case("index-audit-data-extra-field", index("audit", data_fn=_data("ax.csv", _data_with(2, lambda s: s + ",1"))),
         ["ax.csv"]),
    case("index-audit-data-utf16", index("audit", data_fn=_data("a16.csv", lambda i: i.data.read_text().encode("utf-16"))),
         ["a16.csv"]),
    case("index-audit-bad-cronbach", index("audit", lambda i: i.spec, lambda i: i.data, "--cronbach", "some"),
         ["--cronbach"], usage=True),
    case("index-uncertainty-misspelt-block", index("uncertainty", _spec(
        "u.yml", lambda s: s.update(uncertainty={"aggregates": ["geometric"]})), lambda i: i.data, "--draws", "8"),
         ["uncertainty.aggregates"]),
    case("index-uncertainty-bad-parameter", index("uncertainty", _spec(
        "up.yml", lambda s: s.update(uncertainty={"parameters": {"weights.nope": [1, 2]}})), lambda i: i.data,
        "--draws", "8"), ["uncertainty.parameters.weights.nope"]),
    case("index-uncertainty-data-header-only", index("uncertainty", data_fn=_data("uh.csv", lambda i: _data_lines(i)[0])),
         ["uh.csv"]),
    case("index-uncertainty-draws-zero", index("uncertainty", lambda i: i.spec, lambda i: i.data, "--draws", "0"),
         ["--draws"], usage=True),
    case("index-uncertainty-draws-text", index("uncertainty", lambda i: i.spec, lambda i: i.data, "--draws", "many"),
         ["--draws"], usage=True),
    case("index-uncertainty-seed-negative", index("uncertainty", lambda i: i.spec, lambda i: i.data, "--seed", "-1"),
         ["--seed"], usage=True),
    case("index-uncertainty-seed-too-big", index("uncertainty", lambda i: i.spec, lambda i: i.data, "--seed", "2**40"),
         ["--seed"], usage=True),
    case("index-uncertainty-out-is-data", lambda i: ["index", "uncertainty", "--spec", str(i.spec), "--data", str(i.data),
                                                     "--out", str(i.data)], ["--out"]),
]


# --- hierarchy (the geographic attribute file) ----------------------------------------------------------

def hierarchy(path_fn, *extra: str):
    return lambda i: ["hierarchy", str(path_fn(i)), "--out", i.out(), *extra]


def _gaf(name: str, index_: int, change):
    return lambda i: i.edit(i.gaf, name, index_, change)


HIERARCHY = [
    case("hierarchy-quote-left-open", hierarchy(_gaf("q.csv", 2, lambda b: b'"' + b)), ["q.csv"]),
    case("hierarchy-extra-field", hierarchy(_gaf("x.csv", 2, lambda b: b + b",extra")), ["x.csv"]),
    case("hierarchy-short-row", hierarchy(_gaf("s.csv", 4, lambda b: b[:30])), ["s.csv"]),
    case("hierarchy-header-only", hierarchy(lambda i: i.write("h.csv", i.lines(i.gaf)[0] + b"\r\n")), ["h.csv"]),
    case("hierarchy-empty", hierarchy(lambda i: i.write("e.csv", b"")), ["e.csv"]),
    case("hierarchy-bom-only", hierarchy(lambda i: i.write("bom.csv", codecs.BOM_UTF8 + b"\r\n")), ["bom.csv"]),
    case("hierarchy-utf16", hierarchy(lambda i: write_gaf(i.dir / "u16.csv", encoding="utf-16")), ["u16.csv"]),
    case("hierarchy-utf16-no-bom", hierarchy(lambda i: write_gaf(i.dir / "u16le.csv", encoding="utf-16-le")),
         ["u16le.csv"]),
    case("hierarchy-missing-column", hierarchy(lambda i: i.write("mc.csv", "PRUID_PRIDU,CDUID_DRIDU\r\n10,1001\r\n")),
         ["CSDUID_SDRIDU"]),
    case("hierarchy-bad-code", hierarchy(_gaf("bc.csv", 3, lambda b: b.replace(b"1102075", b"110207", 1))),
         ["CSDUID_SDRIDU"]),
    case("hierarchy-bad-population", hierarchy(_gaf("bp.csv", 1, lambda b: b.replace(b",100,", b",1e2x,", 1))),
         ["bp.csv"]),
    case("hierarchy-zip-corrupt", hierarchy(lambda i: _corrupt_zip(i, i.gaf, "c.zip", "2021_92-151_X.csv")), ["c.zip"]),
    case("hierarchy-zip-two-csv", hierarchy(lambda i: _zip_with(i, "two.zip", {"a.csv": b"x", "b.csv": b"y"})),
         ["two.zip"]),
    case("hierarchy-zip-garbage", hierarchy(lambda i: i.write("g.zip", b"not a zip")), ["g.zip"]),
    case("hierarchy-missing-file", hierarchy(lambda i: i.dir / "nope.csv"), ["nope.csv"]),
    case("hierarchy-unknown-level", hierarchy(lambda i: i.gaf, "--level", "Census subdivisoin"), ["--level"]),
    case("hierarchy-out-is-input", lambda i: ["hierarchy", str(i.gaf), "--out", str(i.gaf)], ["--out"]),
    case("hierarchy-bad-lang", hierarchy(lambda i: i.gaf, "--lang", "de"), ["--lang"], usage=True),
]


# --- catchments ------------------------------------------------------------------------------------------

def catchments(areas_fn=lambda i: i.areas, points_fn=lambda i: i.points, *extra: str):
    return lambda i: ["catchments", "--areas", str(areas_fn(i)), "--points", str(points_fn(i)), "--out", i.out(),
                      *extra]


CATCHMENTS = [
    case("catchments-areas-missing-column", catchments(lambda i: i.write("a1.csv", "id,lat,lon\nA1,45,-73\n")),
         ["a1.csv"]),
    case("catchments-areas-bad-latitude", catchments(lambda i: i.write("a2.csv", "id,lat,lon,population\nA1,145,-73,1\n")),
         ["a2.csv"]),
    case("catchments-areas-negative-population",
         catchments(lambda i: i.write("a3.csv", "id,lat,lon,population\nA1,45,-73,-5\n")), ["a3.csv"]),
    case("catchments-areas-text-population",
         catchments(lambda i: i.write("a4.csv", "id,lat,lon,population\nA1,45,-73,many\n")), ["a4.csv"]),
    case("catchments-areas-empty", catchments(lambda i: i.write("a5.csv", "")), ["a5.csv"]),
    case("catchments-areas-header-only", catchments(lambda i: i.write("a6.csv", "id,lat,lon,population\n")), ["a6.csv"]),
    case("catchments-areas-extra-field", catchments(lambda i: i.write("a7.csv", "id,lat,lon,population\nA1,45,-73,1,9\n")),
         ["a7.csv"]),
    case("catchments-areas-utf16", catchments(lambda i: i.write("a8.csv", i.areas.read_text(), "utf-16")), ["a8.csv"]),
    case("catchments-areas-duplicate-id",
         catchments(lambda i: i.write("a9.csv", "id,lat,lon,population\nA1,45,-73,1\nA1,46,-72,1\n")), ["a9.csv"]),
    case("catchments-points-missing-file", catchments(points_fn=lambda i: i.dir / "nope.csv"), ["nope.csv"]),
    case("catchments-points-bad-longitude", catchments(points_fn=lambda i: i.write("p1.csv", "id,lat,lon\nP1,45,73\n")),
         ["p1.csv"]),
    case("catchments-points-none", catchments(points_fn=lambda i: i.write("p2.csv", "id,lat,lon\n")), ["p2.csv"]),
    case("catchments-radius-negative", catchments(lambda i: i.areas, lambda i: i.points, "--radius-km", "-1"),
         ["--radius-km"], usage=True),
    case("catchments-radius-zero", catchments(lambda i: i.areas, lambda i: i.points, "--radius-km", "0"),
         ["--radius-km"], usage=True),
    case("catchments-radius-text", catchments(lambda i: i.areas, lambda i: i.points, "--radius-km", "far"),
         ["--radius-km"], usage=True),
    case("catchments-radius-inf", catchments(lambda i: i.areas, lambda i: i.points, "--radius-km", "inf"),
         ["--radius-km"], usage=True),
    case("catchments-detour-zero", catchments(lambda i: i.areas, lambda i: i.points, "--detour", "0"),
         ["--detour"], usage=True),
    case("catchments-out-is-areas", lambda i: ["catchments", "--areas", str(i.areas), "--points", str(i.points),
                                               "--out", str(i.areas)], ["--out"]),
    case("catchments-points-out-is-out", lambda i: ["catchments", "--areas", str(i.areas), "--points", str(i.points),
                                                    "--out", i.out(), "--points-out", i.out()], ["--points-out"]),
]


# --- feedback ---------------------------------------------------------------------------------------------

def feedback(command: str, input_fn=lambda i: i.comments, *extra: str):
    def argv(i):
        more = {"classify": ["--model", str(i.dir / "model.pkl")], "train": ["--label-column", "label"]}.get(command, [])
        return ["feedback", command, str(input_fn(i)), "--text-column", "text", "--out", i.out(), *more, *extra]
    return argv


FEEDBACK = [
    case("feedback-redact-no-text-column", lambda i: ["feedback", "redact", str(i.comments), "--text-column", "body",
                                                      "--out", i.out()], ["body"]),
    case("feedback-redact-not-utf8", feedback("redact", lambda i: i.write("cp.csv", "id,text\n1,Très bien\n", "cp1252")),
         ["cp.csv"]),
    # UTF-16 with its byte-order mark is read (tests/feedback/test_input.py); without one it needs --encoding
    case("feedback-redact-utf16", feedback("redact", lambda i: i.write("u16.csv", "id,text\n1,ok\n", "utf-16-le")),
         ["u16.csv"]),
    case("feedback-redact-empty", feedback("redact", lambda i: i.write("e.csv", "")), ["e.csv"]),
    case("feedback-redact-extra-field", feedback("redact", lambda i: i.write("x.csv", "id,text\n1,ok\n2,fine,extra\n")),
         ["x.csv"]),
    case("feedback-redact-extra-field-on-every-row", feedback("redact", lambda i: i.write("xx.csv", "id,text\n1,ok,x\n")),
         ["xx.csv"], slow=True),
    case("feedback-redact-missing-file", feedback("redact", lambda i: i.dir / "nope.csv"), ["nope.csv"]),
    case("feedback-redact-out-is-input", lambda i: ["feedback", "redact", str(i.comments), "--text-column", "text",
                                                    "--out", str(i.comments)], ["--out"]),
    case("feedback-classify-model-missing", feedback("classify"), ["model.pkl"]),
    case("feedback-classify-model-garbage", lambda i: ["feedback", "classify", str(i.comments), "--text-column", "text",
                                                       "--model", str(i.write("junk.pkl", b"not a model")), "--out",
                                                       i.out()], ["junk.pkl"]),
    case("feedback-train-no-label-column", lambda i: ["feedback", "train", str(i.comments), "--text-column", "text",
                                                      "--label-column", "category", "--out", i.out("m.pkl")],
         ["category"]),
    case("feedback-train-accuracy-above-one", feedback("train", lambda i: i.comments, "--target-accuracy", "1.5"),
         ["--target-accuracy"], usage=True),
    case("feedback-train-folds-zero", feedback("train", lambda i: i.comments, "--folds", "0"), ["--folds"], usage=True),
    case("feedback-train-threshold-two", feedback("train", lambda i: i.comments, "--threshold", "2"), ["--threshold"],
         usage=True),
    case("feedback-train-seed-negative", feedback("train", lambda i: i.comments, "--seed", "-1"), ["--seed"], usage=True),
    case("feedback-train-bad-categories", lambda i: ["feedback", "train", str(i.comments), "--text-column", "text",
                                                     "--label-column", "label", "--out", i.out("m.pkl"), "--categories",
                                                     str(i.write("cat.yml", "categories: [\n"))], ["cat.yml"]),
]


# --- publish (disclosure rules and spec are checked before any work) -------------------------------------

def publish(rules_fn=lambda i: i.rules, *extra: str):
    return lambda i: ["publish", "--out", str(i.out_dir / "release"), "--rules", str(rules_fn(i)), *extra]


def _rules(name: str, text: str):
    return lambda i: i.write(name, text)


RULES_FAULTS = [
    ("misspelt-rule", RULES.replace("seed", "sed"), "sed"),
    ("misspelt-threshold", RULES.replace("threshold", "treshold"), "treshold"),
    ("unknown-rule", RULES + "dominance: 0.8\n", "dominance"),
    ("missing-rule", "threshold: 10\n", "min_respondents"),
    ("threshold-text", RULES.replace("10", "ten"), "threshold"),
    ("threshold-boolean", RULES.replace("10", "true"), "threshold"),
    ("base-zero", RULES.replace("rounding_base: 5", "rounding_base: 0"), "rounding_base"),
    ("base-fraction", RULES.replace("rounding_base: 5", "rounding_base: 2.5"), "rounding_base"),
    ("seed-negative", RULES.replace("2021", "-1"), "seed"),
    ("a-list", "- threshold: 10\n", "rules.yml"),
    ("empty", "", "rules.yml"),
    ("invalid-yaml", "threshold: [10\n", "rules.yml"),
]

PUBLISH = [case(f"publish-rules-{name}", publish(_rules("rules.yml" if name in ("a-list", "empty", "invalid-yaml")
                                                        else f"{name}.yml", text)), [field])
           for name, text, field in RULES_FAULTS]
PUBLISH += [
    case("publish-rules-missing", publish(lambda i: i.dir / "nope.yml"), ["nope.yml"]),
    case("publish-rules-not-utf8", publish(lambda i: i.write("cp.yml", "threshold: 10 # modifié\n", "cp1252")),
         ["cp.yml"]),
    case("publish-spec-misspelt", lambda i: ["publish", "--out", str(i.out_dir / "release"), "--spec",
                                             str(i.spec_with("ps.yml", lambda s: s.update(agregate="minimum")))],
         ["agregate"]),
    case("publish-radius-negative", lambda i: ["publish", "--out", str(i.out_dir / "r"), "--radius-km", "-1"],
         ["--radius-km"], usage=True),
    case("publish-draws-zero", lambda i: ["publish", "--out", str(i.out_dir / "r"), "--draws", "0"], ["--draws"],
         usage=True),
    case("publish-out-not-a-release", lambda i: ["publish", "--out", str(i.dir), "--rules", str(i.rules)],
         lambda i: [str(i.dir)]),
]


# --- evi, jurisdiction, groups, demo, datasets, download, templates ----------------------------------------

OTHERS = [
    case("evi-dictionary-spec-misspelt", lambda i: ["evi", "dictionary", "--spec", str(i.write(
        "es.yml", yaml.safe_dump({**yaml.safe_load(Path("specs/evi.yml").read_text(encoding="utf-8")), "normalize": "rank"}))),
        "--out", i.out("d.md")], ["normalize"]),
    case("evi-dictionary-spec-invalid-yaml", lambda i: ["evi", "dictionary", "--spec", str(i.write("ey.yml", "id: [\n")),
                                                        "--out", i.out("d.md")], ["ey.yml"]),
    case("evi-dictionary-spec-missing", lambda i: ["evi", "dictionary", "--spec", str(i.dir / "nope.yml"), "--out",
                                                   i.out("d.md")], ["nope.yml"]),
    case("evi-dictionary-bad-lang", lambda i: ["evi", "dictionary", "--lang", "de"], ["--lang"], usage=True),
    case("jurisdiction-check-misspelt-key", lambda i: ["jurisdiction", "check", str(i.write(
        "mb.yml", Path("jurisdictions/mb.yml").read_text(encoding="utf-8").replace("default_level:", "defaut_level:")))],
        ["defaut_level"], stdout=True),
    case("jurisdiction-check-invalid-yaml", lambda i: ["jurisdiction", "check", str(i.write("xx.yml", "code: [\n"))],
         ["xx.yml"], stdout=True),
    case("jurisdiction-check-a-list", lambda i: ["jurisdiction", "check", str(i.write("yy.yml", "- code: yy\n"))],
         ["yy.yml"], stdout=True),
    case("jurisdiction-check-missing", lambda i: ["jurisdiction", "check", str(i.dir / "zz.yml")], ["zz"], stdout=True),
    case("jurisdiction-new-bad-code", lambda i: ["jurisdiction", "new", "Not A Code!", "--out", str(i.out_dir)],
         ["Not A Code!"]),
    case("groups-estimate-confidence-above-one", lambda i: ["groups", "estimate", "--survey", "s.zip", "--census", "c.zip",
                                                            "--method", "model", "--out", i.out(), "--confidence", "1.5"],
         ["--confidence"], usage=True),
    case("groups-estimate-replicates-negative", lambda i: ["groups", "estimate", "--survey", "s.zip", "--census", "c.zip",
                                                           "--method", "model", "--out", i.out(), "--replicates", "-3"],
         ["--replicates"], usage=True),
    case("groups-estimate-area-sd-negative", lambda i: ["groups", "estimate", "--survey", "s.zip", "--census", "c.zip",
                                                        "--method", "model", "--out", i.out(), "--area-sd", "-1"],
         ["--area-sd"], usage=True),
    case("groups-estimate-unknown-method", lambda i: ["groups", "estimate", "--survey", "s.zip", "--census", "c.zip",
                                                      "--method", "magic", "--out", i.out()], ["--method"], usage=True),
    case("groups-estimate-survey-missing", lambda i: ["groups", "estimate", "--survey", str(i.dir / "nope.zip"),
                                                      "--census", str(i.census), "--method", "model", "--out", i.out()],
         ["nope.zip"]),
    case("groups-estimate-survey-garbage", lambda i: ["groups", "estimate", "--survey", str(i.write("s.zip", b"junk")),
                                                      "--census", str(i.census), "--method", "model", "--out", i.out()],
         ["s.zip"]),
    case("groups-estimate-out-is-census", lambda i: ["groups", "estimate", "--survey", str(i.write("s2.zip", b"junk")),
                                                     "--census", str(i.census), "--method", "model", "--out",
                                                     str(i.census)], ["--out"]),
    case("datasets-bad-lang", lambda i: ["datasets", "--lang", "de"], ["--lang"], usage=True),
    case("demo-data-bad-lang", lambda i: ["demo-data", "--out", str(i.out_dir), "--lang", "de"], ["--lang"], usage=True),
    case("download-unknown-kind", lambda i: ["download", "maps", "--dest", str(i.out_dir)], ["kind"], usage=True),
    case("download-unknown-year", lambda i: ["download", "census", "--year", "1800", "--level", "csd", "--dest",
                                             str(i.out_dir)], ["1800"]),
    case("download-unknown-level", lambda i: ["download", "census", "--year", "2021", "--level", "planet", "--dest",
                                              str(i.out_dir)], ["planet"]),
    case("build-bad-lang", lambda i: ["build", "--lang", "de"], ["--lang"], usage=True),
    case("unknown-command", lambda i: ["nonsense"], ["nonsense"], usage=True),
]

def _evi_spec(change) -> Callable[[Inputs], str]:
    def text(i):
        spec = yaml.safe_load(Path("specs/evi.yml").read_text(encoding="utf-8"))
        change(spec)
        return yaml.safe_dump(spec, allow_unicode=True)
    return text


def _evi_dictionary(name: str, change):
    return lambda i: ["evi", "dictionary", "--spec", str(i.write(name, _evi_spec(change)(i))), "--out", i.out("d.md")]


OUTPUTS = [  # where the output goes
    case("index-build-out-is-a-folder", lambda i: ["index", "build", "--spec", str(i.spec), "--data", str(i.data),
                                                   "--out", str(i.out_dir)], lambda i: [str(i.out_dir)]),
    case("index-build-data-a-folder", lambda i: ["index", "build", "--spec", str(i.spec), "--data",
                                                 str(_folder(i, "d")), "--out", i.out()], lambda i: [str(i.dir / "d")]),
    case("hierarchy-out-is-a-folder", lambda i: ["hierarchy", str(i.gaf), "--out", str(i.out_dir)],
         lambda i: [str(i.out_dir)]),
    case("catchments-out-is-a-folder", lambda i: ["catchments", "--areas", str(i.areas), "--points", str(i.points),
                                                  "--out", str(i.out_dir)], lambda i: [str(i.out_dir)]),
    case("feedback-redact-out-is-a-folder", lambda i: ["feedback", "redact", str(i.comments), "--text-column", "text",
                                                       "--out", str(i.out_dir)], lambda i: [str(i.out_dir)]),
    case("evi-dictionary-out-is-the-spec", lambda i: ["evi", "dictionary", "--spec", str(i.write(
        "same.yml", Path("specs/evi.yml").read_bytes())), "--out", str(i.dir / "same.yml")], ["--out"]),
]

EVI = [
    case("evi-dictionary-misspelt-indicator-key",
         _evi_dictionary("e1.yml", lambda s: s["dimensions"][0]["indicators"][0].update(wieght=2)),
         ["dimensions[access].indicators[0].wieght"]),
    case("evi-dictionary-misspelt-source", _evi_dictionary("e2.yml", lambda s: s["dimensions"][1]["indicators"][0].update(
        sorce=s["dimensions"][1]["indicators"][0].pop("source"))), ["sorce"]),
    case("evi-dictionary-misspelt-census-source", _evi_dictionary("e3.yml", lambda s: s["dimensions"][0]["indicators"][2]
                                                                  .update(source={"census": {"numerator": [340],
                                                                                             "denominater": 335}})),
         ["denominater"]),
    case("evi-dictionary-dimensions-a-string", _evi_dictionary("e4.yml", lambda s: s.update(dimensions="access")),
         ["dimensions"]),
    case("evi-dictionary-spec-empty", lambda i: ["evi", "dictionary", "--spec", str(i.write("e5.yml", "")), "--out",
                                                 i.out("d.md")], ["e5.yml", "dimensions"]),
]

BAD = OUTPUTS + EVI + CENSUS + INDEX_SPECS + INDEX_DATA + INDEX_OTHER + HIERARCHY + CATCHMENTS + FEEDBACK + PUBLISH + OTHERS


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def inputs(tmp_path, monkeypatch) -> Inputs:
    monkeypatch.setattr(census, "cache_dir", lambda: tmp_path / "cache")
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    return Inputs(tmp_path)


def run(argv: list[str], capsys, *, both: bool = False):
    try:
        status = cli.main(argv)
    except SystemExit as exc:  # argparse's usage errors
        status = exc.code
    captured = capsys.readouterr()
    return (status, captured.out, captured.err) if both else (status, captured.err)


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_input_is_one_clear_error_and_nothing_is_written(bad: Case, inputs: Inputs, capsys):
    argv = bad.argv(inputs)
    names = bad.names(inputs)
    before = _snapshot(inputs.dir)
    status, out, err = run(argv, capsys, both=True)
    assert "Traceback" not in err + out and "Exception ignored" not in err, err
    assert status == 2, f"exit {status}: {err}"
    lines = (out if bad.stdout else err).strip().splitlines() or [""]
    if bad.usage:  # argparse: the usage, then one line naming the option
        line = lines[-1]
        assert "error:" in line, err
    elif bad.stdout:  # a checker's report: one line per problem found, the first one the fault made
        line = lines[0]
        assert all(x.startswith("error: ") for x in lines), out
    else:
        line = lines[0]
        assert err.startswith("error: ") and err.count("\n") == 1, err
    assert any(name in line for name in names), f"{names} not in: {line}"
    assert not list(inputs.out_dir.iterdir()), "an output was left behind"
    assert _snapshot(inputs.dir) == before, "an input was changed, or a file was left beside the inputs"


# --- what used to be silently wrong, now right ---------------------------------------------------------------

GOOD_CENSUS = ["utf-8", "utf-8-sig", "cp1252"]


@pytest.mark.parametrize("encoding", GOOD_CENSUS)
@pytest.mark.parametrize("packed", [False, True])
def test_census_extract_reads_every_encoding_right(inputs: Inputs, capsys, encoding, packed):
    path = write_2021(inputs.dir / f"p-{encoding}.csv", encoding=encoding)
    if packed:
        path = inputs.zipped(path, f"p-{encoding}.zip")
    status, err = run(["census", "extract", str(path), "--ids", "1,6", "--out", inputs.out(), "--quiet"], capsys)
    assert status == 0, err
    assert pd.read_csv(inputs.out(), dtype=str)["GEO_NAME"].tolist()[2] == "Montréal"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_hierarchy_reads_every_encoding_right(inputs: Inputs, capsys, encoding):
    path = write_gaf(inputs.dir / f"g-{encoding}.csv", encoding=encoding)
    status, err = run(["hierarchy", str(path), "--out", inputs.out(), "--level", "Census subdivision"], capsys)
    assert status == 0, err
    assert "Montréal" in pd.read_csv(inputs.out(), dtype=str)["name"].tolist()


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_index_build_reads_every_encoding_right(inputs: Inputs, capsys, encoding):
    data = tiny_data().assign(id=["Montréal", "Lévis", "Gaspé", "Sept-Îles"])
    path = inputs.dir / f"d-{encoding}.csv"
    data.to_csv(path, index=False, encoding=encoding)
    status, err = run(["index", "build", "--spec", str(inputs.spec), "--data", str(path), "--out", inputs.out()], capsys)
    assert status == 0, err
    assert pd.read_csv(inputs.out())["id"].tolist()[0] == "Montréal"


def test_the_corpus_is_large_enough():
    assert len(BAD) >= 150
