-- Reliance on agency social workers per borough return and census year, and
-- for Inner London, Outer London and London: agency FTE and headcount, the
-- agency rate, vacancies and the vacancy rate, agency cover of vacancies, and
-- the change against the previous census year. Figures are fct_la_indicators'
-- (rates from macros/indicator_rates.sql); small numbers suppressed
-- (macros/suppress_small_numbers.sql), and a change is null whenever either
-- year's figure is.

{%- set counts = ['inpost_headcount', 'agency_headcount', 'agency_cover_headcount'] %}
{#- (change column, the figure it compares, its type) -#}
{%- set changes = [
    ('agency_fte_change', 'agency_fte', 'decimal(18, 6)'),
    ('agency_headcount_change', 'agency_headcount', 'bigint'),
    ('agency_fte_rate_change_points', 'agency_fte_rate', 'double'),
    ('vacancy_fte_change', 'vacancy_fte', 'decimal(18, 6)'),
    ('vacancy_fte_rate_change_points', 'vacancy_fte_rate', 'double'),
] %}
{%- set previous_columns = [] %}
{%- for change, column, type in changes %}{% do previous_columns.append('previous_' ~ column) %}{% endfor %}

-- The queries below are rendered inside CTEs (computed_apart), where sqlfluff
-- misreads the indentation of their Jinja loops: LT02 is off for them only.
-- noqa: disable=LT02
{#- The unsuppressed rows, read by every suppression step: computed apart on
    Spark (computed_apart, macros/cross_engine.sql). -#}
{%- set unsuppressed_sql -%}
    with

    indicators as (
        select * from {{ ref('fct_la_indicators') }}
    ),

    las as (
        select distinct
            return_la_code,
            sub_region_code
        from {{ ref('dim_la') }}
    ),

    unsuppressed as (
        select
            indicators.area_code,
            indicators.census_year,
            indicators.area_type,
            indicators.area_name,
            indicators.la_code,
            case
                when indicators.area_type = 'borough' then las.sub_region_code
                when indicators.area_code <> 'E12000007' then 'E12000007'
            end as parent_area_code,
            indicators.is_complete,
            indicators.inpost_headcount,
            indicators.inpost_fte,
            indicators.agency_headcount,
            indicators.agency_fte,
            {{ agency_rate('indicators.agency_fte', 'indicators.inpost_fte') }} as agency_fte_rate,
            indicators.vacancy_fte,
            {{ vacancy_rate('indicators.vacancy_fte', 'indicators.inpost_fte') }} as vacancy_fte_rate,
            indicators.agency_cover_headcount,
            indicators.agency_cover_fte,
            {{ agency_cover_rate('indicators.agency_cover_fte', 'indicators.agency_fte') }} as agency_cover_fte_rate,
            {{ vacancy_agency_cover_rate('indicators.agency_cover_fte', 'indicators.vacancy_fte') }}
                as vacancy_agency_cover_fte_rate
        from indicators
        left join las
            on indicators.la_code = las.return_la_code
    )

    select * from unsuppressed
{%- endset %}

{#- The suppression groups, computed apart on Spark as the rows are. -#}
{%- set suppression_groups_sql -%}
    with

    suppression_groups as (
        {{ suppression_area_groups(
            'unsuppressed', ['area_code', 'census_year'], 'area_code', 'parent_area_code', counts) }}
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

suppressed as (
    {{ suppress_small_numbers(
        'unsuppressed', ['area_code', 'census_year'], counts, 'suppression_groups',
        fte_columns={'inpost_fte': 'inpost_headcount', 'agency_fte': 'agency_headcount',
                     'agency_cover_fte': 'agency_cover_headcount'},
        rate_columns={'agency_fte_rate': ['agency_fte', 'inpost_fte'],
                      'vacancy_fte_rate': ['inpost_fte'],
                      'agency_cover_fte_rate': ['agency_cover_fte', 'agency_fte'],
                      'vacancy_agency_cover_fte_rate': ['agency_cover_fte']}) }}
),

with_previous as (
    -- The previous census year's row of the same area, if the area has one.
    select
        suppressed.*,
        {%- for change, column, type in changes %}
            previous.{{ column }} as previous_{{ column }},
        {%- endfor %}
        previous.suppressed_columns as previous_suppressed_columns
    from suppressed
    left join suppressed as previous
        on
            suppressed.area_code = previous.area_code
            and suppressed.census_year = previous.census_year + 1
),

final as (
    select
        {{ star_except(previous_columns + ['previous_suppressed_columns', 'suppressed_columns']) }},
        {%- for change, column, type in changes %}
            cast({{ column }} - previous_{{ column }} as {{ type }}) as {{ change }},
        {%- endfor %}
        -- A change is suppressed with either year's figure (if there is a previous year).
        concat_ws(
            ', ',
            nullif(suppressed_columns, ''),
            {%- for change, column, type in changes %}
                case
                    when previous_suppressed_columns is not null and (
                        contains(', ' || suppressed_columns || ', ', ', {{ column }}, ')
                        or contains(', ' || previous_suppressed_columns || ', ', ', {{ column }}, ')
                    ) then '{{ change }}'
                end{% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as suppressed_columns
    from with_previous
)

select * from final
