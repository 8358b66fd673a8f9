-- Completeness findings: items mandatory for LA-employed workers (FTE30 and
-- WorkingDaysLost for those in post) that are missing (unless a pair partner
-- is given: then int_dq__pair_findings reports it), and missing mandatory LA-level items. Only
-- items of the return's own layout are expected (csww_item_formats).
with

presence as (
    select * from {{ ref('int_dq__item_presence') }}
),

la_level_values as (
    select * from {{ ref('int_dq__la_level_values') }}
),

worker_items_missing as (
    select
        {{ dq_finding(
            rule_id="'CMP_MANDATORY'",
            item='item_name',
            message="item_name || ' is missing: it is mandatory for LA-employed workers'
                || case mandatory_for when 'la_employed_in_post' then ' in post at 30 September' else '' end"
        ) }}
    from presence
    where
        is_mandatory
        and not is_present
        and mandatory_for like 'la_employed%'
        -- missing while its pair partner is given: the pair rule reports it
        and not pair_group_has_present
),

-- An LA-level item mandatory in the return's layout (the 2025 pay items and
-- OtherAllowances only from 2025) that was not sent, or sent empty. A value
-- that was sent but is unreadable is a format finding instead.
la_level_items_missing as (
    select
        {{ dq_finding(
            rule_id="'CMP_LA_LEVEL'",
            item='item_name',
            record_number='null',
            message="'LA-level ' || item_name || ' is missing: the return of this census year must give it'"
        ) }}
    from la_level_values
    where mandatory_for = 'la_level' and not is_present
),

findings as (
    select * from worker_items_missing
    union all
    select * from la_level_items_missing
)

select * from findings
