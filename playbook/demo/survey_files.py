"""The files of the synthetic CIUS-style PUMF: SPSS syntax for labels, a notice, reproducible writing.

Kept apart from the generator (:mod:`playbook.demo.survey`) so that each module stays small.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd

from playbook.io import atomic_path

VARIABLE_LABELS = {
    "PUMFID": "Public use microdata file identification", "GEO_PRV": "Province",
    "LUC_RST": "Population centre indicator", "AGE_GRP": "Age Groups - Derived variable",
    "GENDER": "Gender of the respondent",
    "G_EDUC": "Respondent's highest certificate, diploma or degree",
    "HINCQUIN": "Household income quintile - Derived variable",
    "LAN_Q01": "Knowledge of official languages", "ABOSTAT": "Indigenous identity (First Nations, Metis or Inuit)",
    "IMMSTAT": "Immigrant status (demo)", "DISABFLG": "Disability (demo)",
    "UI_050A": "Used the Internet in the past three months (demo)", "AC_110A": "Internet access at home (demo)",
    "GV_USER": "Government online service users - Derived variable", "SP_440A": "Worried about privacy online (demo)",
    **{f"DS_490{c}": f"Digital skills activity {c} in the past 12 months (demo)" for c in "ABCDEFG"},
    "WTPG": "Person weight",
}
YES_NO = {1: "Yes", 3: "No", 6: "Valid skip", 7: "Don't know", 8: "Refusal", 9: "Not stated"}
YES_NO_DV = {1: "Yes", 2: "No", 6: "Valid skip", 7: "Don't know", 8: "Refusal", 9: "Not stated"}
SKIPS = {6: "Valid skip", 7: "Don't know", 8: "Refusal", 9: "Not stated"}
VALUE_LABELS = {
    ("GEO_PRV",): {10: "Newfoundland and Labrador", 11: "Prince Edward Island", 12: "Nova Scotia", 13: "New Brunswick",
                   24: "Quebec", 35: "Ontario", 46: "Manitoba", 47: "Saskatchewan",
                   48: "Alberta", 59: "British Columbia",
                   96: "Valid skip", 97: "Don't know", 98: "Refusal", 99: "Not stated"},
    ("LUC_RST",): {1: "Larger Urban Centres (CMA/CA)", 2: "Rural and Small Town (non-CMA/CA)",
                   3: "Prince Edward Island",
                   **SKIPS},
    ("AGE_GRP",): {1: "15 to 24 years", 2: "25 to 34 years", 3: "35 to 44 years", 4: "45 to 54 years",
                   5: "55 to 64 years", 6: "65 years and over", 96: "Valid skip", 97: "Don't know", 98: "Refusal",
                   99: "Not stated"},
    ("GENDER",): {1: "Male", 2: "Female", **SKIPS},
    ("G_EDUC",): {1: "No certificate, diploma or degree (demo coding)",
                  2: "High school, college, trade or below bachelor",
                  3: "Bachelor's degree or above", **SKIPS},
    ("HINCQUIN",): {1: "Quintile 1 (lowest; demo: low income)", 2: "Quintile 2", 3: "Quintile 3", 4: "Quintile 4",
                    5: "Quintile 5 (highest)", **SKIPS},
    ("LAN_Q01",): {1: "English only", 2: "French only", 3: "Both English and French", 4: "Neither English nor French",
                   **SKIPS},
    ("ABOSTAT", "IMMSTAT", "DISABFLG", "GV_USER"): YES_NO_DV,
    ("UI_050A", "AC_110A", "SP_440A", *[f"DS_490{c}" for c in "ABCDEFG"]): YES_NO,
}
NOTICE = """SYNTHETIC DEMO DATA - NOT STATISTICS CANADA DATA.
A synthetic file in the layout of the Canadian Internet Use Survey public use microdata file (56M0003X),
written by playbook.demo.survey for the Data-Driven Insights playbook. Respondents are invented; their
Internet use is calibrated to the real CIUS 2020 figures by province and age group (Table 22-10-0135-01).
Variables marked (demo) are stand-ins; see specs/cius.yml. Weight: WTPG; bootstrap weights: WTBS_001-WTBS_200.
"""


def spss_labels() -> tuple[str, str]:
    vare = "VARIABLE LABELS\n" + "".join(f'    {k:<14} "{v}"\n' for k, v in VARIABLE_LABELS.items())
    vare += '    WTBS_001       "Bootstrap weight 1 to 200"\n    .\n'
    vale = "VALUE LABELS\n"
    for names, codes in VALUE_LABELS.items():
        vale += "              /" + " ".join(names) + "\n"
        vale += "".join(f'               {c:>5}   "{label}"\n' for c, label in codes.items())
    return vare, vale + "    .\n"




def write_gzip_csv(path: Path, frame: pd.DataFrame) -> Path:
    """``frame`` as a gzipped CSV whose bytes do not depend on the clock (mtime 0), written atomically."""
    raw = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    with atomic_path(path) as tmp, open(tmp, "wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh,
                                                                      mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return path
