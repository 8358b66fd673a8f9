-- The long format keeps a row for SWENo and PersonBirthDate but never a value.
select
    file_id,
    record_number,
    item_name
from {{ ref('stg_csww__worker_items') }}
where item_name in ('SWENo', 'PersonBirthDate') and item_value is not null
