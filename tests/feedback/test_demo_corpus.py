"""The synthetic corpus: size, labels, spans that point at personal information, reproducibility."""

from playbook.demo import feedback as demo
from playbook.demo.feedback_phrases import CATEGORIES


def test_committed_corpus(corpus):
    assert len(corpus) >= 5000
    assert set(corpus["language"]) == {"en", "fr", "mixed"}
    assert set(corpus["topic"]) == set(CATEGORIES)
    assert set(corpus["sentiment"]) == {"neg", "neu", "pos"}
    assert corpus["date"].min().year == 2023 and corpus["date"].max().year == 2024
    assert corpus["comment_id"].is_unique


def test_spans_point_at_personal_information(corpus):
    spans = [(text[s:e], kind) for text, pii in zip(corpus["text"], corpus["pii"], strict=True) for s, e, kind in pii]
    assert len(spans) > 3000
    assert all(value and value == value.strip() for value, _ in spans)
    assert all("@" in v for v, k in spans if k == "EMAIL")
    assert all(sum(c.isdigit() for c in v) == 9 for v, k in spans if k == "SIN")
    assert {k for _, k in spans} == {"EMAIL", "PHONE", "SIN", "POSTAL", "ADDRESS", "DOB", "NAME"}


def test_reproducible_and_matches_the_committed_file(corpus):
    a, b = demo.comments(300, seed=7), demo.comments(300, seed=7)
    assert a.equals(b)
    fresh = demo.comments(demo.N_COMMENTS, seed=demo.SEED)
    assert fresh["text"].tolist() == corpus["text"].tolist()


def test_generate_writes_the_same_bytes(tmp_path):
    import hashlib

    from playbook.sources import datasets

    [path] = demo.generate(tmp_path, seed=demo.SEED)
    assert path == tmp_path / "demo" / "feedback" / demo.FILE_NAME
    assert hashlib.sha256(path.read_bytes()).hexdigest() == datasets.info("demo_feedback_comments").sha256
