-- One registered file (every status), with its minimisation status: what the
-- sender had already done (SWE numbers sent as 64-hex pseudonyms, birth dates
-- sent as months) and what this pipeline did (hashed here, degraded here,
-- non-allow-listed items dropped at landing). Birth dates count as sent as
-- months only when every valid one in the file is on the 1st: about one real
-- date in thirty is a 1st by chance, which says nothing about the sender.
-- Landing's columns are named exactly as the XML items, hence quoted.
-- noqa: disable=RF06
with

files as (
    select
        file_id,
        file_sha256,
        -- Borough-controlled text (a file's name, a dropped item's name) and the
        -- loader's reasons are redacted under the one identifier rule.
        {{ redact_message('file_name') }} as file_name,
        la_code,
        census_year,
        layout_version,
        file_format,
        received_at,
        loaded_at,
        worker_rows,
        status,
        {{ redact_message('reason') }} as reason,
        superseded_by,
        {{ redact_message_each('dropped_items', 'dropped_item') }}
            as dropped_items,
        reference_date
    from {{ source('landing', 'file_register') }}
),

worker_forms as (
    select
        file_id,
        {{ swe_number_form(adapter.quote('SWENo')) }} as swe_number_form,
        {{ to_date(adapter.quote('PersonBirthDate')) }} as birth_date
    from {{ source('landing', 'workers') }}
),

minimisation as (
    select
        file_id,
        count(*) filter (where swe_number_form = 'sender_hashed') as swe_numbers_hashed_by_sender,
        count(*) filter (
            where swe_number_form in ('canonical', 'normalised', 'invalid')
        ) as swe_numbers_hashed_here,
        count(birth_date) as valid_birth_dates,
        coalesce(bool_and(day(birth_date) = 1), false) as birth_dates_sent_as_months
    from worker_forms
    group by file_id
),

minimisation_status as (
    select
        file_id,
        swe_numbers_hashed_by_sender,
        swe_numbers_hashed_here,
        case when birth_dates_sent_as_months then valid_birth_dates else 0 end
            as birth_dates_degraded_by_sender,
        case when birth_dates_sent_as_months then 0 else valid_birth_dates end
            as birth_dates_degraded_here
    from minimisation
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
    files.reference_date,
    cast(coalesce(minimisation_status.swe_numbers_hashed_by_sender, 0) as integer) as swe_numbers_hashed_by_sender,
    cast(coalesce(minimisation_status.swe_numbers_hashed_here, 0) as integer) as swe_numbers_hashed_here,
    cast(coalesce(minimisation_status.birth_dates_degraded_by_sender, 0) as integer) as birth_dates_degraded_by_sender,
    cast(coalesce(minimisation_status.birth_dates_degraded_here, 0) as integer) as birth_dates_degraded_here,
    cast({{ list_length('files.dropped_items') }} as integer) as dropped_item_count
from files
left join minimisation_status on files.file_id = minimisation_status.file_id
