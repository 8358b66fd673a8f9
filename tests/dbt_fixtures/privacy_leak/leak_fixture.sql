-- A DELIBERATELY LEAKING model, for the privacy scan's negative test only.
-- It copies raw SWE numbers and full dates of birth out of landing under
-- innocent column names. Disabled unless dbt runs with
-- --vars '{liia_leak_fixture: true}' (tests/python/privacy does, on a copy).
-- Landing's columns are named exactly as the XML items, hence quoted.
-- noqa: disable=RF06
{{ config(
    enabled=var('liia_leak_fixture', false),
    materialized='table',
    schema='leak_fixture'
) }}

select
    file_id,
    record_number,
    "SWENo" as worker_reference,
    upper(replace("SWENo", ' ', '')) as tidy_reference,
    try_cast("PersonBirthDate" as date) as start_marker,
    'noted ' || "PersonBirthDate" as free_text
from {{ source('landing', 'workers') }}
