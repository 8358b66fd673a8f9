-- suppress_small_numbers across rows: a borough's suppressed cell beside its
-- published sub-region total takes the next smallest borough with it; a
-- suppressed sub-region beside a published London total takes the other
-- sub-region, whose boroughs would then add up to it, so one of them goes too
-- (the rule runs until no group is exposed). Row and column groups together
-- (scenario 3): one small cell ends with all four cells of a 2 x 2 block
-- suppressed. Returns every cell whose suppression differs from the expectation.
with

cases as (
    select t.*
    from (
        values
        -- scenario, area, parent area, a, b, t (= a + b), expected suppressed columns
        -- 1: a lone 3 in Inner London: the 8 beside it goes too, nothing else.
        (1, 'X1', 'INNER', 3, 0, 3, 'a_headcount, t_headcount'),
        (1, 'X2', 'INNER', 8, 0, 8, 'a_headcount, t_headcount'),
        (1, 'X3', 'INNER', 12, 0, 12, ''),
        (1, 'INNER', 'LONDON', 23, 0, 23, ''),
        (1, 'Y1', 'OUTER', 6, 0, 6, ''),
        (1, 'Y2', 'OUTER', 9, 0, 9, ''),
        (1, 'OUTER', 'LONDON', 15, 0, 15, ''),
        (1, 'LONDON', null, 38, 0, 38, ''),
        -- 2: Inner London is 2 in all: London - Outer would reveal it, so Outer goes,
        --    then Outer = Y1 + Y2 would reveal Outer, so Y1 (the tie's first) goes.
        (2, 'X1', 'INNER', 2, 0, 2, 'a_headcount, t_headcount'),
        (2, 'X2', 'INNER', 0, 0, 0, ''),
        (2, 'INNER', 'LONDON', 2, 0, 2, 'a_headcount, t_headcount'),
        (2, 'Y1', 'OUTER', 10, 0, 10, 'a_headcount, t_headcount'),
        (2, 'Y2', 'OUTER', 10, 0, 10, ''),
        (2, 'OUTER', 'LONDON', 20, 0, 20, 'a_headcount, t_headcount'),
        (2, 'LONDON', null, 22, 0, 22, ''),
        -- 3: rows and columns: X1's 2 takes X1's 6 (row) and X2's 5 (column), which
        --    then take X2's 7; the totals stay.
        (3, 'X1', 'P', 2, 6, 8, 'a_headcount, b_headcount'),
        (3, 'X2', 'P', 5, 7, 12, 'a_headcount, b_headcount'),
        (3, 'P', null, 7, 13, 20, '')
    ) as t (scenario, area_code, parent_code, a_headcount, b_headcount, t_headcount, expected_suppressed)
),

groups as (
    {{ suppression_area_groups(
        'cases', ['scenario', 'area_code'], 'area_code', 'parent_code',
        ['a_headcount', 'b_headcount', 't_headcount']) }}
    union all
    {{ suppression_row_groups(
        'cases', ['scenario', 'area_code'], {'t_headcount': ['a_headcount', 'b_headcount']}) }}
),

suppressed as (
    {{ suppress_small_numbers(
        'cases', ['scenario', 'area_code'], ['a_headcount', 'b_headcount', 't_headcount'], 'groups') }}
)

select
    scenario,
    area_code,
    suppressed_columns,
    expected_suppressed
from suppressed
where
    suppressed_columns <> expected_suppressed
    or (a_headcount is null) <> contains(expected_suppressed, 'a_headcount')
    or (b_headcount is null) <> contains(expected_suppressed, 'b_headcount')
    or (t_headcount is null) <> contains(expected_suppressed, 't_headcount')
