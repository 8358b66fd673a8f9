-- One LA-level record (vacancies, agency cover, pay incentives from 2025) of
-- each accepted return. Pay items exist from the 2025 layout and are null before.

with

la_level as (
    select * from {{ ref('stg_csww__la_level') }}
),

final as (
    select
        file_id,
        la_code,
        census_year,
        layout_version,
        number_of_vacancies,
        no_agency_fte,
        no_agency_headcount,
        case when layout_version >= 2025 then recruitment_bonus end as recruitment_bonus,
        case when layout_version >= 2025 then retention_bonus end as retention_bonus,
        case when layout_version >= 2025 then performance_award end as performance_award,
        case when layout_version >= 2025 then car_allowance end as car_allowance,
        case when layout_version >= 2025 then relocation_package end as relocation_package,
        case when layout_version >= 2025 then regional_weighting end as regional_weighting,
        case when layout_version >= 2025 then cost_swe end as cost_swe,
        case when layout_version >= 2025 then cost_dbs end as cost_dbs,
        case when layout_version >= 2025 then other_allowances end as other_allowances
    from la_level
)

select * from final
