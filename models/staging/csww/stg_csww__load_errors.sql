-- One problem found while loading, as landing recorded it. The loader never
-- writes a raw SWE number or birth date into a message (its redact() applies
-- the identifier rule to outside text); staging screens again with the same
-- rule (src/liia/privacy/identifier_rule.py): anything shaped like an
-- identifier in the message, the item name or the file path (a borough names
-- its own files) is redacted, and a message still holding one of landing's SWE
-- numbers or birth dates is withheld whole, so a slip in one borough's
-- message never reaches the warehouse.
with

identifiers as (
    {{ landing_identifiers() }}
),

source as (
    select
        file_id,
        {{ redact_message('file_path') }} as file_path,
        la_code,
        record_number,
        {{ redact_message('item') }} as item,
        {{ redact_message('message') }} as message,
        logged_at
    from {{ source('landing', 'load_errors') }}
),

screen as (
    {{ identifier_screen('source', 'message', 'identifiers') }}
)

select
    source.file_id,
    source.file_path,
    source.la_code,
    source.record_number,
    source.item,
    case
        when screen.holds_landing_identifier then '{{ withheld_identifier_marker() }}'
        else source.message
    end as message,
    source.logged_at
from source
left join screen on source.message = screen.screened_text
