-- Every published worker row is minimised: the hash is 64 lower-case hex and
-- present exactly when a SWE number was sent; the birth month is a 1st; the
-- exact age agrees with the birth month (it is that month's age or one less).
with

workers as (
    select * from {{ ref('stg_csww__workers') }}
)

select
    file_id,
    record_number,
    'swe_number_hash is not 64 lower-case hex' as failure
from workers
where swe_number_hash is not null and not regexp_full_match(swe_number_hash, '[0-9a-f]{64}')
union all
select
    file_id,
    record_number,
    'swe_number_hash presence does not match swe_number_form' as failure
from workers
where (swe_number_hash is null) != (swe_number_form = 'missing')
union all
select
    file_id,
    record_number,
    'birth_month is not the 1st of a month' as failure
from workers
where day(birth_month) != 1
union all
select
    file_id,
    record_number,
    'birth_month presence does not match birth_date_form' as failure
from workers
where (birth_month is not null) != (birth_date_form = 'valid')
union all
select
    file_id,
    record_number,
    'age_at_census disagrees with birth_month' as failure
from workers
where
    age_at_census not in (
        {{ age_at('birth_month', census_reference_date('census_year')) }},
        {{ age_at('birth_month', census_reference_date('census_year')) }} - 1
    )
