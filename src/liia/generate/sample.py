"""``liia generate-sample``: synthetic CSWW returns for every London return and census year.

Clean returns reproduce each borough-year's published DfE base figures (and, where the
published figures allow it, its published rates); ``messy`` adds known data-quality
problems. The same seed always writes the same bytes.

``authorities`` and ``years`` (benchmarks) write returns for other authorities, each
modelled on a London borough's profile and not calibrated (liia.generate.authorities),
over more or fewer census years than the six kept.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from liia.config import Authority
from liia.csww_schema import layout_version
from liia.generate.authorities import modelled_on, modelled_targets
from liia.generate.calibrate import ReturnTargets, calibrate
from liia.generate.messy import INJECTION_KINDS, Injection, inject_problems
from liia.generate.people import SweNumbers
from liia.generate.published import borough_year_figures, read_return_codes, regional_figures
from liia.generate.records import centi_text, record_items
from liia.generate.regional import reconcile_regions
from liia.generate.workforce import BoroughState, Mover, ReturnBuilder, ReturnData
from liia.generate.xml_writer import render_return

CENSUS_YEARS_KEPT = 6


@dataclass
class GenerateSummary:
    """What a run of the generator wrote."""

    out_dir: Path
    census_years: list[int]
    files_written: int = 0
    worker_records: int = 0
    la_employed_records: int = 0
    agency_records: int = 0
    movers: int = 0
    seconds: float = 0.0
    injected: Counter[str] = field(default_factory=Counter)
    imputed_returns: list[str] = field(default_factory=list)
    publication_differences: list[str] = field(default_factory=list)
    manifest_path: Path | None = None
    # Authorities that are not London returns: code -> the London return they copy.
    modelled: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        years = f"{self.census_years[0]}-{self.census_years[-1]}"
        lines = [
            f"Wrote {self.files_written} CSWW returns ({years}) to {self.out_dir} "
            f"in {self.seconds:.1f} s",
            f"  worker records: {self.worker_records} ({self.la_employed_records} LA-employed, "
            f"{self.agency_records} agency)",
            f"  movers between boroughs: {self.movers}",
        ]
        if self.modelled:
            lines.append(
                f"  {len(self.modelled)} synthetic authorities modelled on the London "
                "boroughs' profiles: not calibrated to any published figure"
            )
        calibrated = "London returns calibrated" if self.modelled else "calibrated"
        lines += [
            f"  {calibrated} to the DfE published figures; figures imputed from regional totals "
            f"for {len(self.imputed_returns)} returns: {', '.join(self.imputed_returns) or '-'}",
            f"  published rates not reproducible from their own base figures "
            f"({len(self.publication_differences)}): "
            f"{', '.join(self.publication_differences) or '-'}",
        ]
        if self.injected:
            total = sum(self.injected.values())
            kinds = ", ".join(f"{kind} {self.injected[kind]}" for kind in INJECTION_KINDS)
            lines.append(f"  injected problems: {total} ({kinds})")
        else:
            lines.append("  injected problems: none (clean sample)")
        if self.manifest_path is not None:
            lines.append(f"  manifest: {self.manifest_path}")
        return "\n".join(lines)


def census_years_up_to(as_of_year: int, count: int = CENSUS_YEARS_KEPT) -> list[int]:
    """The ``count`` census years ending at ``as_of_year``."""
    if count < 1:
        raise ValueError("years must be a positive whole number")
    return list(range(as_of_year - count + 1, as_of_year + 1))


def return_targets(
    as_of_year: int = 2025, scale: int = 1, years: int = CENSUS_YEARS_KEPT
) -> dict[tuple[str, int], ReturnTargets]:
    """The calibrated totals of every London return the generator writes, ``years``
    census years up to ``as_of_year`` (a year DfE has not published takes the nearest
    published year's figures)."""
    codes = set(read_return_codes())
    census_years = census_years_up_to(as_of_year, years)
    figures = borough_year_figures(census_years)
    calibrated = {
        key: calibrate(figure) for key, figure in sorted(figures.items()) if key[0] in codes
    }
    reconciled = reconcile_regions(calibrated, figures, regional_figures(census_years))
    return {key: t.scaled(scale) for key, t in reconciled.items()}


def _la_level(data: ReturnData) -> dict[str, str]:
    # Every LA-level value; the writer keeps those of the return's layout
    # (csww_schema.la_level_items: the pay incentives from 2025).
    return {
        "NumberOfVacancies": centi_text(data.vacancies),
        "NoAgencyFTE": centi_text(data.agency_cover),
        "NoAgencyHeadcount": str(data.agency_headcount),
        **data.pay_incentives,
    }


def generate_sample(
    out_dir: Path,
    *,
    as_of_year: int = 2025,
    seed: int = 2025,
    messy: bool = False,
    scale: int = 1,
    manifest_path: Path | None = None,
    authorities: Sequence[Authority] | None = None,
    years: int = CENSUS_YEARS_KEPT,
) -> GenerateSummary:
    """Write ``<out_dir>/<la_code>/csww_<year>.xml`` for every return and the ``years``
    census years up to ``as_of_year``: every London return, or each of ``authorities``."""
    if scale < 1:
        raise ValueError("scale must be a positive whole number")
    began = time.perf_counter()
    census_years = census_years_up_to(as_of_year, years)
    targets = return_targets(as_of_year, scale, years)
    summary = GenerateSummary(
        out_dir=out_dir, census_years=census_years, manifest_path=manifest_path
    )
    if authorities is not None:
        profiles = modelled_on(authorities, sorted({code for code, _ in targets}))
        summary.modelled = {code: p for code, p in profiles.items() if code != p}
        targets = modelled_targets(targets, authorities)
    codes = sorted({code for code, _ in targets})
    for t in targets.values():
        if t.la_code in summary.modelled:  # a copy of a London profile: reported there
            continue
        if t.imputed and f"{t.la_code} {t.census_year}" not in summary.imputed_returns:
            summary.imputed_returns.append(f"{t.la_code} {t.census_year}")
        summary.publication_differences += [
            f"{t.la_code} {t.census_year} {name}" for name in t.unreproducible
        ]

    rng = random.Random(seed)
    # Six-digit numbers run short beyond about four Londons' worth of people.
    londons = scale * max(1.0, len(codes) / len(read_return_codes()))
    builder = ReturnBuilder(rng, SweNumbers(random.Random(seed + 1), 6 if londons <= 4 else 8))
    mess_rng = random.Random(seed + 2)
    states = {code: BoroughState(code) for code in codes}
    # every kind of problem at least once: forced, if chance missed one, in the largest return
    largest = max(codes, key=lambda code: targets[(code, census_years[-1])].inpost_headcount)
    injections: list[Injection] = []
    pool: list[Mover] = []
    for year in census_years:
        layout = layout_version(year)
        leaving: list[Mover] = []
        for code in codes:
            data = builder.build(states[code], targets[(code, year)], pool, leaving)
            summary.movers += data.movers_in
            workers = [record_items(r, layout) for r in data.records]
            if messy:
                force = frozenset(INJECTION_KINDS) if code == largest else frozenset()
                workers, found = inject_problems(workers, code, year, mess_rng, force=force)
                injections += found
            folder = out_dir / code
            folder.mkdir(parents=True, exist_ok=True)
            text = render_return(code, year, layout, _la_level(data), workers)
            (folder / f"csww_{year}.xml").write_text(text, encoding="utf-8")
            summary.files_written += 1
            summary.worker_records += len(workers)
            agency = sum(1 for w in workers if w.get("AgencyWorker") == "1")
            summary.agency_records += agency
            summary.la_employed_records += len(workers) - agency
        pool = leaving
    summary.injected.update(i.kind for i in injections)
    if manifest_path is not None:
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        entries = [i.as_dict() for i in injections]
        manifest_path.write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")
    summary.seconds = time.perf_counter() - began
    return summary
