-- suppress_small_numbers within a row: counts 1-4 are suppressed, zero stays
-- zero, and when one breakdown cell is suppressed beside its published row
-- total the smallest non-zero other cell is suppressed too. An FTE follows its
-- headcount, a rate every count it is built from (an unpublished denominator
-- of 1-4 included). Returns every cell that differs from the expectation.
with

cases as (
    select t.*
    from (
        values
        -- a, b, c, total (= a + b + c), a_fte, helper (the rate's denominator), expected
        ('lone one', 1, 10, 0, 11, 0.8, 30, 'a_headcount, b_headcount, a_fte, a_rate'),
        ('two in a row', 2, 3, 20, 25, 1.5, 30, 'a_headcount, b_headcount, a_fte, a_rate'),
        ('zeros stay zero', 0, 0, 7, 7, 0.0, 30, ''),
        ('four and five', 4, 5, 50, 59, 3.2, 60, 'a_headcount, b_headcount, a_fte, a_rate'),
        ('small total', 5, 0, 0, 3, 4.0, 30, 'a_headcount, total_headcount, a_fte, a_rate'),
        ('small denominator', 6, 7, 8, 21, 5.0, 3, 'a_rate'),
        ('nothing small', 5, 6, 7, 18, 4.0, 30, ''),
        ('unknown count', null, 9, 9, 18, null, 30, ''),
        ('all small', 1, 1, 1, 3, 0.5, 30, 'a_headcount, b_headcount, c_headcount, total_headcount, a_fte, a_rate')
    ) as t (
        case_name, a_headcount, b_headcount, c_headcount, total_headcount, a_fte, helper_count,
        expected_suppressed
    )
),

unsuppressed as (
    select
        *,
        {{ percent_of('a_headcount', 'helper_count') }} as a_rate
    from cases
),

groups as (
    {{ suppression_row_groups(
        'unsuppressed', ['case_name'],
        {'total_headcount': ['a_headcount', 'b_headcount', 'c_headcount']}) }}
),

suppressed as (
    {{ suppress_small_numbers(
        'unsuppressed', ['case_name'],
        ['a_headcount', 'b_headcount', 'c_headcount', 'total_headcount'], 'groups',
        fte_columns={'a_fte': 'a_headcount'},
        rate_columns={'a_rate': ['a_fte', 'helper_count']},
        helper_columns=['helper_count']) }}
),

compared as (
    select
        suppressed.case_name,
        suppressed.suppressed_columns,
        unsuppressed.expected_suppressed,
        string_split(unsuppressed.expected_suppressed, ', ') as expected_list,
        suppressed.a_headcount,
        unsuppressed.a_headcount as raw_a,
        suppressed.b_headcount,
        unsuppressed.b_headcount as raw_b,
        suppressed.c_headcount,
        unsuppressed.c_headcount as raw_c,
        suppressed.total_headcount,
        unsuppressed.total_headcount as raw_total,
        suppressed.a_fte,
        unsuppressed.a_fte as raw_a_fte,
        suppressed.a_rate,
        unsuppressed.a_rate as raw_a_rate
    from suppressed
    inner join unsuppressed on suppressed.case_name = unsuppressed.case_name
)

select *
from compared
where
    suppressed_columns is distinct from expected_suppressed
    or a_headcount is distinct from (case when list_contains(expected_list, 'a_headcount') then null else raw_a end)
    or b_headcount is distinct from (case when list_contains(expected_list, 'b_headcount') then null else raw_b end)
    or c_headcount is distinct from (case when list_contains(expected_list, 'c_headcount') then null else raw_c end)
    or total_headcount is distinct from (
        case when list_contains(expected_list, 'total_headcount') then null else raw_total end
    )
    or a_fte is distinct from (case when list_contains(expected_list, 'a_fte') then null else raw_a_fte end)
    or a_rate is distinct from (case when list_contains(expected_list, 'a_rate') then null else raw_a_rate end)
    -- the helper (an unpublished denominator) never reaches the output
    or (select count(*) from suppressed) <> 9
