-- The pseudonymised individual-level extract, for the approved analysts only:
-- one worker record of one accepted return, identified by the keyed hash of
-- the SWE number, with bands and codes, the census flags and the links to the
-- same hash's previous and next return. No dates (age and tenure as bands, no
-- birth month), no free text, no pay amounts (a salary band at most). Not
-- aggregated, so not suppressed: it never leaves the approved analysts.

with

workers as (
    select * from {{ ref('fct_worker_census') }}
),

final as (
    select
        swe_number_hash,
        la_code,
        census_year,
        record_number,
        layout_version,
        age_band,
        gender,
        ethnicity,
        ethnic_group,
        agency_worker,
        is_agency,
        is_la_employed,
        is_in_post,
        is_starter,
        is_leaver,
        is_case_holder,
        fte,
        fte30,
        cases30,
        working_days_lost,
        qual_level,
        step_up_grad,
        frontline_grad,
        org_role,
        previous_org_role,
        {{ org_role_seniority('org_role') }} > {{ org_role_seniority('previous_org_role') }}
            as is_progressed,
        {{ tenure_band('tenure_years') }} as tenure_band,
        start_origin,
        leaver_destination,
        reason_leave,
        coalesce({{ list_has('absent_at_30_sept', '1') }}, false) as is_absent_at_30_sept,
        case
            when base_salary is null then null
            when base_salary < 30000 then 'under 30,000'
            when base_salary < 40000 then '30,000-39,999'
            when base_salary < 50000 then '40,000-49,999'
            when base_salary < 60000 then '50,000-59,999'
            when base_salary < 70000 then '60,000-69,999'
            else '70,000 and over'
        end as base_salary_band,
        previous_census_year,
        previous_la_code,
        next_census_year,
        next_la_code,
        is_moved_from_other_borough,
        is_moved_to_other_borough,
        is_first_return,
        is_last_return,
        is_reported_from_other_la,
        is_reported_to_other_la
    from workers
)

select * from final
