"""``python -m playbook feedback``: redact, classify and train on client comments (CSV files).

- ``feedback redact IN.csv --text-column COL --out OUT.csv``: the input with only the text column
  replaced by its redacted version.
- ``feedback classify IN.csv --text-column COL --model MODEL --out OUT.csv``: the text column
  redacted, plus ``language``, ``category``, ``confidence`` and ``needs_review``. (No sentiment: the
  lexicon did not beat "always the most common label" on hand-written comments, issue 23.)
- ``feedback train IN.csv --text-column COL --label-column LABEL --out MODEL``: cross-validate, choose
  the routing threshold, fit, and write the model with its model card (``MODEL.card.md``). A label
  holds one or more tags (``online_account;payments_delays``, ``--label-separator``), ``other``, or
  nothing (counted as ``other`` unless ``--untagged refuse``); ``--categories data`` takes the tags
  found in the labels as they come. ``category`` is then the predicted tags joined by ``;`` (or
  ``other``), ``confidence`` the probability that this whole set is right.
"""

from __future__ import annotations

import pandas as pd

from playbook import options
from playbook.errors import PlaybookError
from playbook.io import check_outputs


def _input_options(parser) -> None:
    """The options every feedback command has for reading its CSV file."""
    parser.add_argument("--encoding", default="auto", metavar="ENC",
                        help="the file's encoding: auto (UTF-8, or UTF-16 with its byte-order mark; default), "
                             "or a Python codec name such as cp1252 or latin-1")
    parser.add_argument("--delimiter", default="auto", metavar="SEP",
                        help="the field separator: auto (comma, semicolon or tab, found from the header; "
                             "default), or comma, semicolon, tab or one character")


def _read(args, *, drop_empty: bool = False) -> pd.DataFrame:
    """The input comments (``read_comments`` with the input options); says what was cleaned up."""
    from playbook.feedback.pipeline import empty_comments, read_comments

    table = read_comments(args.input, args.text_column, encoding=args.encoding, delimiter=args.delimiter)
    html, empty = table.attrs["html"], table.attrs["empty"]
    if html:
        print(f"{args.input}: HTML removed from {html} comment{'s' * (html != 1)}")
    if empty and drop_empty:
        print(f"{args.input}: {empty} empty comment{'s' * (empty != 1)} left out")
        table = table[~empty_comments(table[args.text_column]).to_numpy()].reset_index(drop=True)
    return table


def _redact(args) -> int:
    from playbook.feedback.pipeline import redact_table, write_table

    check_outputs([args.out], [args.input])  # the input holds the only copy of the personal information
    table = _read(args)
    write_table(redact_table(table, args.text_column), args.out)
    print(f"redacted {len(table)} comments -> {args.out}")
    return 0


def _classify(args) -> int:
    from playbook.feedback.classify import FeedbackClassifier
    from playbook.feedback.pipeline import analyse, write_table

    check_outputs([args.out], [args.input, args.model])
    table = _read(args)
    model = FeedbackClassifier.load(args.model)
    result = analyse(table, args.text_column, model, path=args.input)
    write_table(result, args.out)
    review = int(result["needs_review"].sum()) if len(result) else 0
    empty = table.attrs["empty"]
    print(f"classified {len(result) - empty} comments ({review} routed to a person; {empty} empty, "
          f"no category) -> {args.out}")
    return 0


def _train(args) -> int:
    from playbook.feedback.classify import card_path, check_features, load_categories, train
    from playbook.feedback.language import identify
    from playbook.feedback.redact import redact_series

    features = check_features(args.features.split(","), field="--features")
    categories_file = None if args.categories in (None, "data") else args.categories
    check_outputs([args.out, card_path(args.out)], [args.input, categories_file])  # before hours of training
    table = _read(args, drop_empty=True)  # an empty comment teaches nothing
    if args.label_column not in table.columns:
        raise PlaybookError(f"no column '{args.label_column}'", path=args.input, field=args.label_column,
                            expected=f"one of {', '.join(table.columns)}")
    categories = "data" if args.categories == "data" else load_categories(args.categories)
    labels = table[args.label_column].rename(args.label_column)
    texts = redact_series(table[args.text_column])
    try:
        model, evaluation = train(texts, labels, categories=categories, target_accuracy=args.target_accuracy,
                                  threshold=args.threshold, folds=args.folds, seed=args.seed,
                                  features=features, separator=args.label_separator, untagged=args.untagged,
                                  languages=identify(texts), data_note=f"Source file: {args.input}.")
    except PlaybookError as exc:  # name the file: the model code does not know it
        raise PlaybookError(exc.message, path=exc.path or args.input, row=exc.row, field=exc.field,
                            expected=exc.expected) from None
    model_path, card = model.save(args.out)
    with pd.option_context("display.width", 120):
        print(evaluation.scores.round(3).to_string(index=False))
    by_language = model.metrics.get("macro_f1_by_language") or {}
    if by_language:
        print("macro F1 by language: " + ", ".join(f"{k} {v:.3f}" for k, v in by_language.items()))
    print(f"threshold {model.threshold:.2f}: {model.metrics['share_automatic']:.0%} sorted automatically, "
          f"accuracy {model.metrics['accuracy_automatic']:.3f}")
    print(f"model -> {model_path}\nmodel card -> {card}")
    return 0


def register(commands) -> None:
    p = commands.add_parser("feedback", help="client feedback: redact personal information, classify, train")
    sub = p.add_subparsers(title="feedback commands", metavar="STEP", required=True)

    r = sub.add_parser("redact", help="replace personal information in a text column by typed placeholders")
    r.add_argument("input", metavar="IN.csv")
    _input_options(r)
    r.add_argument("--text-column", required=True, metavar="COL")
    r.add_argument("--out", required=True, metavar="OUT.csv")
    r.set_defaults(func=_redact)

    c = sub.add_parser("classify", help="redact, then add the language and the service categories")
    c.add_argument("input", metavar="IN.csv")
    _input_options(c)
    c.add_argument("--text-column", required=True, metavar="COL")
    c.add_argument("--model", required=True, metavar="MODEL", help="a model written by `feedback train`")
    c.add_argument("--out", required=True, metavar="OUT.csv")
    c.set_defaults(func=_classify)

    t = sub.add_parser("train", help="fit the service classifier on labelled comments (writes a model card)")
    t.add_argument("input", metavar="IN.csv")
    _input_options(t)
    t.add_argument("--text-column", required=True, metavar="COL")
    t.add_argument("--label-column", required=True, metavar="LABEL")
    t.add_argument("--out", required=True, metavar="MODEL")
    t.add_argument("--categories", default=None,
                   help="categories YAML (default specs/feedback_categories.yml), or 'data': the tags found in the labels")
    t.add_argument("--label-separator", default=";", metavar="SEP",
                   help="separates the tags of a comment in the label column (default ';')")
    t.add_argument("--untagged", choices=("other", "refuse"), default="other",
                   help="a comment with an empty label: counted as 'other' (default) or refused")
    t.add_argument("--target-accuracy", type=options.share, default=0.9,
                   help="accuracy the automatically sorted comments must reach (chooses the threshold)")
    t.add_argument("--threshold", type=options.share, default=None, help="a fixed confidence threshold instead")
    t.add_argument("--folds", type=options.positive_int, default=5)
    t.add_argument("--seed", type=options.seed, default=0)
    t.add_argument("--features", default="sentences,words,chars", metavar="LIST",
                   help="comma-separated: sentences (multilingual sentence embeddings), words, chars (TF-IDF); "
                        "default all three; words,chars classifies about 15 times faster")
    t.set_defaults(func=_train)
