"""Returns for configured authorities (LIIA_AUTHORITIES_FILE): modelled on London's profiles,
over any number of census years; and the file's reader, good and bad."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from liia.cli import main
from liia.config import Authority, load_settings, read_authorities
from liia.csww_schema import la_level_element, layout_version
from liia.errors import UsageError
from liia.generate.authorities import (
    modelled_on,
    modelled_targets,
    synthetic_authorities,
    write_authorities,
)
from liia.generate.sample import GenerateSummary, generate_sample, return_targets
from liia.load.incoming_files import default_participating
from tests.python.generate.gen_csww_reader import iter_returns

AUTHORITIES = [Authority("202", "Camden", "London"), *synthetic_authorities(2)]
YEARS = 7  # 2019-2025: one year before the 2020 layout change is covered


@pytest.fixture(scope="module")
def modelled_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerateSummary]:
    out = tmp_path_factory.mktemp("generate_authorities") / "incoming"
    return out, generate_sample(out, seed=11, authorities=AUTHORITIES, years=YEARS)


def test_a_london_return_keeps_its_profile_and_others_cycle_through_londons() -> None:
    profiles = ["203", "201", "202"]
    authorities = [
        Authority("X1", "One", "North East"),
        Authority("202", "Camden", "London"),
        Authority("X2", "Two", "North West"),
        Authority("X3", "Three", "South West"),
        Authority("X4", "Four", "South East"),
    ]
    assert modelled_on(authorities, profiles) == {
        "X1": "201",
        "202": "202",
        "X2": "202",
        "X3": "203",
        "X4": "201",
    }


def test_a_modelled_authority_takes_its_profiles_totals_under_its_own_code() -> None:
    london = return_targets(2025, years=2)
    targets = modelled_targets(london, AUTHORITIES)
    assert set(targets) == {(a.la_code, y) for a in AUTHORITIES for y in (2024, 2025)}
    first_profile = sorted({code for code, _ in london})[0]
    assert targets[("S001", 2025)] == replace(london[(first_profile, 2025)], la_code="S001")
    assert targets[("202", 2024)] == london[("202", 2024)]


def test_every_authority_gets_one_return_per_year_naming_itself(modelled_sample) -> None:
    out, summary = modelled_sample
    returns = list(iter_returns(out))
    expected = {(a.la_code, y) for a in AUTHORITIES for y in range(2019, 2026)}
    assert {(r.path.parent.name, r.census_year) for r in returns} == expected
    assert all(r.la_code == r.path.parent.name for r in returns)  # header LEA = folder
    assert summary.census_years == list(range(2019, 2026))
    assert summary.files_written == len(expected)
    assert summary.worker_records == sum(len(r.workers) for r in returns)
    assert summary.modelled == {"S001": "201", "S002": "202"}
    assert "synthetic authorities modelled" in str(summary)


def test_a_year_before_2020_uses_the_2021_layout(modelled_sample) -> None:
    out, _ = modelled_sample
    early = [r for r in iter_returns(out) if r.census_year == 2019]
    assert layout_version(2019) == 2021
    assert early and all(r.la_level_element == la_level_element(2021) for r in early)


def test_years_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="years"):
        generate_sample(tmp_path, years=0)


def test_the_loader_takes_the_participating_authorities_from_the_file(
    modelled_sample,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = modelled_sample
    only_synthetic = write_authorities(tmp_path / "authorities.csv", AUTHORITIES[1:])
    monkeypatch.setenv("LIIA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LIIA_INCOMING", str(out))
    monkeypatch.setenv("LIIA_AS_OF", "2025-11-01")
    monkeypatch.setenv("LIIA_RETAINED_YEARS", str(YEARS))
    monkeypatch.setenv("LIIA_AUTHORITIES_FILE", str(only_synthetic))
    assert load_settings().participating_authorities == {"S001", "S002"}
    assert main(["load"]) == 0
    import duckdb

    conn = duckdb.connect(str(tmp_path / "home" / "landing.duckdb"), read_only=True)
    rows = conn.execute(
        "select la_code, status, count(*) from csww.file_register group by all order by all"
    ).fetchall()
    conn.close()
    # 202 is not in the file; 2019 is before the first CSWW census year, whoever sends it.
    assert rows == [
        ("202", "rejected", YEARS),
        ("S001", "accepted", YEARS - 1),
        ("S001", "rejected", 1),
        ("S002", "accepted", YEARS - 1),
        ("S002", "rejected", 1),
    ]
    assert "202/csww_2025.xml: folder '202' is not a participating borough" in (
        capsys.readouterr().out
    )


def test_without_the_file_the_london_returns_participate(tmp_path: Path) -> None:
    settings = load_settings({"LIIA_HOME": str(tmp_path)})
    assert settings.authorities_file is None
    assert settings.participating_authorities == default_participating()
    assert len(settings.participating_authorities) == 32


def test_the_file_round_trips(tmp_path: Path) -> None:
    authorities = synthetic_authorities(150)
    path = write_authorities(tmp_path / "a.csv", authorities)
    assert read_authorities(path) == authorities
    assert len({a.region for a in authorities}) == 9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("la_code,la_name\n202,Camden\n", "no column region"),
        ("code,name,region\n202,Camden,London\n", "no column la_code, la_name"),
        ("la_code,la_name,region\n", "names no authority"),
        (
            "la_code,la_name,region\n202,Camden,London\n,Nowhere,London\n",
            "line 3: la_code is empty",
        ),
        ("la_code,la_name,region\n202,,London\n", "line 2: la_name is empty"),
        ("la_code,la_name,region\n202,Camden,London\n202,Camden again,London\n", "repeats line 2"),
        ("la_code,la_name,region\n../etc,Escape,London\n", "line 2: la_code '../etc'"),
        ("la_code,la_name,region\n2 02,Space,London\n", "not letters and digits"),
        ("la_code,la_name,region\n\uff12\uff10\uff12,Wide,London\n", "not letters and digits"),
    ],
)
def test_a_bad_authorities_file_is_refused_naming_file_line_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "authorities.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=r"authorities\.csv") as refused:
        read_authorities(path)
    assert message in str(refused.value)


def test_a_missing_authorities_file_is_refused_by_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "incoming").mkdir()
    monkeypatch.setenv("LIIA_HOME", str(tmp_path))
    monkeypatch.setenv("LIIA_AUTHORITIES_FILE", str(tmp_path / "nowhere.csv"))
    assert main(["load"]) == UsageError.exit_status
    assert "nowhere.csv cannot be read" in capsys.readouterr().err
