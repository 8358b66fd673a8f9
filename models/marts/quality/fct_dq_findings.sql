-- One row per data-quality finding on a borough's current (accepted) return:
-- every category's findings with the rule's category and severity from the
-- dq_rules catalogue. Messages name the record and item, never an identifier.
with

findings as (
    select * from {{ ref('int_dq__format_findings') }}
    union all
    select * from {{ ref('int_dq__completeness_findings') }}
    union all
    select * from {{ ref('int_dq__pair_findings') }}
    union all
    select * from {{ ref('int_dq__logic_findings') }}
),

rules as (
    select * from {{ ref('dq_rules') }}
),

final as (
    select
        cast(md5(concat_ws(
            '|',
            findings.file_id,
            coalesce(findings.record_number, 0),
            findings.rule_id,
            coalesce(findings.item, ''),
            coalesce(findings.value_index, 0)
        )) as string) as finding_id,
        cast(findings.la_code as string) as la_code,
        cast(findings.census_year as integer) as census_year,
        cast(findings.file_id as integer) as file_id,
        cast(findings.record_number as integer) as record_number,
        cast(findings.item as string) as item,
        cast(findings.rule_id as string) as rule_id,
        cast(rules.category as string) as category,
        cast(rules.severity as string) as severity,
        cast(findings.message as string) as message
    from findings
    left join rules on findings.rule_id = rules.rule_id
)

select * from final
