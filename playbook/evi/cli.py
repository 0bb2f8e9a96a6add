"""``python -m playbook evi ...``: the E-Vulnerability Index's own commands.

``evi indicators --manifest FILE --level csd|da --out X.csv`` writes the indicator table of an
analysis (census extract -> rates -> area values; the table ``index build --data`` takes) and, next
to it, ``X.provenance.csv`` (each indicator's input, real or synthetic). ``evi results --manifest
FILE --out DIR`` builds the index and writes its tables (CSV, Excel), provenance and GeoJSON.
``evi dictionary`` regenerates the data dictionary page from the spec (``--check`` only compares,
and exits 1 when the committed page is out of date).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playbook import i18n
from playbook.io import atomic_path, check_outputs


def _dictionary(args) -> int:
    from playbook.evi.dictionary import PAGE, dictionary_markdown

    out = Path(args.out) if args.out else PAGE
    if not args.check:
        check_outputs([out], [args.spec])
    text = dictionary_markdown(args.spec, args.lang)
    if args.check:
        current = out.read_text(encoding="utf-8") if out.is_file() else ""
        if current != text:
            print(f"{out} is out of date: run `python -m playbook evi dictionary`", file=sys.stderr)
            return 1
        return 0
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    print(out)
    return 0


def _manifest_inputs(manifest) -> list[Path]:
    return [p for i in manifest.inputs.values() if i is not None for p in i.paths] + (
        [manifest.path] if manifest.path else [])


def _indicators(args) -> int:
    from playbook.evi.run import indicator_rows, provenance
    from playbook.io import check_outputs
    from playbook.sources import manifest as manifests

    m = manifests.load(args.manifest)
    out = Path(args.out)
    side = out.with_name(out.stem + ".provenance.csv")
    check_outputs([out, side], _manifest_inputs(m))
    rows, meta = indicator_rows(m, level=args.level)
    from playbook.evi.inputs import analysis_spec

    table = provenance(analysis_spec(m.spec, m), m, args.lang)
    with atomic_path(out) as tmp, atomic_path(side) as tmp_side:
        rows.to_csv(tmp, index=False)
        table.to_csv(tmp_side, index=False)
    print(f"{out}: {len(rows)} areas, {rows.shape[1] - 6} indicators")
    print(f"{side}: " + meta["source"])
    if meta["left_out"]:
        print(i18n.t("evi_left_out", args.lang, indicators=", ".join(meta["left_out"])))
    return 0


def _results(args) -> int:
    from playbook.evi.run import write_results
    from playbook.sources import manifest as manifests

    m = manifests.load(args.manifest)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        from playbook.errors import PlaybookError

        raise PlaybookError("is a file", path=out, field="--out", expected="a folder to write the results into")
    from playbook.io import check_outputs

    check_outputs([], _manifest_inputs(m))
    for path in write_results(m, out, lang=args.lang):
        print(path)
    return 0


def register(commands) -> None:
    p = commands.add_parser("evi", help="E-Vulnerability Index: indicators and results from a manifest, data dictionary")
    sub = p.add_subparsers(title="evi commands", metavar="COMMAND")
    ind = sub.add_parser("indicators", help="write the indicator table of an analysis (for index build --data)")
    ind.add_argument("--manifest", default=None, help="analysis manifest (default: the embedded demo)")
    ind.add_argument("--level", choices=("csd", "da"), default="csd", help="geography level (default: csd)")
    ind.add_argument("--out", required=True, help="CSV to write (and OUT.provenance.csv next to it)")
    ind.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of messages")
    ind.set_defaults(func=_indicators)
    r = sub.add_parser("results", help="build the index of an analysis and write its tables, provenance and maps' shapes")
    r.add_argument("--manifest", default=None, help="analysis manifest (default: the embedded demo)")
    r.add_argument("--out", required=True, help="folder to write into")
    r.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of the tables (default: en)")
    r.set_defaults(func=_results)
    d = sub.add_parser("dictionary", help="write the data dictionary page generated from the spec")
    d.add_argument("--spec", default=None, help="index spec (default: specs/evi.yml)")
    d.add_argument("--out", default=None, help="page to write (default: book/evi/data-dictionary.md)")
    d.add_argument("--lang", choices=i18n.LANGUAGES, default="en", help="language of the page (default: en)")
    d.add_argument("--check", action="store_true", help="only check that the page is up to date")
    d.set_defaults(func=_dictionary)
    p.set_defaults(func=lambda a: (p.print_help(), 0)[1])
