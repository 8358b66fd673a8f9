-- One row per worker record and item of its layout (csww_item_formats): is the
-- item present (not absent, not empty) and is it mandatory for this record?
-- Incremental by file: the files staging rebuilt (macros/incremental_by_file.sql).
{%- set staged = [ref('int_dq__workers'), ref('stg_csww__worker_items')] %}

with

workers as (
    select * from {{ ref('int_dq__workers') }}
    {{ only_files_staged_now('file_id', staged) }}
),

item_formats as (
    select * from {{ ref('csww_item_formats') }}
    where record_level = 'worker'
),

item_values as (
    select
        file_id,
        record_number,
        item_name,
        bool_or(coalesce(item_value, '') <> '') as has_value
    from {{ ref('stg_csww__worker_items') }}
    {{ only_files_staged_now('file_id', staged) }}
    group by file_id, record_number, item_name
),

expected as (
    select
        workers.file_id,
        workers.la_code,
        workers.census_year,
        workers.layout_version,
        workers.record_number,
        workers.swe_number_form,
        workers.birth_date_form,
        workers.is_la_employed,
        workers.is_in_post,
        item_formats.item_name,
        item_formats.value_type,
        nullif(item_formats.mandatory_for, '') as mandatory_for,
        nullif(item_formats.pair_rule_id, '') as pair_rule_id
    from workers
    inner join item_formats
        on
            workers.layout_version between cast(item_formats.first_layout as integer)
            and cast(item_formats.last_layout as integer)
),

presence as (
    select
        expected.file_id,
        expected.la_code,
        expected.census_year,
        expected.layout_version,
        expected.record_number,
        expected.item_name,
        expected.mandatory_for,
        expected.pair_rule_id,
        expected.is_la_employed,
        -- SWENo and PersonBirthDate never reach the warehouse: their
        -- presence is known from the form staging recorded.
        case expected.value_type
            when 'swe_number' then coalesce(expected.swe_number_form, 'missing') <> 'missing'
            when 'birth_date' then coalesce(expected.birth_date_form, 'missing') <> 'missing'
            else coalesce(item_values.has_value, false)
        end as is_present,
        case expected.mandatory_for
            when 'every_worker' then true
            when 'la_employed' then expected.is_la_employed
            when 'la_employed_in_post' then expected.is_la_employed and expected.is_in_post
            else false
        end as is_mandatory
    from expected
    left join item_values
        on
            expected.file_id = item_values.file_id
            and expected.record_number = item_values.record_number
            and expected.item_name = item_values.item_name
),

final as (
    select
        *,
        -- is any item of the record's pair group (pair_rule_id) present?
        case
            when pair_rule_id is not null
                then bool_or(is_present) over (partition by file_id, record_number, pair_rule_id)
            else false
        end as pair_group_has_present
    from presence
)

select * from final
