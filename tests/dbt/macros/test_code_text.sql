-- code_text: codes are trimmed and upper-cased, blanks become null, and text
-- shaped like an identifier (a SWE number or a date in the wrong item) never
-- reaches a typed column. Returns the cases that go wrong.
with

cases as (
    select t.*
    from (
        values
        ('WBRI', 'WBRI'),
        (' wbri ', 'WBRI'),
        ('m', 'M'),
        ('sic' || chr(9), 'SIC'),
        ('XXXX', 'XXXX'),
        ('', null),
        ('   ', null),
        (null, null),
        ('SW9876543', null),
        ('sw 987 6543', null),
        ('1901-06-15', null),
        ('15/06/1901', null),
        ('19010615', null)
    ) as t (raw_value, expected)
),

checked as (
    select
        raw_value,
        expected,
        {{ code_text('raw_value') }} as actual
    from cases
)

select *
from checked
where actual is distinct from expected
