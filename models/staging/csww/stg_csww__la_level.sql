-- One LA-level record (LALevelVacancies / LALevel) of an accepted file, typed.
-- Landing's columns are named exactly as the XML items, hence quoted.
-- noqa: disable=RF06
with

accepted_files as (
    select
        file_id,
        la_code,
        census_year,
        layout_version
    from {{ source('landing', 'file_register') }}
    where status = 'accepted'
),

source as (
    select
        la_level.file_id,
        accepted_files.la_code,
        accepted_files.census_year,
        accepted_files.layout_version,
        la_level."NumberOfVacancies" as number_of_vacancies,
        la_level."NoAgencyFTE" as no_agency_fte,
        la_level."NoAgencyHeadcount" as no_agency_headcount,
        la_level."RecruitmentBonus" as recruitment_bonus,
        la_level."RetentionBonus" as retention_bonus,
        la_level."PerformanceAward" as performance_award,
        la_level."CarAllowance" as car_allowance,
        la_level."RelocationPackage" as relocation_package,
        la_level."RegionalWeighting" as regional_weighting,
        la_level."CostSWE" as cost_swe,
        la_level."CostDBS" as cost_dbs,
        la_level."OtherAllowances" as other_allowances
    from {{ source('landing', 'la_level') }} as la_level
    inner join accepted_files on la_level.file_id = accepted_files.file_id
),

typed as (
    select
        file_id,
        la_code,
        census_year,
        layout_version,
        {{ to_decimal('number_of_vacancies', 9, 2) }} as number_of_vacancies,
        {{ to_decimal('no_agency_fte', 9, 2) }} as no_agency_fte,
        {{ to_integer('no_agency_headcount') }} as no_agency_headcount,
        {{ to_integer('recruitment_bonus') }} as recruitment_bonus,
        {{ to_integer('retention_bonus') }} as retention_bonus,
        {{ to_integer('performance_award') }} as performance_award,
        {{ to_integer('car_allowance') }} as car_allowance,
        {{ to_integer('relocation_package') }} as relocation_package,
        {{ to_integer('regional_weighting') }} as regional_weighting,
        {{ to_integer('cost_swe') }} as cost_swe,
        {{ to_integer('cost_dbs') }} as cost_dbs,
        {{ clean_text('other_allowances') }} as other_allowances
    from source
)

select * from typed
