-- Every region row of fct_la_indicators is the sum of its boroughs' rows: London
-- sums each London borough's return (those with a sub-region: an authority from
-- elsewhere is outside London's areas), Inner and Outer London their own, and
-- London is Inner plus Outer London. returns_included counts the returns summed;
-- returns_expected is 32 for London (33 authorities, Kingston and Richmond's joint
-- return), 14 for Inner and 18 for Outer London. The summed figures are the
-- catalogue's base figures (vars.dfe_indicators) and the two headcounts beside them;
-- the rates are checked by assert_indicator_rates_follow_the_catalogue. Returns
-- every disagreement, so a wrong region figure fails the build.
{%- set summed = [] %}
{%- for entry in dfe_indicators() if 'numerator' not in entry %}
    {%- do summed.append(entry.name) %}
{%- endfor %}
{%- do summed.extend(['agency_headcount', 'agency_cover_headcount', 'returns_included']) %}

with

indicators as (
    select * from {{ ref('fct_la_indicators') }}
),

london_boroughs as (
    select
        *,
        1 as returns_counted
    from indicators
    where area_type = 'borough' and sub_region is not null
),

regions as (
    select
        *,
        coalesce(sub_region, area_name) as region_name
    from indicators
    where area_type = 'region'
),

borough_sums as (
    {%- for grouping, region_name in [('sub_region', 'sub_region'), ('census_year', "'London'")] %}
        select
            census_year,
            {{ region_name }} as region_name,
            {%- for figure in summed %}
                sum({{ 'returns_counted' if figure == 'returns_included' else figure }})
                    as {{ figure }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from london_boroughs
        group by census_year, {{ grouping }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

sub_region_sums as (
    select
        census_year,
        'London' as region_name,
        {%- for figure in summed %}
            sum({{ figure }}) as {{ figure }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from regions
    where sub_region is not null
    group by census_year
),

expected_returns as (
    select t.*
    from (values ('E12000007', 32), ('E13000001', 14), ('E13000002', 18)) as t (area_code, returns_expected)
),

sum_failures as (
    {%- for sums, what in [('borough_sums', 'its boroughs'), ('sub_region_sums', 'Inner and Outer London')] %}
        {%- set outer_loop = loop %}
        {%- for figure in summed %}
            select
                coalesce(regions.area_code, {{ sums }}.region_name) as area_code,
                coalesce(regions.census_year, {{ sums }}.census_year) as census_year,
                '{{ figure }} is not the sum of {{ what }}' as problem,
                cast(regions.{{ figure }} as double) as region_value,
                cast({{ sums }}.{{ figure }} as double) as expected_value
            from regions
            full outer join {{ sums }}
                on
                    regions.census_year = {{ sums }}.census_year
                    and regions.region_name = {{ sums }}.region_name
            where
                regions.{{ figure }} is distinct from {{ sums }}.{{ figure }}
                {%- if sums == 'sub_region_sums' %}
                    and regions.region_name = 'London'
                {%- endif %}
            {% if not (loop.last and outer_loop.last) %}union all{% endif %}
        {%- endfor %}
    {%- endfor %}
),

expected_failures as (
    select
        coalesce(regions.area_code, 'no region row') as area_code,
        regions.census_year,
        'returns_expected is not the area''s number of returns' as problem,
        cast(regions.returns_expected as double) as region_value,
        cast(expected_returns.returns_expected as double) as expected_value
    from regions
    left join expected_returns
        on regions.area_code = expected_returns.area_code
    where regions.returns_expected is distinct from expected_returns.returns_expected
)

select * from sum_failures
union all
select * from expected_failures
