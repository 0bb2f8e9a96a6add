"""``python -m playbook feedback``: redact, classify and train on client comments (CSV files).

- ``feedback redact IN.csv --text-column COL --out OUT.csv``: the input with only the text column
  replaced by its redacted version.
- ``feedback classify IN.csv --text-column COL --model MODEL --out OUT.csv``: the text column
  redacted, plus ``language``, ``sentiment``, ``sentiment_score``, ``category``, ``confidence`` and
  ``needs_review``.
- ``feedback train IN.csv --text-column COL --label-column LABEL --out MODEL``: cross-validate, choose
  the routing threshold, fit, and write the model with its model card (``MODEL.card.md``).
"""

from __future__ import annotations

import pandas as pd

from playbook import options
from playbook.errors import PlaybookError
from playbook.io import check_outputs


def _redact(args) -> int:
    from playbook.feedback.pipeline import read_comments, redact_table, write_table

    check_outputs([args.out], [args.input])  # the input holds the only copy of the personal information
    table = read_comments(args.input, args.text_column)
    write_table(redact_table(table, args.text_column), args.out)
    print(f"redacted {len(table)} comments -> {args.out}")
    return 0


def _classify(args) -> int:
    from playbook.feedback.classify import FeedbackClassifier
    from playbook.feedback.pipeline import analyse, read_comments, write_table

    check_outputs([args.out], [args.input, args.model])
    table = read_comments(args.input, args.text_column)
    model = FeedbackClassifier.load(args.model)
    result = analyse(table, args.text_column, model, path=args.input)
    write_table(result, args.out)
    review = int(result["needs_review"].sum()) if len(result) else 0
    print(f"classified {len(result)} comments ({review} routed to a person) -> {args.out}")
    return 0


def _train(args) -> int:
    from playbook.feedback.classify import load_categories, train
    from playbook.feedback.pipeline import read_comments
    from playbook.feedback.redact import redact_series

    table = read_comments(args.input, args.text_column)
    if args.label_column not in table.columns:
        raise PlaybookError(f"no column '{args.label_column}'", path=args.input, field=args.label_column,
                            expected=f"one of {', '.join(table.columns)}")
    categories = load_categories(args.categories)
    labels = table[args.label_column].rename(args.label_column)
    try:
        model, evaluation = train(redact_series(table[args.text_column]), labels, categories=categories,
                                  target_accuracy=args.target_accuracy, threshold=args.threshold,
                                  folds=args.folds, seed=args.seed, data_note=f"Source file: {args.input}.")
    except PlaybookError as exc:  # name the file: the model code does not know it
        raise PlaybookError(exc.message, path=exc.path or args.input, row=exc.row, field=exc.field,
                            expected=exc.expected) from None
    model_path, card = model.save(args.out)
    with pd.option_context("display.width", 120):
        print(evaluation.scores.round(3).to_string(index=False))
    print(f"threshold {model.threshold:.2f}: {model.metrics['share_automatic']:.0%} sorted automatically, "
          f"accuracy {model.metrics['accuracy_automatic']:.3f}")
    print(f"model -> {model_path}\nmodel card -> {card}")
    return 0


def register(commands) -> None:
    p = commands.add_parser("feedback", help="client feedback: redact personal information, classify, train")
    sub = p.add_subparsers(title="feedback commands", metavar="STEP", required=True)

    r = sub.add_parser("redact", help="replace personal information in a text column by typed placeholders")
    r.add_argument("input", metavar="IN.csv")
    r.add_argument("--text-column", required=True, metavar="COL")
    r.add_argument("--out", required=True, metavar="OUT.csv")
    r.set_defaults(func=_redact)

    c = sub.add_parser("classify", help="redact, then add language, sentiment and service category")
    c.add_argument("input", metavar="IN.csv")
    c.add_argument("--text-column", required=True, metavar="COL")
    c.add_argument("--model", required=True, metavar="MODEL", help="a model written by `feedback train`")
    c.add_argument("--out", required=True, metavar="OUT.csv")
    c.set_defaults(func=_classify)

    t = sub.add_parser("train", help="fit the service classifier on labelled comments (writes a model card)")
    t.add_argument("input", metavar="IN.csv")
    t.add_argument("--text-column", required=True, metavar="COL")
    t.add_argument("--label-column", required=True, metavar="LABEL")
    t.add_argument("--out", required=True, metavar="MODEL")
    t.add_argument("--categories", default=None, help="categories YAML (default specs/feedback_categories.yml)")
    t.add_argument("--target-accuracy", type=options.share, default=0.9,
                   help="accuracy the automatically sorted comments must reach (chooses the threshold)")
    t.add_argument("--threshold", type=options.share, default=None, help="a fixed confidence threshold instead")
    t.add_argument("--folds", type=options.positive_int, default=5)
    t.add_argument("--seed", type=options.seed, default=0)
    t.set_defaults(func=_train)
