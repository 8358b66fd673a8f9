-- One row per accepted file and worker item of its layout: how many records
-- have the item (completeness) and how many of those pass every format rule
-- (validity).
with

presence as (
    select * from {{ ref('int_dq__item_presence') }}
),

format_findings as (
    select distinct
        file_id,
        record_number,
        item
    from {{ ref('int_dq__format_findings') }}
    where record_number is not null and rule_id not in ('FMT_REQUIRED', 'FMT_LOAD', 'FMT_SWE_NORMALISED')
),

per_record as (
    select
        presence.file_id,
        presence.la_code,
        presence.census_year,
        presence.item_name,
        presence.is_mandatory,
        presence.is_present,
        presence.is_present and format_findings.item is null as is_valid
    from presence
    left join format_findings
        on
            presence.file_id = format_findings.file_id
            and presence.record_number = format_findings.record_number
            and presence.item_name = format_findings.item
),

per_item as (
    select
        file_id,
        la_code,
        census_year,
        item_name,
        count(*) as records,
        count(*) filter (where is_present) as records_present,
        count(*) filter (where is_valid) as records_valid,
        count(*) filter (where is_mandatory) as mandatory_records,
        count(*) filter (where is_mandatory and is_present) as mandatory_records_present
    from per_record
    group by file_id, la_code, census_year, item_name
),

final as (
    select
        cast(la_code as string) as la_code,
        cast(census_year as integer) as census_year,
        cast(file_id as integer) as file_id,
        cast(item_name as string) as item_name,
        cast(records as integer) as records,
        cast(records_present as integer) as records_present,
        cast(records_valid as integer) as records_valid,
        cast(mandatory_records as integer) as mandatory_records,
        cast(mandatory_records_present as integer) as mandatory_records_present,
        cast(round(100.0 * records_present / records, 1) as decimal(5, 1)) as completeness_pct,
        cast(round(100.0 * records_valid / nullif(records_present, 0), 1) as decimal(5, 1)) as validity_pct,
        cast(round(100.0 * mandatory_records_present / nullif(mandatory_records, 0), 1) as decimal(5, 1))
            as mandatory_completeness_pct
    from per_item
)

select * from final
