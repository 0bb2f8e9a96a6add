"""Manual check that the EVI explorer works in JupyterLab (not collected by pytest: needs JupyterLab).

Start JupyterLab on the notebooks (``make lab``, or ``jupyter lab --no-browser --port 8899
--ServerApp.token=evi``), then run ``python tests/evi/jupyterlab_check.py [URL]``. Headless Debian
Chromium opens ``19-evi-explorer.ipynb``, runs all cells, changes the geography level and the
province, moves the access slider and picks an impossible combination; it prints the table and the
map's alt text before and after, and ``RESULT True`` when every control updated the view.
"""

import sys
import time

from playwright.sync_api import sync_playwright

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8899/lab/tree/19-evi-explorer.ipynb?token=evi"
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(URL)
    page.wait_for_selector(".jp-Notebook", timeout=120_000)
    time.sleep(5)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click(timeout=30_000)
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click(timeout=30_000)
    page.wait_for_selector(".widget-slider", timeout=600_000)
    print("widgets shown")
    # wait for the first table in the live explorer output
    box = page.locator(".widget-vbox").first

    def table_text():
        tables = box.locator("table")
        return tables.first.inner_text() if tables.count() else ""

    for _ in range(120):
        if table_text():
            break
        time.sleep(1)
    before = table_text()
    img_before = box.locator("img").first.get_attribute("alt") if box.locator("img").count() else ""
    print("table before:", before[:200].replace("\n", " | "))
    print("map alt before:", img_before[:120])
    page.screenshot(path="/tmp/lab-before.png", full_page=False)
    # change the geography level to census subdivisions and the province to Alberta
    selects = box.locator("select")
    print("selects:", selects.count())
    selects.nth(2).select_option(index=1)  # level: census subdivisions
    time.sleep(2)
    selects.nth(3).select_option(label="Alberta")
    for _ in range(120):
        now = table_text()
        if now and now != before and "Alberta" in now:
            break
        time.sleep(1)
    after = table_text()
    img_after = box.locator("img").first.get_attribute("alt") if box.locator("img").count() else ""
    print("table after:", after[:200].replace("\n", " | "))
    print("map alt after:", img_after[:120])
    # move the first slider (access weight) with the keyboard
    handle = box.locator(".widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    time.sleep(1)
    for _ in range(120):
        if table_text() != after:
            break
        time.sleep(1)
    moved = table_text()
    print("table after slider:", moved[:200].replace("\n", " | "))
    page.screenshot(path="/tmp/lab-after.png", full_page=False)
    # an impossible combination shows a message
    selects.nth(0).select_option(label="Z-score")
    selects.nth(1).select_option(label="Geometric mean")
    for _ in range(60):
        if "cannot be computed" in box.inner_text():
            break
        time.sleep(1)
    print("error message shown:", "cannot be computed" in box.inner_text())
    print("RESULT", bool(before) and after != before and "Alberta" in after and moved != after)
    browser.close()
