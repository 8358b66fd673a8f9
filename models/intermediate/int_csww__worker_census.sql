-- One conformed worker record with the DfE census flags and bands of its
-- return (LA, Y): census year Y runs 1 Oct Y-1 .. 30 Sep Y, reference date
-- R = 30 Sep Y (docs/methodology.md#census-flags).

with

workers as (
    select * from {{ ref('int_csww__workers_conformed') }}
),

dated as (
    select
        file_id,
        record_number,
        la_code,
        census_year,
        layout_version,
        swe_number_hash,
        swe_number_form,
        birth_month,
        birth_date_form,
        age_at_census,
        agency_worker,
        fte,
        gender_code,
        gender_source_item,
        gender,
        ethnicity,
        qual_inst_count,
        qual_level,
        step_up_grad,
        frontline_grad,
        org_role,
        role_start_date,
        start_origin,
        role_end_date,
        leaver_destination,
        reason_leave,
        fte30,
        cases30,
        working_days_lost,
        contract_weeks,
        absent_at_30_sept,
        absence_reasons,
        cfkss_statuses,
        base_salary,
        rr_payments,
        other_payments,
        {{ census_year_start('census_year') }} as census_year_start,
        {{ census_year_end('census_year') }} as reference_date
    from workers
),

flagged as (
    select
        *,
        -- The flags come from macros/census_flags.sql, shared with the quality rules.
        {{ is_agency('agency_worker') }} as is_agency,
        {{ is_leaver('role_end_date', 'census_year') }} as is_leaver,
        {{ is_in_post('role_end_date', 'census_year') }} as is_in_post,
        {{ is_starter('role_start_date', 'census_year') }} as is_starter,
        coalesce(cases30 >= 1, false) as is_case_holder,
        case
            when age_at_census is null or age_at_census < 0 then 'not known'
            when age_at_census < 20 then 'under 20'
            when age_at_census < 30 then '20-29'
            when age_at_census < 40 then '30-39'
            when age_at_census < 50 then '40-49'
            when age_at_census < 60 then '50-59'
            else '60 and over'
        end as age_band,
        case
            when ethnicity in ('WBRI', 'WIRI', 'WOTH') then 'White'
            when ethnicity in ('MWBC', 'MWBA', 'MWAS', 'MOTH') then 'Mixed'
            when ethnicity in ('AIND', 'APKN', 'ABAN', 'CHNE', 'AOTH') then 'Asian'
            when ethnicity in ('BCRB', 'BAFR', 'BOTH') then 'Black'
            when ethnicity = 'OOTH' then 'Other'
            else 'not known'
        end as ethnic_group,
        -- Tenure ends at the role's end date, or at R for a worker still in post.
        least(coalesce(role_end_date, reference_date), reference_date) as tenure_end_date
    from dated
),

final as (
    select
        *,
        {{ is_la_employed('agency_worker') }} as is_la_employed,
        case
            when role_start_date <= tenure_end_date
                then cast(round({{ days_between('role_start_date', 'tenure_end_date') }} / 365.25, 2) as decimal(6, 2))
        end as tenure_years
    from flagged
)

select * from final
