"""The generated returns: layout, clean-data rules, people over time, determinism, messy."""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from liia.config import SEEDS_DIR
from liia.csww_schema import la_level_items, layout_version, worker_items
from liia.generate.sample import GenerateSummary, generate_sample
from liia.indicator_catalogue import catalogue
from liia.privacy.identifier_rule import normalise_identifier
from tests.python.generate.gen_csww_reader import Return, indicators, parse_return

CODE_SETS = {
    "AgencyWorker": "agency_worker", "GenderCurrent": "gender_current", "Sex": "sex",
    "Ethnicity": "ethnicity", "QualLevel": "qual_level", "StepUpGrad": "yes_no",
    "FrontlineGrad": "yes_no", "OrgRole": "org_role", "StartOrigin": "start_origin",
    "LeaverDestination": "leaver_destination", "ReasonLeave": "reason_leave",
    "Absat30Sept": "yes_no", "ReasonAbsence": "reason_absence", "CFKSSstatus": "cfkss_status",
}  # fmt: skip
LA_MANDATORY = (
    "AgencyWorker",
    "SWENo",
    "FTE",
    "PersonBirthDate",
    "Ethnicity",
    "QualLevel",
    "OrgRole",
    "RoleStartDate",
    "StartOrigin",
)
SIX_DP = re.compile(r"^\d\.\d{6}$")
TWO_DP = re.compile(r"^\d+\.\d{2}$")


def _codes() -> dict[str, set[str]]:
    codes: dict[str, set[str]] = defaultdict(set)
    with (SEEDS_DIR / "csww_code_sets.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes[row["code_set"]].add(row["code"])
    return codes


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _values(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def test_one_file_per_return_and_year(clean_dir: Path, clean_sample) -> None:
    summary: GenerateSummary = clean_sample[1]
    folders = sorted(p.name for p in clean_dir.iterdir())
    assert len(folders) == 32
    assert "318" not in folders and "314" in folders
    for folder in folders:
        names = sorted(p.name for p in (clean_dir / folder).iterdir())
        assert names == [f"csww_{year}.xml" for year in range(2020, 2026)]
    assert summary.files_written == 192
    assert summary.worker_records > 40_000
    assert not summary.injected
    assert "none" in str(summary)


def test_header_and_layout_per_year(clean_returns: list[Return]) -> None:
    for ret in clean_returns:
        layout = layout_version(ret.census_year)
        root_text = ret.path.read_text(encoding="utf-8")
        assert ret.la_code == ret.path.parent.name
        assert f"<ReferenceDate>{ret.census_year}-09-30</ReferenceDate>" in root_text
        assert "<Collection>CSWW</Collection>" in root_text
        expected_element = "LALevel" if ret.census_year >= 2025 else "LALevelVacancies"
        assert ret.la_level_element == expected_element
        assert list(ret.la_level) == [i for i in la_level_items(layout) if i in ret.la_level]
        assert {"NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount"} <= set(ret.la_level)
        order = worker_items(layout)
        for worker in ret.workers:
            assert set(worker) <= set(order)
            positions = [order.index(name) for name in worker]
            assert positions == sorted(positions), "items out of schema order"
        tags = {name for worker in ret.workers for name in worker}
        if ret.census_year == 2024:
            assert "Sex" in tags and "GenderCurrent" not in tags
        elif ret.census_year == 2025:
            assert {"BaseSalary", "RRPayments", "OtherPayments"} <= tags
            assert not tags & {"QualInst", "CFKSSstatus", "GenderCurrent"}
            assert "RecruitmentBonus" in ret.la_level
            # the 2025 layout requires every LA-level item, OtherAllowances included
            assert list(ret.la_level) == list(la_level_items(layout))
            assert ret.la_level["OtherAllowances"].strip()
        else:
            assert {"GenderCurrent", "QualInst"} <= tags and "Sex" not in tags


def test_number_formats(clean_returns: list[Return]) -> None:
    for ret in clean_returns[::7]:
        for name in ("NumberOfVacancies", "NoAgencyFTE"):
            assert TWO_DP.match(ret.la_level[name])
        for worker in ret.workers:
            for name in ("FTE", "FTE30"):
                if name in worker:
                    assert SIX_DP.match(str(worker[name])), worker[name]
            if "WorkingDaysLost" in worker:
                assert TWO_DP.match(str(worker["WorkingDaysLost"]))


def test_clean_sample_breaks_no_quality_rule(clean_returns: list[Return]) -> None:
    codes = _codes()
    problems: Counter[str] = Counter()
    for ret in clean_returns:
        start, ref = ret.year_start, ret.reference_date
        la_numbers: Counter[str] = Counter()
        for w in ret.workers:
            la_employed = w["AgencyWorker"] == "0"
            for name, code_set in CODE_SETS.items():
                for value in _values(w.get(name, [])):
                    if value not in codes[code_set]:
                        problems[f"code {name}"] += 1
            if not re.fullmatch(r"SW\d+", str(w["SWENo"])):
                problems["swe format"] += 1
            gender = "GenderCurrent" if ret.census_year < 2024 else "Sex"
            mandatory = (*LA_MANDATORY, gender) if la_employed else ("SWENo", "FTE", "OrgRole")
            problems.update(f"missing {name}" for name in mandatory if not w.get(name))
            begin = date.fromisoformat(str(w["RoleStartDate"]))
            end = date.fromisoformat(str(w["RoleEndDate"])) if "RoleEndDate" in w else None
            if begin > ref:
                problems["start after reference date"] += 1
            if end is not None:
                if end < begin:
                    problems["end before start"] += 1
                if not start <= end <= ref:
                    problems["leaver outside year"] += 1
                if float(str(w.get("FTE30", "0"))) > 0:
                    problems["leaver with FTE30"] += 1
                if la_employed and not {"LeaverDestination", "ReasonLeave"} <= set(w):
                    problems["leaver without destination"] += 1
            elif "FTE30" not in w:
                problems["in post without FTE30"] += 1
            if float(str(w.get("WorkingDaysLost", "0"))) > catalogue().days_per_fte:
                problems["days lost over a working year"] += 1
            absent = _values(w.get("Absat30Sept", []))
            if "1" in absent and not w.get("ReasonAbsence"):
                problems["absent without reason"] += 1
            if "Cases30" in w and w["OrgRole"] not in ("3", "4", "5"):
                problems["cases for a non-case-holding role"] += 1
            age = _age(date.fromisoformat(str(w["PersonBirthDate"])), ref)
            if not 21 <= age <= 70:
                problems["age outside 21-70"] += 1
            if float(str(w["FTE"])) > 1 or float(str(w.get("FTE30", "0"))) > 1:
                problems["FTE over 1"] += 1
            if la_employed:
                la_numbers[str(w["SWENo"])] += 1
        problems["duplicate SWE number"] += sum(1 for n in la_numbers.values() if n > 1)
    assert +problems == Counter()


def test_demographics_are_plausible_for_london(clean_returns: list[Return]) -> None:
    gender: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    ages: list[int] = []
    for ret in clean_returns:
        if ret.census_year != 2023:
            continue
        for w in ret.workers:
            if w["AgencyWorker"] != "0" or "RoleEndDate" in w:
                continue
            gender[str(w["GenderCurrent"])] += 1
            groups[str(w["Ethnicity"])[0]] += 1
            roles[str(w["OrgRole"])] += 1
            ages.append(_age(date.fromisoformat(str(w["PersonBirthDate"])), ret.reference_date))
    total = sum(gender.values())
    assert 0.74 < gender["2"] / total < 0.86
    for group in ("W", "B", "A"):
        assert groups[group] / total > 0.08, group
    assert roles.most_common(1)[0][0] == "5"
    assert len(set(roles)) == 6
    assert min(ages) >= 21 and max(ages) <= 70
    assert 35 <= sum(ages) / len(ages) <= 48


def test_people_persist_from_year_to_year(clean_returns: list[Return]) -> None:
    by_key = {(r.la_code, r.census_year): r for r in clean_returns}
    kept = total = changed = 0
    for (la_code, year), ret in by_key.items():
        following = by_key.get((la_code, year + 1))
        if following is None:
            continue
        later = {w["SWENo"]: w for w in following.workers if w["AgencyWorker"] == "0"}
        for w in ret.workers:
            if w["AgencyWorker"] != "0" or "RoleEndDate" in w:
                continue
            total += 1
            same = later.get(w["SWENo"])
            if same is not None:
                kept += 1
                for item in ("PersonBirthDate", "Ethnicity"):
                    assert same[item] == w[item]
                if same["RoleStartDate"] != w["RoleStartDate"]:
                    # an internal move to a new role: its start falls in the later year
                    assert str(same["RoleStartDate"]) >= f"{year}-10-01"
                    changed += 1
    assert kept / total > 0.8
    assert changed / kept < 0.05


def test_movers_between_boroughs(clean_returns: list[Return]) -> None:
    """The same SWE number in another borough's later return, mostly self-reported."""
    seen: dict[str | None, list[tuple[int, str, dict]]] = defaultdict(list)
    for ret in clean_returns:
        for w in ret.workers:
            if w["AgencyWorker"] == "0":
                swe = normalise_identifier(str(w["SWENo"]))
                seen[swe].append((ret.census_year, ret.la_code, w))
    arrivals = []
    departures = []
    for records in seen.values():
        records.sort(key=lambda r: r[0])
        for (year_a, la_a, w_a), (year_b, la_b, w_b) in itertools.pairwise(records):
            if la_a != la_b and year_b > year_a:
                assert w_a["PersonBirthDate"] == w_b["PersonBirthDate"]
                assert w_a["Ethnicity"] == w_b["Ethnicity"]
                arrivals.append(w_b)
                departures.append(w_a)
    assert len(arrivals) > 300
    from_la = sum(w["StartOrigin"] == "2" for w in arrivals) / len(arrivals)
    to_la = sum(w.get("LeaverDestination") == "1" for w in departures) / len(departures)
    assert 0.6 < from_la < 1
    assert 0.6 < to_la < 1


@pytest.mark.slow  # generates London again: make test runs it, test-fast does not
def test_same_seed_same_bytes_other_seed_differs(clean_dir: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_sample(again, seed=2025)
    files = sorted(p.relative_to(clean_dir) for p in clean_dir.rglob("*.xml"))
    assert files == sorted(p.relative_to(again) for p in again.rglob("*.xml"))
    for name in files:
        assert (clean_dir / name).read_bytes() == (again / name).read_bytes(), name
    other = tmp_path / "other"
    generate_sample(other, seed=7)
    assert (other / "202" / "csww_2024.xml").read_bytes() != (
        clean_dir / "202" / "csww_2024.xml"
    ).read_bytes()


def test_clean_manifest_is_empty(clean_sample) -> None:
    out, _ = clean_sample
    assert (out / "manifest.json").read_text().strip() == "[]"


@pytest.mark.slow  # generates London again: make test runs it, test-fast does not
def test_scale_multiplies_the_workforce(tmp_path: Path, clean_returns: list[Return]) -> None:
    generate_sample(tmp_path, seed=2025, scale=2, as_of_year=2025)
    base = {(r.la_code, r.census_year): indicators(r) for r in clean_returns}
    paths = sorted(tmp_path.glob("*/csww_*.xml"))
    assert len(paths) == 192
    for ret in (parse_return(path) for path in paths[::23]):
        figures = indicators(ret)
        assert figures.inpost_headcount == 2 * base[(ret.la_code, ret.census_year)].inpost_headcount
        numbers = [w["SWENo"] for w in ret.workers if w["AgencyWorker"] == "0"]
        assert len(numbers) == len(set(numbers))


def test_messy_sample_records_every_injection(messy_sample) -> None:
    folder, manifest = messy_sample
    kinds = Counter(entry["kind"] for entry in manifest)
    assert set(kinds) == {
        "missing_mandatory_item", "code_outside_list", "end_before_start",
        "leaver_with_fte30", "non_canonical_swe_number", "duplicate_worker",
    }  # fmt: skip
    codes = _codes()
    files: dict[tuple[str, int], Return] = {}
    for entry in manifest:
        key = (entry["la_code"], entry["census_year"])
        if key not in files:
            files[key] = parse_return(folder / key[0] / f"csww_{key[1]}.xml")
        worker = files[key].workers[entry["record_number"] - 1]
        kind, item = entry["kind"], entry["item"]
        if kind == "missing_mandatory_item":
            assert item not in worker
        elif kind == "code_outside_list":
            assert str(worker[item]) not in codes[CODE_SETS[item]]
        elif kind == "end_before_start":
            assert str(worker["RoleEndDate"]) < str(worker["RoleStartDate"])
        elif kind == "leaver_with_fte30":
            assert "RoleEndDate" in worker and float(str(worker["FTE30"])) > 0
        elif kind == "non_canonical_swe_number":
            number = str(worker["SWENo"])
            assert number != normalise_identifier(number)
            assert re.fullmatch(r"SW\d+", normalise_identifier(number) or "")
        else:
            assert worker == files[key].workers[entry["record_number"] - 2]
    # about 2% of the LA-employed records get each kind
    la_employed = sum(
        p.read_text(encoding="utf-8").count("<AgencyWorker>0</AgencyWorker>")
        for p in folder.glob("*/csww_*.xml")
    )
    for kind in ("missing_mandatory_item", "code_outside_list", "duplicate_worker"):
        assert 0.01 < kinds[kind] / la_employed < 0.03, kind
