-- The accepted files of the register (one current return per borough and
-- census year), with the keys every staging model of a file's records carries.
-- Ephemeral: it is inlined as a CTE into stg_csww__workers,
-- stg_csww__worker_items and stg_csww__la_level, so the one definition of
-- "the records staging keeps" costs no table.
{{ config(materialized='ephemeral') }}

select
    file_id,
    la_code,
    census_year,
    layout_version
from {{ source('landing', 'file_register') }}
where status = 'accepted'
