"""A profile's ``report_problem`` says where every page's "Report a problem" link goes (issue 22)."""

import pytest
import yaml

from playbook import jurisdiction as jur
from playbook.book.build import jurisdiction_config, language_config
from playbook.errors import PlaybookError
from playbook.paths import ROOT
from tests.jurisdiction.test_profile import write


@pytest.mark.parametrize("address", ["https://gitlab.example.org/team/playbook/-/issues/new", "mailto:ddi@example.org"])
def test_an_issue_tracker_or_a_mail_address_is_accepted_and_reaches_the_site(tmp_path, address):
    profile = jur.load(write(tmp_path, "zz", report_problem=address))
    assert profile.report_problem == address
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = jurisdiction_config(language_config(base, "en", "off"), profile, "en")
    assert config["sphinx"]["config"]["playbook_report_url"] == address


def test_without_one_the_link_goes_to_the_book():
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = jurisdiction_config(language_config(base, "fr", "off"), None, "fr")
    assert config["sphinx"]["config"]["playbook_report_url"] == ""  # the introduction's "Report a problem"


@pytest.mark.parametrize("address", ["ftp://example.org/x", "ddi@example.org", "mailto:nobody", 42])
def test_anything_else_is_refused_naming_the_field(tmp_path, address):
    with pytest.raises(PlaybookError, match="report_problem"):
        jur.load(write(tmp_path, "zz", report_problem=address))
