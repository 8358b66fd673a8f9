-- The data quality of each borough's accepted return, per census year: how many
-- worker records it holds, how many have an error or only warnings, and its
-- quality score (fct_dq_quality_score). The London report's methodology page
-- shows it as the caveat of each borough-year; the report reads only extracts.
-- Small numbers suppressed like every aggregated extract; a score is withheld
-- with any count it is built from (one could be recovered from the other two).

{%- set counts = ['worker_records_count', 'error_records_count', 'warning_only_records_count'] %}
{%- set keys = ['area_code', 'census_year'] %}

-- The queries below are rendered inside CTEs (computed_apart), where sqlfluff
-- misreads the indentation of their Jinja loops: LT02 is off for them only.
-- noqa: disable=LT02
{#- The unsuppressed rows, read by every suppression step: computed apart on
    Spark (computed_apart, macros/cross_engine.sql). -#}
{%- set unsuppressed_sql -%}
    with

    returns as (
        select
            la_code,
            census_year
        from {{ ref('fct_la_indicators') }}
        where area_type = 'borough'
    ),

    unsuppressed as (
        select
            cast(scores.la_code as string) as area_code,
            cast(scores.census_year as integer) as census_year,
            'borough' as area_type,
            dim_la.la_name as area_name,
            cast(scores.la_code as string) as la_code,
            cast(scores.worker_records as bigint) as worker_records_count,
            cast(scores.records_with_errors as bigint) as error_records_count,
            cast(scores.records_with_warnings_only as bigint) as warning_only_records_count,
            cast(scores.has_file_level_errors as boolean) as has_file_level_errors,
            cast(scores.quality_score as double) as quality_score
        from {{ ref('fct_dq_quality_score') }} as scores
        inner join returns
            on
                scores.la_code = returns.la_code
                and scores.census_year = returns.census_year
        left join {{ ref('dim_la') }} as dim_la on scores.la_code = dim_la.la_code
    )

    select * from unsuppressed
{%- endset %}

{#- The suppression groups, computed apart on Spark as the rows are. -#}
{%- set suppression_groups_sql -%}
    with

    suppression_groups as (
        -- No cell here adds up to another, so only the primary rule applies.
        select
            cast(null as string) as group_id,
            cast(null as string) as row_key,
            cast(null as string) as column_name,
            false as is_total
        where false
    )

    select * from suppression_groups
{%- endset %}
-- noqa: enable=LT02

with

unsuppressed as (
    {{ computed_apart('unsuppressed', unsuppressed_sql) }}
),

suppression_groups as (
    {{ computed_apart('suppression_groups', suppression_groups_sql, ['unsuppressed']) }}
),

final as (
    {{ suppress_small_numbers(
        'unsuppressed', keys, counts, 'suppression_groups',
        rate_columns={'quality_score': counts}) }}
)

select * from final
