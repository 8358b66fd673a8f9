-- fct_worker_census holds every worker record of every accepted return and no
-- other: per accepted file of the landing register, as many rows as the loader
-- landed (worker_rows), with that file's borough and year, and no row of a
-- rejected or superseded file. Returns every file whose count or return differs.
with

accepted_files as (
    select
        file_id,
        la_code,
        census_year,
        worker_rows
    from {{ source('landing', 'file_register') }}
    where status = 'accepted'
),

census_files as (
    select
        file_id,
        min(la_code) as la_code,
        min(census_year) as census_year,
        count(distinct la_code || '-' || census_year) as returns_named,
        count(*) as census_rows
    from {{ ref('fct_worker_census') }}
    group by file_id
),

compared as (
    select
        coalesce(accepted_files.file_id, census_files.file_id) as file_id,
        accepted_files.file_id is not null as is_accepted,
        accepted_files.worker_rows,
        coalesce(census_files.census_rows, 0) as census_rows,
        coalesce(
            census_files.returns_named > 1
            or census_files.la_code <> accepted_files.la_code
            or census_files.census_year <> accepted_files.census_year,
            false
        ) as is_other_return
    from accepted_files
    full outer join census_files
        on accepted_files.file_id = census_files.file_id
)

select
    file_id,
    worker_rows,
    census_rows,
    case
        when not is_accepted then 'rows of a file that is not accepted'
        when is_other_return then 'rows carry another borough or year than their file'
        else 'rows differ from the records landed'
    end as problem
from compared
where
    not is_accepted
    or is_other_return
    or worker_rows is null
    or census_rows <> worker_rows
