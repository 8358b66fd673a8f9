-- Turnover per borough return and census year, and for Inner London, Outer
-- London and London: starters, leavers and in post (headcount and FTE), the
-- turnover rates, leavers by ReasonLeave, LeaverDestination and tenure band,
-- starters by StartOrigin. LA-employed workers only, as DfE counts them. Base
-- figures come from fct_la_indicators; breakdowns count the same people
-- (headcount_person_key) and add up to them. Small numbers suppressed
-- (macros/suppress_small_numbers.sql).

{#- (code, column slug); a missing or unlisted code is counted as not_recorded. -#}
{%- set reasons = [(1, 'resignation'), (2, 'voluntary_redundancy'), (3, 'compulsory_redundancy'),
    (4, 'dismissed'), (5, 'retired'), (6, 'deceased'), (7, 'moved_within_la'), (8, 'other'),
    (9, 'not_known'), (10, 'not_yet_collected')] -%}
{%- set destinations = [(1, 'other_la'), (2, 'outside_england'), (3, 'agency'),
    (4, 'other_social_work'), (5, 'other_social_care'), (6, 'non_social_care'), (7, 'other'),
    (8, 'not_known'), (9, 'not_yet_collected')] -%}
{%- set origins = [(1, 'newly_qualified'), (2, 'other_la'), (3, 'outside_england'), (4, 'agency'),
    (5, 'other_social_work'), (6, 'other_social_care'), (7, 'non_social_care'), (8, 'other'),
    (9, 'not_known'), (10, 'not_yet_collected')] -%}
{%- set tenure_bands = [('under 1', 'under_1'), ('1-2', '1_to_2'), ('2-5', '2_to_5'),
    ('5-10', '5_to_10'), ('10 and over', '10_and_over'), ('not known', 'not_known')] -%}

{%- set breakdowns = [] -%}
{%- set columns_of = {'reason': [], 'destination': [], 'tenure': [], 'origin': []} -%}
{%- for code, slug in reasons + [(none, 'not_recorded')] -%}
    {%- set condition = 'reason_leave = ' ~ code if code else
        'reason_leave is null or reason_leave not between 1 and ' ~ reasons | length -%}
    {%- do breakdowns.append(('leavers_reason_' ~ slug ~ '_headcount', 'leavers', condition)) -%}
    {%- do columns_of['reason'].append('leavers_reason_' ~ slug ~ '_headcount') -%}
{%- endfor -%}
{%- for code, slug in destinations + [(none, 'not_recorded')] -%}
    {%- set condition = 'leaver_destination = ' ~ code if code else
        'leaver_destination is null or leaver_destination not between 1 and ' ~ destinations | length -%}
    {%- do breakdowns.append(('leavers_destination_' ~ slug ~ '_headcount', 'leavers', condition)) -%}
    {%- do columns_of['destination'].append('leavers_destination_' ~ slug ~ '_headcount') -%}
{%- endfor -%}
{%- for band, slug in tenure_bands -%}
    {%- do breakdowns.append(('leavers_tenure_' ~ slug ~ '_headcount', 'leavers',
        tenure_band('tenure_years') ~ " = '" ~ band ~ "'")) -%}
    {%- do columns_of['tenure'].append('leavers_tenure_' ~ slug ~ '_headcount') -%}
{%- endfor -%}
{%- for code, slug in origins + [(none, 'not_recorded')] -%}
    {%- set condition = 'start_origin = ' ~ code if code else
        'start_origin is null or start_origin not between 1 and ' ~ origins | length -%}
    {%- do breakdowns.append(('starters_origin_' ~ slug ~ '_headcount', 'starters', condition)) -%}
    {%- do columns_of['origin'].append('starters_origin_' ~ slug ~ '_headcount') -%}
{%- endfor -%}

{%- set base_counts = ['inpost_headcount', 'starters_headcount', 'leavers_headcount'] -%}
{%- set breakdown_counts = breakdowns | map(attribute=0) | list %}

-- The queries below are rendered inside CTEs (computed_apart), where sqlfluff
-- misreads the indentation of their Jinja loops: LT02 is off for them only.
-- noqa: disable=LT02
{#- The unsuppressed rows, read by every suppression step: computed apart on
    Spark (computed_apart, macros/cross_engine.sql). -#}
{%- set unsuppressed_sql -%}
    with

    workers as (
        select
            *,
            {{ headcount_person_key('swe_number_hash', 'file_id', 'record_number') }} as person_key
        from {{ ref('fct_worker_census') }}
        where is_la_employed and (is_leaver or is_starter)
    ),

    indicators as (
        select * from {{ ref('fct_la_indicators') }}
    ),

    borough_breakdowns as (
        -- The same distinct person as fct_la_indicators' starters and leavers headcounts.
        select
            la_code,
            census_year,
            {%- for column, kind, condition in breakdowns %}
                count(distinct {{ row_of(['person_key', 'birth_month', 'gender', 'ethnicity',
                    'role_end_date' if kind == 'leavers' else 'role_start_date']) }})
                filter (where is_{{ kind[:-1] }} and ({{ condition }})) as {{ column }}
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        from workers
        group by la_code, census_year
    ),

    breakdown_areas as (
        {{ london_area_rows('borough_breakdowns', ['census_year'], breakdown_counts) }}
    ),

    unsuppressed as (
        select
            indicators.area_code,
            indicators.census_year,
            indicators.area_type,
            indicators.area_name,
            indicators.la_code,
            breakdown_areas.parent_area_code,
            indicators.is_complete,
            indicators.inpost_headcount,
            indicators.inpost_fte,
            indicators.starters_headcount,
            indicators.starters_fte,
            indicators.leavers_headcount,
            indicators.leavers_fte,
            {{ turnover_rate('indicators.leavers_fte', 'indicators.inpost_fte') }} as turnover_fte_rate,
            {{ turnover_rate('indicators.leavers_headcount', 'indicators.inpost_headcount') }}
                as turnover_headcount_rate,
            {%- for column in breakdown_counts %}
                cast(coalesce(breakdown_areas.{{ column }}, 0) as bigint) as {{ column }}
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        from indicators
        left join breakdown_areas
            on
                indicators.area_code = breakdown_areas.area_code
                and indicators.census_year = breakdown_areas.census_year
    )

    select * from unsuppressed
{%- endset %}

{#- The suppression groups, computed apart on Spark as the rows are. -#}
{%- set suppression_groups_sql -%}
    with

    suppression_groups as (
        {{ suppression_row_groups('unsuppressed', ['area_code', 'census_year'], [
            ['leavers_headcount', columns_of['reason']],
            ['leavers_headcount', columns_of['destination']],
            ['leavers_headcount', columns_of['tenure']],
            ['starters_headcount', columns_of['origin']],
        ]) }}
        union all
        {{ suppression_area_groups(
            'unsuppressed', ['area_code', 'census_year'], 'area_code', 'parent_area_code',
            base_counts + breakdown_counts) }}
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
        'unsuppressed', ['area_code', 'census_year'], base_counts + breakdown_counts, 'suppression_groups',
        fte_columns={'inpost_fte': 'inpost_headcount', 'starters_fte': 'starters_headcount',
                     'leavers_fte': 'leavers_headcount'},
        rate_columns={'turnover_fte_rate': ['leavers_fte', 'inpost_fte'],
                      'turnover_headcount_rate': ['leavers_headcount', 'inpost_headcount']}) }}
)

select * from final
