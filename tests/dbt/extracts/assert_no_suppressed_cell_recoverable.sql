-- Secondary suppression left nothing to subtract: in the published extracts,
-- no suppressed cell is the only suppressed one beside a published total.
--   * boroughs -> sub-region -> London (ext_turnover, ext_agency_reliance and
--     ext_equality: each count column, per year and breakdown category);
--   * a breakdown beside its total (ext_turnover's reason, destination, tenure
--     and origin columns; ext_equality's categories beside 'all');
--   * ext_movement's borough-to-borough moves beside each borough's moves out
--     (to London) and in (from London);
--   * ext_equality's cross-tab (ethnic group, gender, age band by seniority),
--     each count column: a category's cells beside its one-way row, and an
--     OrgRole's cells beside its org_role row (the areas are checked above).
-- Count columns come from the contracts (the project graph). Returns every
-- exposed group.
-- depends_on: {{ ref('ext_turnover') }}, {{ ref('ext_agency_reliance') }}
-- depends_on: {{ ref('ext_movement') }}, {{ ref('ext_equality') }}
{%- set area_extracts = {
    'ext_turnover': ['area_code', 'census_year'],
    'ext_agency_reliance': ['area_code', 'census_year'],
    'ext_equality': ['area_code', 'census_year', 'breakdown', 'category', 'seniority'],
} %}
{%- set counts_of = {} %}
{%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name.startswith('ext_') %}
    {%- do counts_of.update({node.name: node.columns.keys() | list}) %}
{%- endfor %}
{%- set headcounts_of = {} %}
{%- for name, columns in counts_of.items() %}
    {%- set found = [] %}
    {%- for column in columns if column.endswith('_headcount') %}{% do found.append(column) %}{% endfor %}
    {%- do headcounts_of.update({name: found}) %}
{%- endfor %}

with

{%- for name, keys in area_extracts.items() %}
    {%- set other_keys = keys | reject('equalto', 'area_code') | list %}

    {{ name }}_exposed as (
        {%- for column in headcounts_of.get(name, []) %}
            select
                '{{ name }}' as extract_name,
                '{{ column }}' as count_column,
                concat_ws(
                    ' ',
                    parent.area_code,
                    {%- for key in other_keys %}
                        parent.{{ key }}{% if not loop.last %},{% endif %}
                    {%- endfor %}
                ) as total_cell
            from {{ ref(name) }} as child
            inner join {{ ref(name) }} as parent
                on
                    child.parent_area_code = parent.area_code
                    {%- for key in other_keys %}
                        and child.{{ key }} = parent.{{ key }}
                    {%- endfor %}
            group by all
            having
                count(*) filter (where child.{{ column }} is null) = 1
                and bool_and(parent.{{ column }} is not null)
            union all
        {%- endfor %}
        select
            null as extract_name,
            null as count_column,
            null as total_cell
        where false
    ),
{%- endfor %}

turnover_rows as (
    select * from {{ ref('ext_turnover') }}
),

equality_totals as (
    select
        area_code,
        census_year,
        inpost_headcount
    from {{ ref('ext_equality') }}
    where breakdown = 'all'
),

equality_one_way as (
    select * from {{ ref('ext_equality') }}
    where seniority = 'all'
),

equality_cross as (
    select * from {{ ref('ext_equality') }}
    where seniority <> 'all'
),

equality_cross_exposed as (
    {#- (direction, how a cell meets its margin, the margin's category) -#}
    {%- set margins = [
        ('seniority', "cells.breakdown = margin.breakdown and cells.category = margin.category",
         'cells.category'),
        ('category', "margin.breakdown = 'org_role' and cells.seniority = margin.category",
         'cells.seniority')] %}
    {%- for column in headcounts_of.get('ext_equality', []) %}
        {%- for direction, meets, margin_category in margins %}
            select
                'ext_equality' as extract_name,
                cells.breakdown || ' by {{ direction }} {{ column }}' as count_column,
                concat_ws(' ', cells.area_code, cells.census_year, {{ margin_category }}) as total_cell
            from equality_cross as cells
            inner join equality_one_way as margin
                on
                    cells.area_code = margin.area_code
                    and cells.census_year = margin.census_year
                    and {{ meets }}
            group by all
            having
                count(*) filter (where cells.{{ column }} is null) = 1
                and bool_and(margin.{{ column }} is not null)
            union all
        {%- endfor %}
    {%- endfor %}
    select
        null as extract_name,
        null as count_column,
        null as total_cell
    where false
),

row_exposed as (
    {%- for total, prefix in [('leavers_headcount', 'leavers_reason_'),
                              ('leavers_headcount', 'leavers_destination_'),
                              ('leavers_headcount', 'leavers_tenure_'),
                              ('starters_headcount', 'starters_origin_')] %}
        {%- set members = [] %}
        {%- for name in headcounts_of.get('ext_turnover', []) if name.startswith(prefix) %}
            {%- do members.append(name) %}
        {%- endfor %}
        select
            'ext_turnover' as extract_name,
            '{{ prefix }}*' as count_column,
            area_code || ' ' || census_year as total_cell
        from turnover_rows
        where
            {{ total }} is not null
            and (
                0
                {%- for member in members %}
                    + cast({{ member }} is null as integer)
                {%- endfor %}
            ) = 1
        union all
    {%- endfor %}
    select
        'ext_equality' as extract_name,
        categories.breakdown || ' inpost_headcount' as count_column,
        categories.area_code || ' ' || categories.census_year as total_cell
    from equality_one_way as categories
    inner join equality_totals
        on
            categories.area_code = equality_totals.area_code
            and categories.census_year = equality_totals.census_year
    where categories.breakdown <> 'all'
    group by all
    having
        count(*) filter (where categories.inpost_headcount is null) = 1
        and bool_and(equality_totals.inpost_headcount is not null)
),

movement as (
    select * from {{ ref('ext_movement') }}
    where flow_type = 'moved'
),

movement_exposed as (
    {%- for column in headcounts_of.get('ext_movement', []) %}
        {%- for side, other in [('from', 'to'), ('to', 'from')] %}
            select
                'ext_movement' as extract_name,
                '{{ column }} {{ side }}' as count_column,
                concat_ws(
                    ' ', margin.{{ side }}_area_code, margin.from_census_year, margin.to_census_year
                ) as total_cell
            from movement as margin
            inner join movement as pair
                on
                    margin.{{ side }}_area_code = pair.{{ side }}_area_code
                    and margin.from_census_year = pair.from_census_year
                    and margin.to_census_year = pair.to_census_year
            where
                margin.{{ other }}_area_code = 'E12000007'
                and margin.{{ side }}_area_type = 'borough'
                and pair.{{ other }}_area_type = 'borough'
            group by all
            having
                count(*) filter (where pair.{{ column }} is null) = 1
                and bool_and(margin.{{ column }} is not null)
            union all
        {%- endfor %}
    {%- endfor %}
    select
        null as extract_name,
        null as count_column,
        null as total_cell
    where false
)

{%- for name in area_extracts %}
    select * from {{ name }}_exposed
    union all
{%- endfor %}
select * from row_exposed
union all
select * from equality_cross_exposed
union all
select * from movement_exposed
