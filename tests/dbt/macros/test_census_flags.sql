-- census_flags: census year Y runs 1 October Y-1 to 30 September Y; leaver =
-- end date within the year, in post = no end date or one after 30 September,
-- starter = start date within the year; agency = AgencyWorker 1 only.
with

cases as (
    select t.*
    from (
        values
        -- census_year, start, end, agency_worker, leaver, in_post, starter, agency
        (2024, date '2023-10-01', cast(null as date), 0, false, true, true, false),
        (2024, null, null, 0, false, true, false, false),
        (2024, date '2023-09-30', null, 0, false, true, false, false),
        (2024, date '2024-09-30', null, 0, false, true, true, false),
        (2024, date '2024-10-01', null, 0, false, true, false, false),
        (2024, date '2020-01-01', date '2023-10-01', 1, true, false, false, true),
        (2024, date '2020-01-01', date '2023-09-30', 1, false, false, false, true),
        (2024, date '2020-01-01', date '2024-09-30', null, true, false, false, false),
        (2024, date '2020-01-01', date '2024-10-01', 2, false, true, false, false),
        (2021, date '2020-10-01', date '2021-09-30', 0, true, false, true, false),
        (2021, date '2020-02-29', date '2021-10-01', 0, false, true, false, false)
    ) as t (
        census_year, role_start_date, role_end_date, agency_worker,
        expected_leaver, expected_in_post, expected_starter, expected_agency
    )
),

actual as (
    select
        *,
        {{ census_year_start('census_year') }} as year_start,
        {{ census_year_end('census_year') }} as year_end,
        {{ is_leaver('role_end_date', 'census_year') }} as is_leaver,
        {{ is_in_post('role_end_date', 'census_year') }} as is_in_post,
        {{ is_starter('role_start_date', 'census_year') }} as is_starter,
        {{ is_agency('agency_worker') }} as is_agency,
        {{ is_la_employed('agency_worker') }} as is_la_employed
    from cases
)

select *
from actual
where
    year_start <> make_date(census_year - 1, 10, 1)
    or year_end <> make_date(census_year, 9, 30)
    or is_leaver is distinct from expected_leaver
    or is_in_post is distinct from expected_in_post
    or is_starter is distinct from expected_starter
    or is_agency is distinct from expected_agency
    or is_la_employed is distinct from (not expected_agency)
