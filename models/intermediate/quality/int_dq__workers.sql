-- One worker record of an accepted return with the facts the quality rules
-- need: census-year dates, LA-employed / in-post flags and absence facts.
with

workers as (
    select * from {{ ref('stg_csww__workers') }}
),

derived as (
    select
        file_id,
        la_code,
        census_year,
        layout_version,
        record_number,
        swe_number_hash,
        swe_number_form,
        birth_date_form,
        age_at_census,
        agency_worker,
        org_role,
        role_start_date,
        role_end_date,
        fte30,
        cases30,
        working_days_lost,
        make_date(census_year - 1, 10, 1) as census_year_start,
        make_date(census_year, 9, 30) as reference_date,
        -- LA-employed = not agency; a record without a readable AgencyWorker
        -- is held to the stricter LA-employed rules.
        coalesce(agency_worker, 0) <> 1 as is_la_employed,
        role_end_date is null or role_end_date > make_date(census_year, 9, 30) as is_in_post,
        coalesce(list_contains(absent_at_30_sept, 1), false) as is_absent_at_30_sept,
        coalesce(len(list_filter(absence_reasons, lambda r: coalesce(r, '') <> '')), 0) as absence_reason_count
    from workers
)

select * from derived
