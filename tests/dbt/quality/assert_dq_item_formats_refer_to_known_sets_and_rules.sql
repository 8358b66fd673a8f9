-- Every code set named in csww_item_formats exists in csww_code_sets, and every
-- pair rule it names is in the dq_rules catalogue.
with

formats as (
    select * from {{ ref('csww_item_formats') }}
),

missing_code_sets as (
    select
        formats.item_name,
        'unknown code set ' || formats.code_set as problem
    from formats
    where
        formats.value_type = 'code'
        and formats.code_set not in (select code_sets.code_set from {{ ref('csww_code_sets') }} as code_sets)
),

missing_rules as (
    select
        formats.item_name,
        'unknown rule ' || formats.pair_rule_id as problem
    from formats
    where
        coalesce(formats.pair_rule_id, '') <> ''
        and formats.pair_rule_id not in (select rules.rule_id from {{ ref('dq_rules') }} as rules)
)

select * from missing_code_sets
union all
select * from missing_rules
