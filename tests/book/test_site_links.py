"""Zero broken internal links or anchors across the whole built site, checked offline.

LinkChecker (with its AnchorCheck plugin) crawls the site served on 127.0.0.1 from the bilingual
landing page; outside links are not followed (CI has no internet) — the `-W -n` book build already
catches broken MyST references.
"""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CONFIG = """[checking]
threads=4
[filtering]
checkextern=0
[AnchorCheck]
"""


def test_no_broken_internal_links_or_anchors(served_site, tmp_path):
    config = tmp_path / "linkcheckerrc"
    config.write_text(CONFIG)
    exe = Path(sys.executable).with_name("linkchecker")
    result = subprocess.run(
        [str(exe), "--config", str(config), "--no-status", "--output", "text", served_site + "index.html"],
        capture_output=True, text=True, timeout=600,
    )
    report = result.stdout + result.stderr
    checked = [line for line in report.splitlines() if "links in" in line and "checked" in line]
    assert checked, report[-2000:]
    assert " 0 errors found" in report and result.returncode == 0, report[-4000:]
    links = int(checked[0].split()[2])  # "That's it. N links in M URLs checked."
    assert links > 50
