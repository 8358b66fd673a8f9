-- One problem found while loading, as landing recorded it. The loader never
-- writes a raw SWE number or birth date into a message (the privacy scan checks).
with

source as (
    select
        file_id,
        file_path,
        la_code,
        record_number,
        item,
        message,
        logged_at
    from {{ source('landing', 'load_errors') }}
)

select * from source
