-- One registered file (every status), with its minimisation status: what the
-- sender had already done (SWE numbers sent as 64-hex pseudonyms, birth dates
-- sent on the 1st of the month) and what this pipeline did (hashed here,
-- degraded here, non-allow-listed items dropped at landing).
-- Landing's columns are named exactly as the XML items, hence quoted.
-- noqa: disable=RF06
with

files as (
    select
        file_id,
        file_sha256,
        file_name,
        la_code,
        census_year,
        layout_version,
        file_format,
        received_at,
        loaded_at,
        worker_rows,
        status,
        reason,
        superseded_by,
        dropped_items
    from {{ source('landing', 'file_register') }}
),

worker_forms as (
    select
        file_id,
        {{ swe_number_form('"SWENo"') }} as swe_number_form,
        {{ to_date('"PersonBirthDate"') }} as birth_date
    from {{ source('landing', 'workers') }}
),

minimisation as (
    select
        file_id,
        count(*) filter (where swe_number_form = 'sender_hashed') as swe_numbers_hashed_by_sender,
        count(*) filter (
            where swe_number_form in ('canonical', 'normalised', 'invalid')
        ) as swe_numbers_hashed_here,
        count(*) filter (where day(birth_date) = 1) as birth_dates_degraded_by_sender,
        count(*) filter (where day(birth_date) != 1) as birth_dates_degraded_here
    from worker_forms
    group by file_id
)

select
    files.file_id,
    files.file_sha256,
    files.file_name,
    files.la_code,
    files.census_year,
    files.layout_version,
    files.file_format,
    files.received_at,
    files.loaded_at,
    files.worker_rows,
    files.status,
    files.reason,
    files.superseded_by,
    files.dropped_items,
    cast(coalesce(minimisation.swe_numbers_hashed_by_sender, 0) as integer) as swe_numbers_hashed_by_sender,
    cast(coalesce(minimisation.swe_numbers_hashed_here, 0) as integer) as swe_numbers_hashed_here,
    cast(coalesce(minimisation.birth_dates_degraded_by_sender, 0) as integer) as birth_dates_degraded_by_sender,
    cast(coalesce(minimisation.birth_dates_degraded_here, 0) as integer) as birth_dates_degraded_here,
    cast(len(files.dropped_items) as integer) as dropped_item_count
from files
left join minimisation on files.file_id = minimisation.file_id
