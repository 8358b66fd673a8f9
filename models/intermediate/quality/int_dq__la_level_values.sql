-- One row per LA-level item of an accepted return's layout (csww_item_formats):
-- what was sent (stg_csww__la_level.sent_values), whether it is present (sent
-- and not empty), the item's format and whether its free text was withheld. The rules read the text as sent, so a
-- value the typed column could not hold ('Yes' for a pay item, 3.125 vacancies)
-- is still found.
with

la_level as (
    select * from {{ ref('stg_csww__la_level') }}
),

item_formats as (
    select * from {{ ref('csww_item_formats') }}
    where record_level = 'la_level'
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
        item_formats.pattern,
        cast(nullif(item_formats.min_value, '') as double) as min_value,
        cast(nullif(item_formats.max_value, '') as double) as max_value,
        cast(nullif(item_formats.max_decimals, '') as integer) as max_decimals,
        nullif(item_formats.mandatory_for, '') as mandatory_for,
        {{ map_value('la_level.sent_values', 'item_formats.item_name') }} as item_value,
        -- free text carries no value here (null), only its presence
        coalesce(
            {{ map_has('la_level.sent_values', 'item_formats.item_name') }}
            and coalesce({{ map_value('la_level.sent_values', 'item_formats.item_name') }}, '-') <> '',
            false
        ) as is_present,
        -- free text (OtherAllowances) that staging withheld as an identifier
        coalesce(
            item_formats.item_name = 'OtherAllowances' and la_level.other_allowances_withheld,
            false
        ) as withheld_identifier,
        la_level.built_in_run
    from la_level
    inner join item_formats
        on
            la_level.layout_version between cast(item_formats.first_layout as integer)
            and cast(item_formats.last_layout as integer)
)

select * from item_values
