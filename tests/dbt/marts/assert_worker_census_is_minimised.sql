-- The published worker census is minimised as staging is (assert_workers_are_minimised):
-- each SWE number hash is 64 lower-case hex (a keyed hash, never a raw or sender's
-- value) and each birth month is the 1st of its month. Its column names are checked
-- with every other table's by assert_no_personal_column_names. Returns every row
-- that is not minimised.
with

census as (
    select * from {{ ref('fct_worker_census') }}
)

select
    file_id,
    record_number,
    'swe_number_hash is not 64 lower-case hex' as failure
from census
where swe_number_hash is not null and not regexp_full_match(swe_number_hash, '[0-9a-f]{64}')
union all
select
    file_id,
    record_number,
    'birth_month is not the 1st of a month' as failure
from census
where day(birth_month) != 1
