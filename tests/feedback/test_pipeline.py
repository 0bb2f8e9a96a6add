"""The pipeline: redaction first, analysis after; a labelling sample; agreement between labellers."""

import pandas as pd
import pytest

from playbook.errors import PlaybookError
from playbook.feedback import pipeline


def test_analyse_redacts_before_anything_else():
    table = pd.DataFrame({"id": ["a", "b"], "comment": ["Call me at 613-555-0199, thanks!", "Service très lent."]})
    out = pipeline.analyse(table, "comment")
    assert out["comment"].tolist() == ["Call me at [PHONE], thanks!", "Service très lent."]
    assert out["language"].tolist() == ["en", "fr"]
    assert "sentiment" not in out.columns  # left out: it did not beat the majority class (issue 23)
    assert "613-555-0199" not in out.to_csv()
    assert table["comment"].iloc[0].startswith("Call me at 613")  # the input is not changed


def test_analyse_refuses_to_overwrite_a_column():
    with pytest.raises(PlaybookError, match="field 'language'"):
        pipeline.analyse(pd.DataFrame({"c": ["x"], "language": ["fr"]}), "c")


def test_sample_for_labelling_is_stratified_and_redacted(corpus):
    table = corpus[["comment_id", "channel", "text"]]
    sample = pipeline.sample_for_labelling(table, "text", n=500, by="channel", seed=3)
    assert 490 <= len(sample) <= 510
    shares = sample["channel"].value_counts(normalize=True)
    expected = table["channel"].value_counts(normalize=True)
    assert (shares - expected).abs().max() < 0.01
    assert not sample["text"].str.contains("@").any()
    assert (sample[["label_1", "label_2"]] == "").all().all()
    with pytest.raises(PlaybookError, match="cannot draw"):
        pipeline.sample_for_labelling(table.head(5), "text", n=10)


def test_agreement_by_hand():
    a = pd.Series(["x", "x", "y", "y"])
    b = pd.Series(["x", "y", "y", "y"])
    result = pipeline.agreement(a, b)
    assert result["agreement"] == 0.75
    # kappa = (0.75 - pe) / (1 - pe), pe = 0.5*0.25 + 0.5*0.75 = 0.5
    assert result["kappa"] == pytest.approx(0.5)
