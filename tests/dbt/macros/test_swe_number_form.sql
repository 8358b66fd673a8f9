-- swe_number_form and normalise_swe_number over awkward inputs, including
-- non-ASCII whitespace (U+00A0 no-break space, U+2007 figure space, U+202F
-- narrow no-break space, U+2028 line separator, U+200B zero-width space,
-- U+FEFF byte-order mark, vertical tab), Unicode forms NFKC folds (full-width
-- letters and digits), format characters (soft hyphen U+00AD, zero-width
-- joiner U+200D) and dashes (hyphen-minus, en dash U+2013, minus sign U+2212),
-- written as chr() to be visible.
-- Number pieces are five digits or more, so no literal equals a sample number
-- (the privacy scan reads compiled tests and logs).
with

cases as (
    select t.*
    from (
        values
        ('SW1234567', 'canonical', 'SW1234567'),
        ('sw1234567', 'normalised', 'SW1234567'),
        (' SW 1234567 ', 'normalised', 'SW1234567'),
        (e'SW\t12\n34567', 'normalised', 'SW1234567'),
        ('SW' || chr(160) || '1234567', 'normalised', 'SW1234567'),
        (chr(8199) || 'sw12345' || chr(8239) || '67', 'normalised', 'SW1234567'),
        ('SW12' || chr(8232) || '34567' || chr(8203), 'normalised', 'SW1234567'),
        (chr(65279) || e'SW1234567\x0b', 'normalised', 'SW1234567'),
        (chr(160) || chr(12288), 'missing', null),
        ('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'sender_hashed', null),
        ('1234567', 'invalid', '1234567'),
        ('S1234567', 'invalid', 'S1234567'),
        ('SW-1234567', 'normalised', 'SW1234567'),
        ('SW' || chr(8211) || '123' || chr(8722) || '4567', 'normalised', 'SW1234567'),
        (chr(65331) || chr(65335) || '12345' || chr(65302) || chr(65303), 'normalised', 'SW1234567'),
        ('SW' || chr(173) || '1234567', 'normalised', 'SW1234567'),
        ('SW12' || chr(8205) || '34567', 'normalised', 'SW1234567'),
        ('SW.1234567', 'invalid', 'SW.1234567'),
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
