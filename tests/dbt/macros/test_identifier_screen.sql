-- identifier_screen: free text that is or holds one of landing's identifiers
-- (stand-ins here: a SWE number and a birth date) in any spelling the
-- normaliser folds is found by the candidate join; text shaped like an
-- identifier is flagged by the rule; short identifiers are not searched for;
-- other text passes. Seven-digit numbers and 1890s dates: no literal can equal
-- a sample worker's identifier in the privacy scan of compiled tests.
with

identifiers as (
    select t.identifier
    from (
        values ('SW1234567'), ('1893-06-17'), ('AB12')
    ) as t (identifier)
),

texts as (
    select t.*
    from (
        values
        ('Relocation paid to SW-1234567', true, true),
        ('paid to ' || chr(65331) || chr(65335) || '1234567', true, true),
        ('ref SW' || chr(173) || '12345' || chr(8205) || '67', true, true),
        ('glued xSW1234567y', true, true),
        ('born 17/06/1893', true, true),
        ('born 17 June 1893', true, true),
        ('SW7654321 is someone else', false, true),
        ('note AB12 only', false, false),
        ('Market supplement', false, false),
        ('census year 2024', false, false)
    ) as t (free_text, expected_holds, expected_looks_like)
),

screen as (
    {{ identifier_screen('texts', 'free_text', 'identifiers') }}
)

select
    texts.free_text,
    screen.holds_landing_identifier,
    screen.looks_like_identifier
from texts
left join screen on texts.free_text = screen.screened_text
where
    screen.holds_landing_identifier is distinct from texts.expected_holds
    or screen.looks_like_identifier is distinct from texts.expected_looks_like
