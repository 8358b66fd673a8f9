-- Free text published by staging (OtherAllowances, QualInst) never holds
-- anything shaped like an identifier under the one rule: identifier_screen
-- withholds it, and the flag says so. Fails if a value slips past the screen
-- or a withheld value is not flagged.
select
    'stg_csww__la_level' as model_name,
    file_id,
    cast(null as integer) as record_number
from {{ ref('stg_csww__la_level') }}
where
    {{ looks_like_identifier('other_allowances') }}
    or (other_allowances_withheld and other_allowances != '{{ withheld_identifier_marker() }}')
union all
select
    'stg_csww__worker_items' as model_name,
    file_id,
    record_number
from {{ ref('stg_csww__worker_items') }}
where
    (item_name = 'QualInst' and {{ looks_like_identifier('item_value') }})
    or (withheld_identifier and item_value != '{{ withheld_identifier_marker() }}')
