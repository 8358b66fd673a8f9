-- One worker record of an accepted return, every layout version (2020-2025)
-- conformed to one schema. Items a layout does not carry are null for it;
-- GenderCurrent (to 2023) and Sex (from 2024) become one `gender` column.
-- Values outside their allowed range (FTE outside 0-1, negative cases or days
-- lost) are nulled here: the quality findings report them to the borough, and
-- the indicators must not add them up.

with

workers as (
    select * from {{ ref('stg_csww__workers') }}
),

conformed as (
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
        case when fte between 0 and 1 then fte end as fte,

        -- The layout's own item first; the other one only if a return sent it instead.
        case
            when layout_version >= 2024
                then coalesce(nullif(upper(trim(sex)), ''), cast(gender_current as string))
            else coalesce(cast(gender_current as string), nullif(upper(trim(sex)), ''))
        end as gender_code,
        case
            when layout_version >= 2024 and nullif(trim(sex), '') is not null then 'Sex'
            when gender_current is not null then 'GenderCurrent'
            when nullif(trim(sex), '') is not null then 'Sex'
        end as gender_source_item,

        nullif(upper(trim(ethnicity)), '') as ethnicity,
        case when layout_version < 2025 then qual_inst_count end as qual_inst_count,
        qual_level,
        step_up_grad,
        frontline_grad,
        org_role,
        role_start_date,
        start_origin,
        role_end_date,
        leaver_destination,
        reason_leave,
        case when fte30 between 0 and 1 then fte30 end as fte30,
        case when cases30 >= 0 then cases30 end as cases30,
        case when working_days_lost >= 0 then working_days_lost end as working_days_lost,
        contract_weeks,
        absent_at_30_sept,
        absence_reasons,
        case when layout_version < 2025 then cfkss_statuses end as cfkss_statuses,
        case when layout_version >= 2025 then base_salary end as base_salary,
        case when layout_version >= 2025 then rr_payments end as rr_payments,
        case when layout_version >= 2025 then other_payments end as other_payments
    from workers
),

final as (
    select
        *,
        case
            when gender_code in ('1', 'M') then 'male'
            when gender_code in ('2', 'F') then 'female'
            when gender_code = '9' then 'not specified'
            else 'not known'
        end as gender
    from conformed
)

select * from final
