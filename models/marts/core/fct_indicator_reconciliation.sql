-- Each computed indicator of fct_la_indicators beside the figure DfE
-- published for the same borough (or region) and year, with a status:
--   not_published          DfE published no number (x, u, c, z, or no column/row);
--   publication_difference a published rate that no values of its own published
--                          base figures (each within half a unit of its rounding)
--                          can produce: the publication disagrees with itself;
--   within_rounding        the computed value rounds to the published figure;
--   outside_rounding       anything else: a difference to explain.

{#- The indicators, their precision and whether DfE publishes them: the catalogue
    (vars.dfe_indicators in dbt_project.yml). Published base figures are known to
    half a unit of their rounding (FTEs and days to 0.1, so +/- 0.05; counts +/- 0.5). -#}
{%- set indicators = dfe_indicators() -%}
{%- set published_bases = [] -%}
{%- for indicator in indicators if indicator.published and 'numerator' not in indicator -%}
    {%- do published_bases.append(indicator) -%}
{%- endfor -%}
{%- set published_base_names = published_bases | map(attribute='name') | list -%}

{#- Published rates whose base figures are all published too: the range of the rate
    over every base value within those intervals. A catalogue rate is increasing in its
    numerator's figure and decreasing in the others (src/liia/indicator_catalogue.py),
    so its low end has the numerator figure at its low end and the rest at their high
    ends, and the high end the reverse. -#}
{%- set bounded_rates = [] -%}
{%- for indicator in indicators if indicator.published and 'numerator' in indicator -%}
    {%- set figures = dfe_rate_figures(indicator) -%}
    {%- set unpublished = figures | reject('in', published_base_names) | list -%}
    {%- if not unpublished -%}
        {%- set low, high = {}, {} -%}
        {%- for figure in figures -%}
            {%- set is_numerator = figure == indicator.numerator -%}
            {%- do low.update({figure: figure ~ ('_lo' if is_numerator else '_hi')}) -%}
            {%- do high.update({figure: figure ~ ('_hi' if is_numerator else '_lo')}) -%}
        {%- endfor -%}
        {%- do bounded_rates.append({'name': indicator.name, 'low': low, 'high': high}) -%}
    {%- endif -%}
{%- endfor -%}

{#- The rates built on the in-post headcount, which inherit its inconsistency. -#}
{%- set headcount_rates = [] -%}
{%- for indicator in indicators if 'numerator' in indicator -%}
    {%- if 'inpost_headcount' in dfe_rate_figures(indicator) -%}
        {%- do headcount_rates.append(indicator.name) -%}
    {%- endif -%}
{%- endfor %}

with

computed as (
    select * from {{ ref('fct_la_indicators') }}
),

published_rows as (
    select
        *,
        case
            when geographic_level = 'Local authority'
                -- The joint Kingston and Richmond return is published as '314 / 318'.
                then split_part(old_la_code, ' / ', 1)
            when geographic_level = 'Regional' then region_code
        end as area_code
    from {{ ref('dfe_published_indicators') }}
    where geographic_level in ('Local authority', 'Regional')
),

published_bounds as (
    select
        area_code,
        time_period as census_year,
        {%- for base in published_bases %}
            {#- half a unit of the base's rounding, e.g. 0.05 for 1 decimal #}
            {%- set half_unit = '0.' ~ '0' * base.decimals ~ '5' %}
            greatest(try_cast({{ base.name }} as double) - {{ half_unit }}, 0) as {{ base.name }}_lo,
            try_cast({{ base.name }} as double) + {{ half_unit }} as {{ base.name }}_hi
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from published_rows
),

published_ranges as (
    {%- for rate in bounded_rates %}
        select
            area_code,
            census_year,
            '{{ rate.name }}' as indicator,
            {{ dfe_rate(rate.name, rate.low) }} as reproducible_low,
            {{ dfe_rate(rate.name, rate.high) }} as reproducible_high
        from published_bounds
        union all
    {%- endfor %}
    -- No worker is more than 1 FTE: a headcount is at least the in-post FTE.
    select
        area_code,
        census_year,
        'inpost_headcount' as indicator,
        inpost_fte_lo as reproducible_low,
        null as reproducible_high
    from published_bounds
),

published as (
    {%- for indicator in indicators if indicator.published %}
        select
            area_code,
            time_period as census_year,
            '{{ indicator.name }}' as indicator,
            trim({{ indicator.name }}) as published_text
        from published_rows
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

computed_long as (
    {%- for indicator in indicators %}
        select
            area_year_key,
            area_code,
            area_type,
            area_name,
            la_code,
            census_year,
            is_complete,
            '{{ indicator.name }}' as indicator,
            {{ loop.index }} as indicator_order,
            {{ 'true' if indicator.published else 'false' }} as is_published_indicator,
            {{ indicator.decimals }} as indicator_decimals,
            cast({{ indicator.name }} as double) as computed_value
        from computed
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

compared as (
    select
        computed_long.*,
        published.published_text,
        try_cast(published.published_text as double) as published_value,
        cast(greatest(
            computed_long.indicator_decimals,
            coalesce(length(nullif(split_part(published.published_text, '.', 2), '')), 0)
        ) as integer) as published_decimals,
        published_ranges.reproducible_low,
        published_ranges.reproducible_high
    from computed_long
    left join published
        on
            computed_long.area_code = published.area_code
            and computed_long.census_year = published.census_year
            and computed_long.indicator = published.indicator
    left join published_ranges
        on
            computed_long.area_code = published_ranges.area_code
            and computed_long.census_year = published_ranges.census_year
            and computed_long.indicator = published_ranges.indicator
),

measured as (
    select
        *,
        0.5 * pow(10, -published_decimals) as half_unit,
        computed_value - published_value as difference,
        {{ round_to_places("computed_value", "published_decimals") }} as computed_rounded
    from compared
),

checked as (
    select
        *,
        coalesce(
            reproducible_low > published_value + half_unit + 1e-9
            or reproducible_high < published_value - half_unit - 1e-9,
            false
        ) as is_self_inconsistent
    from measured
),

inherited as (
    -- A published rate built on a published base that is itself inconsistent
    -- (turnover_rate_headcount on inpost_headcount) cannot be reproduced either.
    select
        *,
        is_self_inconsistent
        or (
            indicator in ('{{ headcount_rates | join("', '") }}')
            and bool_or(is_self_inconsistent and indicator = 'inpost_headcount')
                over (partition by area_code, census_year)
        ) as is_publication_inconsistent
    from checked
),

final as (
    select
        area_year_key || '-' || indicator as reconciliation_key,
        area_code,
        area_type,
        area_name,
        la_code,
        census_year,
        indicator,
        cast(indicator_order as integer) as indicator_order,
        is_published_indicator,
        is_complete,
        published_text,
        published_value,
        published_decimals,
        computed_value,
        computed_rounded,
        difference,
        half_unit,
        reproducible_low,
        reproducible_high,
        is_publication_inconsistent,
        case
            when published_value is null then 'not_published'
            when is_publication_inconsistent then 'publication_difference'
            when computed_rounded = published_value then 'within_rounding'
            when abs(difference) <= half_unit + 1e-9 then 'within_rounding'
            else 'outside_rounding'
        end as status
    from inherited
)

select * from final
