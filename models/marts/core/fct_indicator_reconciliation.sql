-- Each computed indicator of fct_la_indicators beside the figure DfE
-- published for the same borough (or region) and year, with a status:
--   not_published          DfE published no number (x, u, c, z, or no column/row);
--   publication_difference a published rate that no values of its own published
--                          base figures (each within half a unit of its rounding)
--                          can produce: the publication disagrees with itself;
--   within_rounding        the computed value rounds to the published figure;
--   outside_rounding       anything else: a difference to explain.

{#- name: published column (none = computed only); decimals: DfE's precision. -#}
{%- set indicators = [
    {'name': 'inpost_fte', 'published': true, 'decimals': 1},
    {'name': 'inpost_headcount', 'published': true, 'decimals': 0},
    {'name': 'starters_fte', 'published': true, 'decimals': 1},
    {'name': 'starters_headcount', 'published': false, 'decimals': 0},
    {'name': 'leavers_fte', 'published': true, 'decimals': 1},
    {'name': 'leavers_headcount', 'published': false, 'decimals': 0},
    {'name': 'turnover_rate_fte', 'published': true, 'decimals': 1},
    {'name': 'turnover_rate_headcount', 'published': true, 'decimals': 1},
    {'name': 'agency_fte', 'published': true, 'decimals': 1},
    {'name': 'agency_rate_fte', 'published': true, 'decimals': 1},
    {'name': 'vacancy_fte', 'published': true, 'decimals': 1},
    {'name': 'vacancy_rate_fte', 'published': true, 'decimals': 1},
    {'name': 'agency_cover_fte', 'published': false, 'decimals': 1},
    {'name': 'agency_cover_rate_fte', 'published': true, 'decimals': 1},
    {'name': 'vacancy_agency_cover_rate_fte', 'published': true, 'decimals': 1},
    {'name': 'cases', 'published': true, 'decimals': 0},
    {'name': 'case_holders_fte', 'published': true, 'decimals': 1},
    {'name': 'caseload_fte', 'published': true, 'decimals': 1},
    {'name': 'working_days_lost_fte', 'published': true, 'decimals': 1},
    {'name': 'absence_rate_fte', 'published': true, 'decimals': 1},
] -%}

{#- Published rates whose base figures are all published too: the range of the
    rate over every base value that rounds to the published base (FTEs and days
    to 0.1, so +/- 0.05; cases +/- 0.5). Each formula is monotone in each base,
    so the bounds come from the ends of the base intervals. -#}
{%- set rate_bounds = {
    'turnover_rate_fte': (
        '100 * leavers_fte_lo / inpost_fte_hi',
        '100 * leavers_fte_hi / nullif(inpost_fte_lo, 0)'),
    'agency_rate_fte': (
        '100 * agency_fte_lo / nullif(agency_fte_lo + inpost_fte_hi, 0)',
        '100 * agency_fte_hi / nullif(agency_fte_hi + inpost_fte_lo, 0)'),
    'vacancy_rate_fte': (
        '100 * vacancy_fte_lo / nullif(vacancy_fte_lo + inpost_fte_hi, 0)',
        '100 * vacancy_fte_hi / nullif(vacancy_fte_hi + inpost_fte_lo, 0)'),
    'caseload_fte': (
        'cases_lo / case_holders_fte_hi',
        'cases_hi / nullif(case_holders_fte_lo, 0)'),
    'absence_rate_fte': (
        '100 * working_days_lost_fte_lo / (inpost_fte_hi * 253)',
        '100 * working_days_lost_fte_hi / nullif(inpost_fte_lo * 253, 0)'),
} -%}

{%- set fte_bases = ['inpost_fte', 'leavers_fte', 'agency_fte', 'vacancy_fte',
                     'case_holders_fte', 'working_days_lost_fte'] %}

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
        {%- for base in fte_bases %}
            greatest(try_cast({{ base }} as double) - 0.05, 0) as {{ base }}_lo,
            try_cast({{ base }} as double) + 0.05 as {{ base }}_hi,
        {%- endfor %}
        greatest(try_cast(cases as double) - 0.5, 0) as cases_lo,
        try_cast(cases as double) + 0.5 as cases_hi
    from published_rows
),

published_ranges as (
    {%- for name, bounds in rate_bounds.items() %}
        select
            area_code,
            census_year,
            '{{ name }}' as indicator,
            {{ bounds[0] }} as reproducible_low,
            {{ bounds[1] }} as reproducible_high
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
            indicator = 'turnover_rate_headcount'
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
