-- One worker record of an accepted return, linked to the same hashed SWE
-- number's previous and next accepted returns (any borough). When a worker
-- appears in several boroughs' returns of the linked year, the record's own
-- borough is preferred (a continuation), else the lowest borough code.

with

workers as (
    select * from {{ ref('int_csww__workers_conformed') }}
),

appearances as (
    select
        swe_number_hash,
        census_year,
        {{ list_sorted(list_agg('la_code', distinct=true)) }} as la_codes
    from workers
    where swe_number_hash is not null
    group by swe_number_hash, census_year
),

neighbours as (
    select
        swe_number_hash,
        census_year,
        lag(census_year) over by_year as previous_census_year,
        lag(la_codes) over by_year as previous_la_codes,
        lead(census_year) over by_year as next_census_year,
        lead(la_codes) over by_year as next_la_codes
    from appearances
    window by_year as (partition by swe_number_hash order by census_year)
),

linked as (
    select
        workers.file_id,
        workers.record_number,
        workers.la_code,
        workers.census_year,
        workers.swe_number_hash,
        neighbours.previous_census_year,
        case
            when {{ list_has('neighbours.previous_la_codes', 'workers.la_code') }} then workers.la_code
            else {{ list_smallest('neighbours.previous_la_codes') }}
        end as previous_la_code,
        coalesce({{ list_length('neighbours.previous_la_codes') }}, 0) as previous_la_count,
        neighbours.next_census_year,
        case
            when {{ list_has('neighbours.next_la_codes', 'workers.la_code') }} then workers.la_code
            else {{ list_smallest('neighbours.next_la_codes') }}
        end as next_la_code,
        coalesce({{ list_length('neighbours.next_la_codes') }}, 0) as next_la_count
    from workers
    left join neighbours
        on
            workers.swe_number_hash = neighbours.swe_number_hash
            and workers.census_year = neighbours.census_year
),

final as (
    select
        *,
        census_year - previous_census_year as years_since_previous,
        next_census_year - census_year as years_to_next,
        coalesce(previous_la_code <> la_code, false) as is_moved_from_other_borough,
        coalesce(next_la_code <> la_code, false) as is_moved_to_other_borough,
        swe_number_hash is not null as is_linkable,
        (swe_number_hash is not null and previous_census_year is null) as is_first_return,
        (swe_number_hash is not null and next_census_year is null) as is_last_return
    from linked
)

select * from final
