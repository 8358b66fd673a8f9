-- age_at: exact whole years on and around the birthday, leap-day birthdays,
-- and nulls; census_reference_date is 30 September.
with

cases as (
    select t.*
    from (
        values
        (make_date(1990, 9, 30), {{ census_reference_date(2025) }}, 35),
        (make_date(1990, 9, 29), {{ census_reference_date(2025) }}, 35),
        (make_date(1990, 10, 1), {{ census_reference_date(2025) }}, 34),
        (make_date(1990, 1, 1), {{ census_reference_date(2025) }}, 35),
        (make_date(1990, 12, 31), {{ census_reference_date(2025) }}, 34),
        (make_date(2000, 2, 29), make_date(2001, 2, 28), 0),
        (make_date(2000, 2, 29), make_date(2001, 3, 1), 1),
        (make_date(2000, 2, 29), make_date(2004, 2, 29), 4),
        (make_date(2000, 2, 29), make_date(2004, 2, 28), 3),
        (make_date(2025, 9, 30), {{ census_reference_date(2025) }}, 0),
        (cast(null as date), {{ census_reference_date(2025) }}, null),
        (make_date(1990, 9, 30), cast(null as date), null)
    ) as t (birth_date, reference_date, expected_age)
)

select
    birth_date,
    reference_date,
    expected_age,
    {{ age_at('birth_date', 'reference_date') }} as actual_age
from cases
where {{ age_at('birth_date', 'reference_date') }} is distinct from expected_age
