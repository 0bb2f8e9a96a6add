"""Redact and classify 100,000 comments (target: under 30 s on 2 cores); print the throughput.

The comments are freshly generated (not timed) so no result is cached; the classifier is trained on
the embedded demo corpus (not timed). The baseline, measured in the same run, is reading and writing
the same comments as CSV: the ratio says how much redaction and classification cost on top of the
input/output any pipeline pays. Classification is timed again with a model on TF-IDF alone, to show
what the sentence embeddings cost. The last line times language identification (Lingua, and the former
function-word rule beside it) on the first ``--language-comments`` redacted comments.

    .venv/bin/python bench/feedback.py [--comments 100000] [--workers 2] [--language-comments 20000]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

from playbook.demo import feedback as demo
from playbook.feedback import classify, language
from playbook.feedback.redact import redact_series
from playbook.sources import datasets

TARGET_SECONDS = 30.0


def _cpu() -> float:
    """CPU seconds of this process and of the finished worker processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--comments", type=int, default=100_000)
    p.add_argument("--workers", type=int, default=2, help="processes for redaction (the target assumes 2 cores)")
    p.add_argument("--language-comments", type=int, default=20_000, help="comments for the language timing")
    args = p.parse_args(argv)

    corpus = demo.read(datasets.path("demo_feedback_comments"))
    demo_texts = redact_series(corpus["text"])
    model, _ = classify.train(demo_texts, corpus["topic"], folds=3)
    tfidf_only, _ = classify.train(demo_texts, corpus["topic"], folds=3, features=("words", "chars"))
    comments = demo.comments(args.comments, seed=99)[["comment_id", "date", "text"]]

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "comments.csv"
        start = time.perf_counter()
        comments.to_csv(path, index=False)
        pd.read_csv(path, dtype=str, keep_default_na=False)
        baseline = time.perf_counter() - start

    cpu_start = _cpu()
    start = time.perf_counter()
    texts = redact_series(comments["text"], workers=args.workers)
    redacted = time.perf_counter() - start
    cpu_redact = _cpu() - cpu_start
    predicted = model.predict(texts)
    total = time.perf_counter() - start
    cpu_total = _cpu() - cpu_start
    n = len(comments)
    print(f"{n:,} comments: redact {redacted:.1f} s ({n / redacted:,.0f}/s), "
          f"classify {total - redacted:.1f} s ({n / (total - redacted):,.0f}/s)")
    print(f"redact + classify {total:.1f} s = {n / total:,.0f} comments/s "
          f"(target < {TARGET_SECONDS:.0f} s: {'met' if total < TARGET_SECONDS else 'NOT met'})")
    print(f"CPU time (all processes): redact {cpu_redact:.1f} s, classify {cpu_total - cpu_redact:.1f} s; "
          f"on {args.workers} idle cores about {cpu_redact / args.workers + cpu_total - cpu_redact:.1f} s wall "
          f"(wall time depends on what else runs: compare runs on the same machine)")
    print(f"baseline CSV write + read {baseline:.2f} s; ratio {total / baseline:.1f}x; "
          f"{predicted['needs_review'].mean():.0%} routed to a person")

    start = time.perf_counter()
    tfidf_only.predict(texts)
    plain = time.perf_counter() - start
    print(f"classify with TF-IDF alone (no sentence embeddings) {plain:.1f} s ({n / plain:,.0f}/s): "
          f"the embeddings make classification {(total - redacted) / plain:.1f}x slower")

    sample = texts[:args.language_comments]
    language.identify(sample[:10])  # build the detector (about 2 s, once per process): not timed
    speeds = {}
    for name, identify in (("Lingua", language.identify), ("function-word rule", language.identify_by_function_words)):
        start = time.perf_counter()
        identify(sample)
        speeds[name] = len(sample) / (time.perf_counter() - start)
    print(f"language of {len(sample):,} comments: " + ", ".join(f"{k} {v:,.0f}/s" for k, v in speeds.items()))


if __name__ == "__main__":
    main()
