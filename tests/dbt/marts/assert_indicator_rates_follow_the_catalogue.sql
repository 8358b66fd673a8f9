-- Every rate of fct_la_indicators, on borough and region rows alike, is its
-- catalogue formula (vars.dfe_indicators, rendered by dfe_rate()) of the row's own
-- base figures: with assert_region_figures_are_sums_of_boroughs, a region's rate
-- comes from the summed figures, never an average of its boroughs' rates. A zero
-- denominator gives a null rate. Read from the catalogue, so a new rate is checked
-- without editing this test. Returns every rate that differs.
{%- set rates = [] %}
{%- for entry in dfe_indicators() if 'numerator' in entry %}
    {%- do rates.append(entry.name) %}
{%- endfor %}

with

indicators as (
    select * from {{ ref('fct_la_indicators') }}
),

recomputed as (
    {%- for rate in rates %}
        select
            area_code,
            census_year,
            '{{ rate }}' as indicator,
            {{ rate }} as published_rate,
            {{ dfe_rate(rate) }} as expected_rate
        from indicators
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from recomputed
where
    (published_rate is null) <> (expected_rate is null)
    or abs(published_rate - expected_rate) > 1e-9
