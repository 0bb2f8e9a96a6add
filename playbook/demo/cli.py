"""``python -m playbook demo-data --out DIR [--seed N]``: regenerate the synthetic demo files."""

from __future__ import annotations

from pathlib import Path

from playbook import demo, i18n


def _run(args) -> int:
    out = Path(args.out)
    written = demo.generate_all(out, seed=args.seed)
    for path in written:
        print(i18n.t("demo_written", args.lang, path=path, size=i18n.format_number(path.stat().st_size / 1024, args.lang)))
    return 0


def register(commands) -> None:
    p = commands.add_parser(
        "demo-data",
        help="regenerate the synthetic demo data (Census Profile, geographic attributes, area internet file)",
    )
    p.add_argument("--out", required=True, help="folder to write into, laid out like data/ (DIR/demo/...)")
    p.add_argument(
        "--seed",
        type=int,
        default=demo.DEFAULT_SEED,
        help=f"random seed (default {demo.DEFAULT_SEED}, the committed data)",
    )
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of the messages")
    p.set_defaults(func=_run)
