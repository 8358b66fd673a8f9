-- Pair findings: items that must be given together for LA-employed workers
-- (pair_rule_id in csww_item_formats: RoleStartDate with StartOrigin;
-- RoleEndDate with ReasonLeave and LeaverDestination). An item missing while a
-- partner is present is a pair finding (and not a completeness one). Agency
-- workers' start and leaving details are not collected, so not checked.
with

presence as (
    select * from {{ ref('int_dq__item_presence') }}
    where pair_rule_id is not null
),

groups as (
    select
        file_id,
        record_number,
        pair_rule_id,
        {{ ordered_string_agg('item_name', ', ', 'item_name', filter='is_present') }} as present_items
    from presence
    group by file_id, record_number, pair_rule_id
),

findings as (
    select
        {{ dq_finding(
            relation='presence',
            rule_id='presence.pair_rule_id',
            item='presence.item_name',
            message="presence.item_name || ' is missing although ' || groups.present_items
                || ' is given: they must be given together'"
        ) }}
    from presence
    inner join groups
        on
            presence.file_id = groups.file_id
            and presence.record_number = groups.record_number
            and presence.pair_rule_id = groups.pair_rule_id
    where
        presence.is_la_employed
        and not presence.is_present
        and groups.present_items is not null
)

select * from findings
