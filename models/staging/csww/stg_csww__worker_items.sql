-- One item value of a worker record of an accepted file, as trimmed raw text
-- (repeated items: one row per value). Absent items have no row; present but
-- empty items have ''. The personal items (SWENo, PersonBirthDate) keep their
-- row but never their value: item_value is null for them. A value of any other
-- item that is or holds one of landing's SWE numbers or birth dates, in any
-- spelling the normaliser folds (a borough typed it into the wrong item), is
-- withheld too (item_value is withheld_identifier_marker(), withheld_identifier
-- is true); so is free text (QualInst) that looks like an identifier: raw
-- identifiers never leave landing, whichever item they arrive in, and one
-- borough's slip must not fail the privacy check for everyone. Role dates are
-- left alone: a role can start on someone's birthday.
-- Landing's columns are named exactly as the XML items, hence quoted.
-- Incremental by file (macros/incremental_by_file.sql): a built file is
-- screened again when one of its kept values now holds a landing identifier.
-- noqa: disable=RF06

with

identifiers as (
    {{ landing_identifiers() }}
),

accepted_files as (
    select * from {{ ref('stg_csww__accepted_files') }}
    {{ only_files_to_build('file_id', stale_screened_files(
        "(select file_id, item_value as screened_text from " ~ this
        ~ " where not withheld_identifier and item_name not in ('RoleStartDate', 'RoleEndDate'))"
    ) if is_incremental()) }}
),

items_per_record as (
    select
        workers.file_id,
        accepted_files.la_code,
        accepted_files.census_year,
        accepted_files.layout_version,
        workers.record_number,
        {%- set item_lists = [] %}
        {%- for item in csww_worker_items() %}
            {%- do item_lists.append(worker_item_values(item, 'workers')) %}
        {%- endfor %}
        flatten({{ list_of(item_lists) }}) as items
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
        {{ unnest_list('items') }} as item
    from items_per_record
),

item_values as (
    select
        file_id,
        la_code,
        census_year,
        layout_version,
        record_number,
        {{ struct_field('item', 'item_name') }} as item_name,
        cast({{ struct_field('item', 'value_index') }} as integer) as value_index,
        {{ struct_field('item', 'item_value') }} as item_value
    from unnested
),

screen as (
    {{ identifier_screen(
        "(select item_value from item_values where item_name not in ('RoleStartDate', 'RoleEndDate'))",
        'item_value',
        'identifiers'
    ) }}
),

screened as (
    select
        item_values.*,
        coalesce(
            screen.holds_landing_identifier
            or (item_values.item_name = 'QualInst' and screen.looks_like_identifier),
            false
        ) as withheld_identifier
    from item_values
    left join screen
        on
            item_values.item_value = screen.screened_text
            and item_values.item_name not in ('RoleStartDate', 'RoleEndDate')
)

select
    file_id,
    la_code,
    census_year,
    layout_version,
    record_number,
    item_name,
    value_index,
    case
        when withheld_identifier then '{{ withheld_identifier_marker() }}'
        else item_value
    end as item_value,
    withheld_identifier,
    {{ built_in_run() }} as built_in_run
from screened
