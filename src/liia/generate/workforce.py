"""A borough's workforce year by year: who stays, leaves, joins and moves between boroughs.

Each census year's return is built to its ``ReturnTargets`` exactly: the people in post,
starters and leavers are chosen first (people persist from one year to the next), then
their FTEs, cases and days lost are fitted to the targets' totals.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from liia.csww_schema import PAY_INCENTIVE_ITEMS
from liia.generate.calibrate import MICRO, ReturnTargets
from liia.generate.fit import InfeasibleTotalError, apportion, fit_total
from liia.generate.people import (
    CASE_HOLDING_ROLES,
    LEAVER_DESTINATION_WEIGHTS,
    REASON_LEAVE_WEIGHTS,
    START_ORIGIN_WEIGHTS,
    Person,
    Spell,
    SweNumbers,
    age_at,
    census_start,
    new_person,
    new_spell,
    random_date,
    reference_date,
    weighted,
)
from liia.generate.records import WorkerRecord
from liia.indicator_catalogue import catalogue

LOWEST_FTE = 50_000  # 0.05
# A working year (the catalogue's days per FTE), in hundredths: more is a quality finding.
MOST_DAYS_LOST = catalogue().days_per_fte * 100
_TYPICAL_STARTER_FTE = 930_000
_TYPICAL_SHORT_STAY_FTE = 850_000
_MOVER_SHARE_OF_LEAVERS = 0.3
_MOVER_SHARE_OF_STARTERS = 0.35


@dataclass
class Mover:
    """A leaver on the way to another London borough's next return."""

    person: Person
    from_la: str
    left_on: date


@dataclass
class BoroughState:
    """Who is in post in a borough at the end of the latest census year."""

    la_code: str
    in_post: list[Spell] = field(default_factory=list)
    agency: list[Spell] = field(default_factory=list)
    started: bool = False


@dataclass
class ReturnData:
    """One generated return: LA-level figures and worker records."""

    la_code: str
    census_year: int
    vacancies: int  # centi
    agency_cover: int  # centi
    agency_headcount: int
    pay_incentives: dict[str, str]
    records: list[WorkerRecord]
    movers_in: int


@dataclass
class _Plan:
    short_stays: int  # joined and left within the year
    short_stay_fte: int
    inpost_starters: int
    inpost_starter_fte: int


def plan_starters(t: ReturnTargets, stock: int | None) -> _Plan:
    """How many starters and short stays, and their FTE totals, fit the targets.

    ``stock`` is the number in post at the start of the year (None for the first year,
    whose stock is made to fit).
    """
    fte_in, heads = t.inpost_fte, t.inpost_headcount
    slack = heads * MICRO - fte_in
    preferred_short = round(t.leavers_headcount * 0.07)
    short_options = sorted(
        range(t.leavers_headcount + 1), key=lambda k: (abs(k - preferred_short), k)
    )
    for short in short_options:
        earlier = t.leavers_headcount - short
        if stock is not None and earlier > stock:
            continue
        lo = max(short * LOWEST_FTE, t.leavers_fte - earlier * MICRO)
        hi = min(short * MICRO, t.leavers_fte - earlier * LOWEST_FTE, t.starters_fte)
        if lo > hi:
            continue
        preferred_rem = t.starters_fte - min(max(short * _TYPICAL_SHORT_STAY_FTE, lo), hi)
        preferred_n = round(preferred_rem / _TYPICAL_STARTER_FTE)
        for n in sorted(range(heads + 1), key=lambda n: (abs(n - preferred_n), n)):
            rem_lo = max(n * LOWEST_FTE, t.starters_fte - hi, n * MICRO - slack)
            rem_hi = min(n * MICRO, t.starters_fte - lo, fte_in - (heads - n) * LOWEST_FTE)
            if n == 0:
                rem_lo = max(rem_lo, 0)
                rem_hi = min(rem_hi, 0)
            if rem_lo <= rem_hi:
                rem = min(max(preferred_rem, rem_lo), rem_hi)
                return _Plan(short, t.starters_fte - rem, n, rem)
    raise InfeasibleTotalError(f"no starters/leavers split fits return {t.la_code} {t.census_year}")


class ReturnBuilder:
    """Builds each year's return of every borough; carries people between years."""

    def __init__(self, rng: random.Random, swe: SweNumbers) -> None:
        self.rng = rng
        self.swe = swe
        self._current_start = date.min

    # -- people -----------------------------------------------------------------------
    def _stock_spell(self, year: int, agency: bool) -> Spell:
        rng = self.rng
        start = census_start(year)
        person = new_person(rng, self.swe, start - timedelta(days=1), newly_qualified=False)
        earliest = date(person.birth_date.year + 22, person.birth_date.month, 1)
        tenure_days = int(rng.expovariate(1 / (365 * (1.5 if agency else 4)))) + 1
        role_start = max(start - timedelta(days=tenure_days), earliest)
        role_start = min(role_start, start - timedelta(days=1))
        origin = int(weighted(rng, START_ORIGIN_WEIGHTS))
        return new_spell(rng, person, agency=agency, role_start=role_start, start_origin=origin)

    def _joiner_spell(
        self, year: int, pool: list[Mover], la_code: str, *, starter: bool
    ) -> tuple[Spell, bool]:
        """A new person in post: a starter (role starts this year) or a late-reported joiner."""
        rng = self.rng
        start, ref = census_start(year), reference_date(year)
        if starter:
            role_start = random_date(rng, start, ref)
        else:
            role_start = random_date(rng, start - timedelta(days=120), start - timedelta(days=1))
        mover = None
        if starter and pool and rng.random() < _MOVER_SHARE_OF_STARTERS:
            mover = self._take_mover(pool, la_code, ref)
        if mover is not None:
            origin = 2 if rng.random() < 0.85 else rng.choice((9, 4, 8))
            spell = new_spell(
                rng, mover.person, agency=False, role_start=role_start, start_origin=origin
            )
            if spell.org_role in (1, 2) and rng.random() < 0.5:
                spell.org_role = 5
            return spell, True
        origin = int(weighted(rng, START_ORIGIN_WEIGHTS))
        person = new_person(rng, self.swe, ref, newly_qualified=origin == 1)
        return new_spell(
            rng, person, agency=False, role_start=role_start, start_origin=origin
        ), False

    def _take_mover(self, pool: list[Mover], la_code: str, ref: date) -> Mover | None:
        for _ in range(6):
            i = self.rng.randrange(len(pool))
            mover = pool[i]
            if mover.from_la != la_code and age_at(mover.person.birth_date, ref) <= 68:
                pool[i] = pool[-1]
                pool.pop()
                return mover
        return None

    # -- one return -------------------------------------------------------------------
    def build(
        self,
        state: BoroughState,
        t: ReturnTargets,
        pool: list[Mover],
        leaving_movers: list[Mover],
    ) -> ReturnData:
        rng = self.rng
        year = t.census_year
        start, ref = census_start(year), reference_date(year)
        self._current_start = start

        if not state.started:
            plan = plan_starters(t, None)
            earlier = t.leavers_headcount - plan.short_stays
            stock = t.inpost_headcount - plan.inpost_starters + earlier
            state.in_post = [self._stock_spell(year, agency=False) for _ in range(stock)]
            state.agency = [
                self._stock_spell(year, agency=True)
                for _ in range(round(t.agency_fte / _TYPICAL_STARTER_FTE * 0.6))
            ]
            state.started = True
        else:
            plan = plan_starters(t, len(state.in_post))

        # Who leaves, who stays.
        previous = state.in_post
        earlier = t.leavers_headcount - plan.short_stays
        leaving_index = set(rng.sample(range(len(previous)), earlier))
        leaving = [s for i, s in enumerate(previous) if i in leaving_index]
        staying = [s for i, s in enumerate(previous) if i not in leaving_index]
        rng.shuffle(staying)
        staying = staying[: t.inpost_headcount]  # any surplus left without a leaver record
        joiners = t.inpost_headcount - len(staying)

        # New people in post: starters first, then late-reported joiners; internal role
        # changes make up any starters beyond the new people.
        movers_in = 0
        new_starters: list[Spell] = []
        late: list[Spell] = []
        for i in range(joiners):
            spell, moved = self._joiner_spell(
                year, pool, t.la_code, starter=i < plan.inpost_starters
            )
            movers_in += moved
            (new_starters if i < plan.inpost_starters else late).append(spell)
        changers = staying[: max(plan.inpost_starters - joiners, 0)]
        for spell in changers:
            spell.role_start = random_date(rng, start, ref)
        starters = new_starters + changers
        settled = staying[len(changers) :] + late

        short_stays = []
        for _ in range(plan.short_stays):
            spell, moved = self._joiner_spell(year, pool, t.la_code, starter=True)
            movers_in += moved
            short_stays.append(spell)

        # FTEs fitted to the exact totals.
        fte = self._fit_fte
        for spell, value in zip(starters, fte(starters, plan.inpost_starter_fte), strict=True):
            spell.fte = value
        settled_fte = t.inpost_fte - plan.inpost_starter_fte
        for spell, value in zip(settled, fte(settled, settled_fte), strict=True):
            spell.fte = value
        short_fte = fte(short_stays, plan.short_stay_fte)
        leaver_fte = fte(leaving, t.leavers_fte - plan.short_stay_fte)

        agency_in_post, agency_leaving = self._agency(state, t)

        records: list[WorkerRecord] = []
        in_post = starters + settled
        for spell in in_post:
            if spell.cfkss_status == 1 and spell.role_start < start:
                spell.cfkss_status = 2
            records.append(self._record(spell, spell.fte, fte30=spell.fte))
        for spell in agency_in_post:
            record = self._record(spell, spell.fte, fte30=spell.fte)
            weeks = max((ref - max(spell.role_start, start)).days * 10 // 7, 10)
            record.contract_weeks = min(weeks, 520)
            records.append(record)
        in_post_records = list(records)
        self._assign_cases(in_post_records, t)
        self._assign_days_lost([r for r in in_post_records if not r.agency], t)

        for spell, value in zip(leaving, leaver_fte, strict=True):
            end = random_date(rng, start, ref)
            records.append(self._leaver(spell, value, end, t.la_code, leaving_movers))
        for spell, value in zip(short_stays, short_fte, strict=True):
            last_start = min(spell.role_start, ref - timedelta(days=1))
            spell.role_start = last_start
            end = random_date(rng, last_start + timedelta(days=1), ref)
            records.append(self._leaver(spell, value, end, t.la_code, leaving_movers))
        for spell in agency_leaving:
            record = self._record(spell, spell.fte)
            record.role_end = random_date(
                rng, max(spell.role_start + timedelta(days=1), start), ref
            )
            records.append(record)
        if year >= 2025:
            self._pay(records)
        rng.shuffle(records)

        state.in_post = in_post
        state.agency = agency_in_post
        return ReturnData(
            la_code=t.la_code,
            census_year=year,
            vacancies=t.vacancy_fte,
            agency_cover=t.agency_cover_fte,
            agency_headcount=self._agency_headcount(t, len(agency_in_post)),
            pay_incentives=self._pay_incentives(),
            records=records,
            movers_in=movers_in,
        )

    def _fit_fte(self, spells: list[Spell], total: int) -> list[int]:
        return fit_total(
            [s.fte for s in spells],
            total,
            LOWEST_FTE,
            MICRO,
            self.rng,
            quantum=100_000,
            max_step=500_000,
        )

    def _record(self, spell: Spell, fte: int, *, fte30: int | None = None) -> WorkerRecord:
        return WorkerRecord(
            person=spell.person,
            agency=spell.agency,
            org_role=spell.org_role,
            role_start=spell.role_start,
            start_origin=spell.start_origin,
            fte=fte,
            fte30=fte30,
            cfkss_status=spell.cfkss_status,
            base_salary=spell.base_salary,
        )

    def _leaver(
        self, spell: Spell, fte: int, end: date, la_code: str, leaving_movers: list[Mover]
    ) -> WorkerRecord:
        rng = self.rng
        record = self._record(spell, fte)
        record.role_end = end
        age = age_at(spell.person.birth_date, end)
        if age <= 64 and rng.random() < _MOVER_SHARE_OF_LEAVERS:
            leaving_movers.append(Mover(spell.person, la_code, end))
            record.leaver_destination = 1 if rng.random() < 0.85 else 8
            record.reason_leave = 1
        else:
            record.leaver_destination = int(weighted(rng, LEAVER_DESTINATION_WEIGHTS))
            retiring = age >= 58 and rng.random() < 0.5
            record.reason_leave = 5 if retiring else int(weighted(rng, REASON_LEAVE_WEIGHTS))
        return record

    def _agency(self, state: BoroughState, t: ReturnTargets) -> tuple[list[Spell], list[Spell]]:
        """Agency workers in post (FTE30 summing to the target) and those who left."""
        rng = self.rng
        if t.agency_fte == 0:
            return [], list(state.agency)
        fewest = math.ceil(t.agency_fte / MICRO)
        most = max(fewest, t.agency_fte // LOWEST_FTE)
        count = min(max(round(t.agency_fte / _TYPICAL_STARTER_FTE), fewest), most)
        previous = list(state.agency)
        rng.shuffle(previous)
        keep = min(len(previous), round(count * 0.65))
        staying, leaving = previous[:keep], previous[keep:]
        start, ref = census_start(t.census_year), reference_date(t.census_year)
        for _ in range(count - keep):
            role_start = random_date(rng, start, ref)
            person = new_person(rng, self.swe, ref, newly_qualified=False)
            staying.append(
                new_spell(rng, person, agency=True, role_start=role_start, start_origin=4)
            )
        for spell, value in zip(staying, self._fit_fte(staying, t.agency_fte), strict=True):
            spell.fte = value
        return staying, leaving

    def _assign_cases(self, in_post: list[WorkerRecord], t: ReturnTargets) -> None:
        """Choose case holders whose FTE30 sums to the target and share the cases out."""
        rng = self.rng
        rank = {5: 0, 4: 1, 3: 2, 6: 3, 2: 4, 1: 5}
        for attempt in range(100):
            # Case-holding roles first; then (a small, mostly full-time return whose
            # part-timers hold other roles) in any order, so a part-timer can hold cases.
            order = sorted(
                in_post, key=lambda r: (rank[r.org_role] if attempt < 50 else 0, rng.random())
            )
            holders, others = self._holders_fitting(order, t.case_holders_fte)
            if sum(r.fte30 or 0 for r in holders) == t.case_holders_fte:
                break
        else:
            raise InfeasibleTotalError(
                f"no case holders' FTE of {t.case_holders_fte} in {t.la_code} {t.census_year}"
            )
        for record in holders:
            if record.org_role not in CASE_HOLDING_ROLES:
                record.org_role = 5
        for record in others:
            if record.org_role == 5:
                record.org_role = 6
        weights = [(r.fte30 or 0) * rng.uniform(0.6, 1.4) for r in holders]
        for record, cases in zip(holders, apportion(t.cases, weights, minimum=1), strict=True):
            record.cases30 = cases
        for record in others:
            if record.org_role in (4, 3):
                record.cases30 = 0

    def _holders_fitting(
        self, order: list[WorkerRecord], target: int
    ) -> tuple[list[WorkerRecord], list[WorkerRecord]]:
        """Case holders (first in ``order``) whose FTE30 is moved to sum to ``target``."""
        holders: list[WorkerRecord] = []
        total = 0
        for record in order:
            if total >= target:
                break
            holders.append(record)
            total += record.fte30 or 0
        others = order[len(holders) :]
        for _ in range(3):
            gap = target - sum(r.fte30 or 0 for r in holders)
            try:
                self._balance(holders, others, gap)
                break
            except InfeasibleTotalError:
                if gap < 0 and holders:
                    others.insert(0, holders.pop())
                elif gap > 0 and others:
                    holders.append(others.pop(0))
        return holders, others

    def _balance(self, holders: list[WorkerRecord], others: list[WorkerRecord], gap: int) -> None:
        """Move FTE between a case holder and a non-holder of the same group (starters,
        other LA-employed, agency) until holders' FTE30 hits its target; group totals stay."""
        if gap == 0:
            return
        rng = self.rng
        by_group: dict[tuple[bool, bool], list[WorkerRecord]] = {}
        for record in others:
            by_group.setdefault(self._group(record), []).append(record)
        shuffled = list(holders)
        rng.shuffle(shuffled)
        for holder in shuffled:
            for other in by_group.get(self._group(holder), []):
                if gap == 0:
                    return
                if (holder.fte30 == MICRO and gap > 0) or (holder.fte30 == LOWEST_FTE and gap < 0):
                    break
                if gap > 0:  # holders need more: take from a non-holder
                    move = min(gap, MICRO - holder.fte30, other.fte30 - LOWEST_FTE)
                else:
                    move = -min(-gap, holder.fte30 - LOWEST_FTE, MICRO - other.fte30)
                if move:
                    holder.fte30 += move
                    holder.fte = holder.fte30
                    other.fte30 -= move
                    other.fte = other.fte30
                    gap -= move
        if gap:
            raise InfeasibleTotalError(f"case holders' FTE is {gap} short of its target")

    def _group(self, record: WorkerRecord) -> tuple[bool, bool]:
        """Records whose FTE can be swapped without changing a published total."""
        return record.agency, not record.agency and record.role_start >= self._current_start

    def _assign_days_lost(self, la_in_post: list[WorkerRecord], t: ReturnTargets) -> None:
        rng = self.rng
        if not la_in_post:
            return
        mean = t.working_days_lost / max(0.55 * len(la_in_post), 1)
        preferred = [
            min(int(rng.expovariate(1 / mean)) // 50 * 50, MOST_DAYS_LOST)
            if rng.random() < 0.55 and mean > 0
            else 0
            for _ in la_in_post
        ]
        values = fit_total(
            preferred, t.working_days_lost, 0, MOST_DAYS_LOST, rng, quantum=50, max_step=2_000
        )
        for record, days in zip(la_in_post, values, strict=True):
            record.working_days_lost = days
            record.absent_at_30_sept = 0
            if days >= 2_000 and rng.random() < 0.25:
                record.absent_at_30_sept = 1
                record.absence_reason = rng.choices(
                    ("SIC", "MAT", "OTH", "UNP", "TRN"), weights=(60, 28, 6, 4, 2)
                )[0]

    def _agency_headcount(self, t: ReturnTargets, agency_count: int) -> int:
        if t.agency_cover_fte == 0:
            return 0
        fewest = math.ceil(t.agency_cover_fte / 100)
        if not agency_count or not t.agency_fte:
            return fewest
        per_head = t.agency_fte / agency_count / MICRO
        return max(fewest, round(t.agency_cover_fte / 100 / per_head))

    def _pay_incentives(self) -> dict[str, str]:
        rng = self.rng
        values = {
            name: str(rng.choices((0, 1, 2), weights=(5, 3, 2))[0]) for name in PAY_INCENTIVE_ITEMS
        }
        # The 2025 layout requires OtherAllowances: a borough without one writes "None".
        values["OtherAllowances"] = "None"
        if rng.random() < 0.4:
            values["OtherAllowances"] = rng.choice(
                ("Market supplement", "Key worker housing support", "Professional fees paid")
            )
        return values

    def _pay(self, records: list[WorkerRecord]) -> None:
        rng = self.rng
        for record in records:
            if record.agency:
                continue
            if rng.random() < 0.15:
                record.rr_payments = rng.randrange(500, 5_000) * 100
            if rng.random() < 0.1:
                record.other_payments = rng.randrange(100, 2_500) * 100
