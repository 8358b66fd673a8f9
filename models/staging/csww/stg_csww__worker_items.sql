-- One item value of a worker record of an accepted file, as trimmed raw text
-- (repeated items: one row per value). Absent items have no row; present but
-- empty items have ''. The personal items (SWENo, PersonBirthDate) keep their
-- row but never their value: item_value is null for them.
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

items_per_record as (
    select
        workers.file_id,
        accepted_files.la_code,
        accepted_files.census_year,
        accepted_files.layout_version,
        workers.record_number,
        flatten([
            {%- for item in csww_worker_items() %}
                {{ worker_item_values(item, 'workers') }}{{ "," if not loop.last }}
            {%- endfor %}
        ]) as items
    from {{ source('landing', 'workers') }} as workers
    inner join accepted_files on workers.file_id = accepted_files.file_id
),

unnested as (
    select
        file_id,
        la_code,
        census_year,
        layout_version,
        record_number,
        unnest(items) as item
    from items_per_record
)

select
    file_id,
    la_code,
    census_year,
    layout_version,
    record_number,
    struct_extract(item, 'item_name') as item_name,
    cast(struct_extract(item, 'value_index') as integer) as value_index,
    struct_extract(item, 'item_value') as item_value
from unnested
