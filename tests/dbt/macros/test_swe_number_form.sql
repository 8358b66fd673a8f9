-- swe_number_form and normalise_swe_number over awkward inputs.
with

cases as (
    select t.*
    from (
        values
        ('SW1234567', 'canonical', 'SW1234567'),
        ('sw1234567', 'normalised', 'SW1234567'),
        (' SW 1234567 ', 'normalised', 'SW1234567'),
        (e'SW\t12\n34567', 'normalised', 'SW1234567'),
        ('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'sender_hashed', null),
        ('1234567', 'invalid', '1234567'),
        ('S1234567', 'invalid', 'S1234567'),
        ('SW-1234567', 'invalid', 'SW-1234567'),
        ('', 'missing', null),
        ('  ', 'missing', null),
        (null, 'missing', null)
    ) as t (raw_value, expected_form, expected_normalised)
)

select
    raw_value,
    expected_form,
    {{ swe_number_form('raw_value') }} as actual_form
from cases
where
    {{ swe_number_form('raw_value') }} != expected_form
    or (
        expected_form != 'sender_hashed'
        and {{ normalise_swe_number('raw_value') }} is distinct from expected_normalised
    )
