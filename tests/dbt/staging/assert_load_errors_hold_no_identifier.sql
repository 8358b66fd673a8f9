-- No load error published by staging holds anything shaped like an identifier
-- under the one rule (message_holds_identifier: liia.privacy.identifier_rule): its
-- message, item name and file path are redacted by the same rule, and a message
-- still holding one of landing's SWE numbers or birth dates is withheld whole.
-- Fails if a load error reaches the warehouse without that screen.
select
    file_id,
    record_number,
    case
        when {{ message_holds_identifier('message') }} then 'message'
        when {{ message_holds_identifier('item') }} then 'item'
        else 'file_path'
    end as failing_column
from {{ ref('stg_csww__load_errors') }}
where
    {{ message_holds_identifier('message') }}
    or {{ message_holds_identifier('item') }}
    or {{ message_holds_identifier('file_path') }}
