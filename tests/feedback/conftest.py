import pytest

from playbook.demo import feedback as demo
from playbook.feedback.redact import redact_series
from playbook.sources import datasets


@pytest.fixture(scope="session")
def corpus():
    return demo.read(datasets.path("demo_feedback_comments"))


@pytest.fixture(scope="session")
def redacted(corpus):
    return redact_series(corpus["text"])
