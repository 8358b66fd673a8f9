-- pseudonymise_swe_number: spelling variants of one number share one hash,
-- different numbers differ, blank/null give null, a sender's 64-hex pseudonym
-- is keyed-hashed too (never kept: an unkeyed SHA-256 is reversible), in any
-- case, and every hash is 64 lower-case hex. Spelling variants include
-- non-ASCII whitespace (no-break space U+00A0, figure space U+2007, narrow
-- no-break space U+202F, ideographic space U+3000, zero-width space U+200B,
-- byte-order mark U+FEFF), full-width letters and digits (NFKC), the soft
-- hyphen U+00AD, the zero-width joiner U+200D and dashes, written as chr() so
-- the file shows them.
-- (Seven-digit numbers: the synthetic sample uses six, so no test literal can
-- coincide with a sample worker's number in the privacy scan of logs.)
with

inputs as (
    select t.*
    from (
        values
        ('same', 'sw1234567'),
        ('same', ' SW 1234567 '),
        ('same', 'SW1234567'),
        ('same', e'\tSw12 34567\n'),
        ('same', 'SW' || chr(160) || '1234567'),
        ('same', chr(8199) || 'sw 12' || chr(8239) || '34567' || chr(12288)),
        ('same', chr(65279) || 'SW12' || chr(8203) || '34567' || e'\r\x0b'),
        ('same', chr(65331) || chr(65335) || '12345' || chr(65302) || chr(65303)),
        ('same', 'SW' || chr(173) || '1234567'),
        ('same', 'SW12' || chr(8205) || '34567'),
        ('same', 'SW-123-4567'),
        ('other', 'SW7654321'),
        ('blank', ''),
        ('blank', '   '),
        ('blank', chr(160) || e'\t' || chr(8239)),
        ('blank', null),
        ('sender', ' FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210 '),
        ('sender', 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210')
    ) as t (case_name, raw_value)
),

hashed as (
    select
        case_name,
        {{ pseudonymise_swe_number('raw_value') }} as hashed_value
    from inputs
),

failures as (
    select 'spelling variants of one number do not share one hash' as failure
    from hashed
    where case_name = 'same'
    having count(distinct hashed_value) != 1 or count(hashed_value) != 11
    union all
    select 'different numbers share a hash' as failure
    from hashed as same_number
    inner join hashed as other_number
        on same_number.hashed_value = other_number.hashed_value
    where same_number.case_name = 'same' and other_number.case_name = 'other'
    union all
    select 'blank or null did not give null' as failure
    from hashed
    where case_name = 'blank' and hashed_value is not null
    union all
    select 'a sender 64-hex value was kept, not keyed-hashed' as failure
    from hashed
    where
        case_name = 'sender'
        and (
            hashed_value is null
            or lower(hashed_value) = 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210'
        )
    union all
    select 'a sender 64-hex value in two cases did not give one hash' as failure
    from hashed
    where case_name = 'sender'
    having count(distinct hashed_value) != 1
    union all
    select 'a hash is not 64 lower-case hex' as failure
    from hashed
    where hashed_value is not null and not regexp_full_match(hashed_value, '[0-9a-f]{64}')
)

select * from failures
