-- The per-file minimisation status agrees with the published worker rows of
-- every accepted file.
with

files as (
    select * from {{ ref('stg_csww__files') }}
    where status = 'accepted'
),

from_workers as (
    select
        file_id,
        count(*) filter (where swe_number_form = 'sender_hashed') as hashed_by_sender,
        count(*) filter (where swe_number_form in ('canonical', 'normalised', 'invalid')) as hashed_here,
        count(*) filter (where birth_date_form = 'valid') as valid_birth_dates
    from {{ ref('stg_csww__workers') }}
    group by file_id
)

select files.file_id
from files
left join from_workers on files.file_id = from_workers.file_id
where
    files.swe_numbers_hashed_by_sender != coalesce(from_workers.hashed_by_sender, 0)
    or files.swe_numbers_hashed_here != coalesce(from_workers.hashed_here, 0)
    or files.birth_dates_degraded_by_sender + files.birth_dates_degraded_here
    != coalesce(from_workers.valid_birth_dates, 0)
    or files.dropped_item_count != len(files.dropped_items)
