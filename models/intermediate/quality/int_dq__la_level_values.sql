-- One row per LA-level item of an accepted return's layout, with its typed
-- value as a number (null when absent or unreadable) and its format.
with

la_level as (
    select * from {{ ref('stg_csww__la_level') }}
),

item_formats as (
    select * from {{ ref('csww_item_formats') }}
    where record_level = 'la_level' and value_type <> 'text'
),

item_values as (
    select
        la_level.file_id,
        la_level.la_code,
        la_level.census_year,
        la_level.layout_version,
        item_formats.item_name,
        item_formats.value_type,
        item_formats.code_set,
        cast(nullif(item_formats.min_value, '') as double) as min_value,
        cast(nullif(item_formats.max_value, '') as double) as max_value,
        nullif(item_formats.mandatory_for, '') as mandatory_for,
        cast(case item_formats.item_name
            when 'NumberOfVacancies' then la_level.number_of_vacancies
            when 'NoAgencyFTE' then la_level.no_agency_fte
            when 'NoAgencyHeadcount' then la_level.no_agency_headcount
            when 'RecruitmentBonus' then la_level.recruitment_bonus
            when 'RetentionBonus' then la_level.retention_bonus
            when 'PerformanceAward' then la_level.performance_award
            when 'CarAllowance' then la_level.car_allowance
            when 'RelocationPackage' then la_level.relocation_package
            when 'RegionalWeighting' then la_level.regional_weighting
            when 'CostSWE' then la_level.cost_swe
            when 'CostDBS' then la_level.cost_dbs
        end as double) as numeric_value
    from la_level
    inner join item_formats
        on
            la_level.layout_version between cast(item_formats.first_layout as integer)
            and cast(item_formats.last_layout as integer)
)

select * from item_values
