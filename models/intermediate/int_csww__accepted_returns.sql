-- One accepted return per borough and census year: the file currently
-- standing for it. The snapshot snp_csww__accepted_returns keeps its history.

with

files as (
    select * from {{ ref('stg_csww__files') }}
),

final as (
    select
        la_code || '-' || cast(census_year as string) as return_key,
        la_code,
        census_year,
        file_id,
        file_sha256,
        file_name,
        layout_version,
        file_format,
        worker_rows,
        received_at,
        loaded_at
    from files
    where status = 'accepted'
)

select * from final
