"""The independent publication-difference reader on known rows of the DfE file
(no pipeline needed)."""

from __future__ import annotations

from pathlib import Path

from tests.python.marts.published_checks import inconsistent_figures, publication_differences

SEED = Path(__file__).resolve().parents[3] / "seeds" / "dfe_published_indicators.csv"

CAMDEN_2024 = {
    "geographic_level": "Local authority",
    "old_la_code": "202",
    "region_code": "E13000001",
    "inpost_fte": "178.8",
    "inpost_headcount": "189",
    "leavers_fte": "29.1",
    "turnover_rate_fte": "16.3",
    "turnover_rate_headcount": "16.4",
    "agency_fte": "26.8",
    "agency_rate_fte": "13",
    "vacancy_fte": "23",
    "vacancy_rate_fte": "11.4",
    "case_holders_fte": "84.6",
    "cases": "1029",
    "caseload_fte": "12.2",
    "working_days_lost_fte": "1063.5",
    "absence_rate_fte": "2.3",
}


def test_camden_2024_absence_rate_is_the_only_contradiction_of_its_row() -> None:
    assert list(inconsistent_figures(CAMDEN_2024)) == ["absence_rate_fte"]


def test_a_consistent_absence_rate_is_not_flagged() -> None:
    assert list(inconsistent_figures({**CAMDEN_2024, "absence_rate_fte": "2.4"})) == []


def test_a_headcount_below_its_fte_flags_the_headcount_turnover_too() -> None:
    row = {**CAMDEN_2024, "inpost_headcount": "178"}
    assert set(inconsistent_figures(row)) == {
        "absence_rate_fte",
        "inpost_headcount",
        "turnover_rate_headcount",
    }


def test_suppressed_figures_are_never_flagged() -> None:
    row = {key: "x" for key in CAMDEN_2024} | {
        "geographic_level": "Local authority",
        "old_la_code": "202",
        "region_code": "E13000001",
    }
    assert list(inconsistent_figures(row)) == []


def test_the_published_file_has_a_few_borough_contradictions_in_2020_to_2025() -> None:
    found = publication_differences(SEED, set(range(2020, 2026)))
    boroughs = {item for item in found if not item[0].startswith("E")}
    assert ("202", 2024, "absence_rate_fte") in boroughs
    assert ("305", 2022, "inpost_headcount") in boroughs
    assert 0 < len(boroughs) < 20
