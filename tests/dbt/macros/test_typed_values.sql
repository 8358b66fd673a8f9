-- clean_text, to_integer, to_decimal and to_date: a bad value is null, never an error.
with

cases as (
    select t.*
    from (
        values
        ('1', 1, 1.000000, null),
        (' 2 ', 2, 2.000000, null),
        ('1.0', 1, 1.000000, null),
        ('1.5', null, 1.500000, null),
        ('-3', -3, -3.000000, null),
        ('0.1234567', null, 0.123457, null),
        ('abc', null, null, null),
        ('', null, null, null),
        (e' \t', null, null, null),
        (null, null, null, null),
        ('2019-04-01', null, null, make_date(2019, 4, 1)),
        ('2019-04-01T00:00:00', null, null, make_date(2019, 4, 1)),
        ('2019-4-1', null, null, null),
        ('01/04/2019', null, null, null)
    ) as t (raw_value, expected_integer, expected_decimal, expected_date)
)

select
    raw_value,
    {{ to_integer('raw_value') }} as actual_integer,
    {{ to_decimal('raw_value', 9, 6) }} as actual_decimal,
    {{ to_date('raw_value') }} as actual_date
from cases
where
    {{ to_integer('raw_value') }} is distinct from expected_integer
    or {{ to_decimal('raw_value', 9, 6) }} is distinct from expected_decimal
    or {{ to_date('raw_value') }} is distinct from expected_date
    or ({{ clean_text('raw_value') }} is null) != (raw_value is null or trim(raw_value, e' \t') = '')
