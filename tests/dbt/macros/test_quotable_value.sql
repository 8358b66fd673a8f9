-- quotable_value: a bad code is quoted (first 30 characters), anything shaped
-- like a SWE number, a date or a pseudonym is withheld, null stays null. The
-- rule is liia.privacy.identifier_rule (registered functions); the full shared
-- case list, tests/fixtures/identifier_cases.csv, runs against every
-- implementation in tests/python/privacy/test_identifier_rule.py.
with

cases as (
    select t.*
    from (
        values
        ('XXXX', '''XXXX'''),
        ('f', '''f'''),
        ('half', '''half'''),
        ('1.5', '''1.5'''),
        ('-1', '''-1'''),
        ('0.1234567', '''0.1234567'''),
        ('2.5', '''2.5'''),
        ('1234', '''1234'''),
        ('A university', '''A university'''),
        ('SW1', '''SW1'''),
        -- a word with a non-ASCII letter is not two letters then digits
        (chr(233) || 'ab1234', '''' || chr(233) || 'ab1234'''),
        ('census year 2024', '''census year 2024'''),
        ('An institution with a very long name indeed', '''An institution with a very lon'''),
        -- SWE numbers, any case, spaces, inside text
        ('SW9876543', 'withheld'),
        ('sw9876543', 'withheld'),
        ('Sw 987 6543', 'withheld'),
        ('  SW9876543  ', 'withheld'),
        ('SW-987-6543', 'withheld'),
        ('SW' || chr(160) || '987' || chr(8239) || '6543', 'withheld'),
        ('SW' || chr(9) || '9876543', 'withheld'),
        ('Qx1234567890', 'withheld'),
        ('worker SW9876543 again', 'withheld'),
        ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx SW4321', 'withheld'),
        ('xxxSW1234567', 'withheld'),
        ('S W4686247', 'withheld'),
        ('SW' || chr(173) || '9000047', 'withheld'),
        ('SW' || chr(8205) || '9000047', 'withheld'),
        (
            chr(65331) || chr(65335) || chr(65305) || chr(65296) || chr(65296)
            || chr(65296) || chr(65296) || chr(65301) || chr(65303),
            'withheld'
        ),
        -- dates
        ('1901-06-15', 'withheld'),
        ('1901-6-15', 'withheld'),
        ('1901/06/15', 'withheld'),
        ('15/06/1901', 'withheld'),
        ('15/6/01', 'withheld'),
        ('15-06-1901', 'withheld'),
        ('15.06.1901', 'withheld'),
        ('15 / 06 / 1901', 'withheld'),
        ('1901-06-15T00:00:00', 'withheld'),
        ('19010615', 'withheld'),
        ('15061901', 'withheld'),
        ('15 Jun 1901', 'withheld'),
        ('15th June 1901', 'withheld'),
        ('June 15, 1901', 'withheld'),
        ('15-JUN-01', 'withheld'),
        -- bare digits of a SWE number, numbers with long integer parts
        ('9876543', 'withheld'),
        ('19010615.0', 'withheld'),
        -- pseudonyms
        ('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'withheld'),
        ('E3B0C44298FC1C149AFBF4C8996FB924', 'withheld'),
        (null, null)
    ) as t (raw_value, expected)
),

actual as (
    select
        raw_value,
        case expected
            when 'withheld' then '[value withheld: looks like an identifier]'
            else expected
        end as expected,
        {{ quotable_value('raw_value') }} as actual
    from cases
)

select *
from actual
where actual is distinct from expected
