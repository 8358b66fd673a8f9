-- One accepted return (borough, census year): the base figures every DfE
-- indicator is built from (docs/methodology.md#indicators). Rates are not computed
-- here: fct_la_indicators divides these sums, for boroughs and for regions.

with

workers as (
    select
        *,
        -- The person a headcount counts once. A record without a SWE number
        -- is a person of its own: otherwise every such record sharing a birth
        -- month, gender and ethnicity would collapse into one head.
        coalesce(swe_number_hash, 'record ' || file_id || '/' || record_number) as person_key
    from {{ ref('int_csww__worker_census') }}
),

la_level as (
    select * from {{ ref('stg_csww__la_level') }}
),

returns as (
    select * from {{ ref('int_csww__accepted_returns') }}
),

worker_figures as (
    select
        la_code,
        census_year,
        count(*) as worker_records,
        -- LA-employed in post; FTE30 missing is excluded from the sum.
        sum(fte30) filter (where is_la_employed and is_in_post) as inpost_fte,
        -- Headcount: distinct (LA, hashed SWE number, birth month, gender, ethnicity).
        count(distinct {{ row_of(['person_key', 'birth_month', 'gender', 'ethnicity']) }})
        filter (where is_la_employed and is_in_post) as inpost_headcount,
        sum(fte) filter (where is_la_employed and is_starter) as starters_fte,
        count(distinct {{ row_of(['person_key', 'birth_month', 'gender', 'ethnicity', 'role_start_date']) }})
        filter (where is_la_employed and is_starter) as starters_headcount,
        sum(fte) filter (where is_la_employed and is_leaver) as leavers_fte,
        count(distinct {{ row_of(['person_key', 'birth_month', 'gender', 'ethnicity', 'role_end_date']) }})
        filter (where is_la_employed and is_leaver) as leavers_headcount,
        -- Agency in post: duplicates are not removed.
        sum(fte30) filter (where is_agency and is_in_post) as agency_fte,
        count(*) filter (where is_agency and is_in_post) as agency_records,
        -- Cases and case holders: every worker in post, agency included.
        sum(cases30) filter (where is_in_post) as cases,
        sum(fte30) filter (where is_in_post and is_case_holder) as case_holders_fte,
        sum(working_days_lost) filter (where is_la_employed and is_in_post) as working_days_lost_fte
    from workers
    group by la_code, census_year
),

final as (
    select
        returns.la_code,
        returns.census_year,
        returns.file_id,
        coalesce(worker_figures.worker_records, 0) as worker_records,
        cast(coalesce(worker_figures.inpost_fte, 0) as decimal(18, 6)) as inpost_fte,
        coalesce(worker_figures.inpost_headcount, 0) as inpost_headcount,
        cast(coalesce(worker_figures.starters_fte, 0) as decimal(18, 6)) as starters_fte,
        coalesce(worker_figures.starters_headcount, 0) as starters_headcount,
        cast(coalesce(worker_figures.leavers_fte, 0) as decimal(18, 6)) as leavers_fte,
        coalesce(worker_figures.leavers_headcount, 0) as leavers_headcount,
        cast(coalesce(worker_figures.agency_fte, 0) as decimal(18, 6)) as agency_fte,
        coalesce(worker_figures.agency_records, 0) as agency_records,
        cast(la_level.number_of_vacancies as decimal(18, 6)) as vacancy_fte,
        cast(la_level.no_agency_fte as decimal(18, 6)) as agency_cover_fte,
        la_level.no_agency_headcount as agency_cover_headcount,
        cast(coalesce(worker_figures.cases, 0) as bigint) as cases,
        cast(coalesce(worker_figures.case_holders_fte, 0) as decimal(18, 6)) as case_holders_fte,
        cast(coalesce(worker_figures.working_days_lost_fte, 0) as decimal(18, 2)) as working_days_lost_fte
    from returns
    left join worker_figures
        on
            returns.la_code = worker_figures.la_code
            and returns.census_year = worker_figures.census_year
    left join la_level
        on returns.file_id = la_level.file_id
)

select * from final
