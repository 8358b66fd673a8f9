-- No aggregated extract publishes a count from 1 to 4: every *_headcount and
-- *_count column of every extract whose contract says it is aggregated (read
-- from the project graph, so a new extract or count column is checked without
-- editing this test). Returns every small count, or a row if none was checked.
-- depends_on: {{ ref('ext_turnover') }}, {{ ref('ext_agency_reliance') }}
-- depends_on: {{ ref('ext_movement') }}, {{ ref('ext_equality') }}
-- depends_on: {{ ref('ext_data_quality') }}
{%- set checks = [] %}
{%- for node in graph.nodes.values()
    if node.resource_type == 'model' and node.name.startswith('ext_')
    and node.config.meta.get('aggregated', true) %}
    {%- for column in node.columns if column.endswith('_headcount') or column.endswith('_count') %}
        {%- do checks.append((node.name, column)) %}
    {%- endfor %}
{%- endfor %}

with

small_counts as (
    {%- for name, column in checks %}
        select
            '{{ name }}' as extract_name,
            '{{ column }}' as count_column,
            {{ column }} as small_count
        from {{ ref(name) }}
        where {{ column }} between {{ suppression_low() }} and {{ suppression_high() }}
        union all
    {%- endfor %}
    -- the check itself found the count columns
    select
        'none' as extract_name,
        'no count column found' as count_column,
        null as small_count
    where {{ checks | length }} < 10
)

select * from small_counts
