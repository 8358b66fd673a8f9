-- No aggregated extract publishes a count from 1 to 4: every *_headcount and
-- *_count column of every extract but the individual one (found from the
-- built tables, so a new count column is checked without editing this test).
-- depends_on: {{ ref('ext_turnover') }}, {{ ref('ext_agency_reliance') }}
-- depends_on: {{ ref('ext_movement') }}, {{ ref('ext_equality') }}
{%- set aggregated = ['ext_turnover', 'ext_agency_reliance', 'ext_movement', 'ext_equality'] %}
{%- set checks = [] %}
{%- if execute %}
    {%- for name in aggregated %}
        {%- for column in adapter.get_columns_in_relation(ref(name)) %}
            {%- if column.name.endswith('_headcount') or column.name.endswith('_count') %}
                {%- do checks.append((name, column.name)) %}
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
{%- endif %}

{%- for name, column in checks %}
    select
        '{{ name }}' as extract,
        '{{ column }}' as count_column,
        {{ column }} as small_count
    from {{ ref(name) }}
    where {{ column }} between {{ suppression_low() }} and {{ suppression_high() }}
    union all
{%- endfor %}
-- and the check itself found the count columns
select 'none' as extract, 'no count column found' as count_column, null as small_count
where {{ checks | length }} < 10
