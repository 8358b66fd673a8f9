-- Equality of the LA-employed workforce per borough return and census year,
-- and for Inner London, Outer London and London, by DfE ethnic group, gender,
-- age band and seniority (OrgRole), beside the 'all' row each breakdown adds
-- up to: in post (headcount, FTE), starters, leavers and progression (in post
-- in a more senior OrgRole than in the previous return, any borough). Shares
-- are against the known headcount of the breakdown (a 'not known' category has
-- none), as docs/methodology.md#ethnic-groups says. People are counted as fct_la_indicators counts
-- them (headcount_person_key). Ethnic group, gender and age band are also
-- crossed with seniority: a cross row (seniority = an OrgRole category) counts
-- the category's people in that OrgRole, its share is of the OrgRole's known
-- headcount, and its margins are the one-way rows (seniority 'all') of the same
-- extract: the category's row and the org_role row. One suppression run over
-- every row, so no cell can be recovered from a margin published elsewhere.
-- Small numbers suppressed.

{%- set dimensions = {
    'ethnic_group': ['White', 'Mixed', 'Asian', 'Black', 'Other', 'not known'],
    'gender': ['male', 'female', 'not known', 'not specified'],
    'age_band': ['under 20', '20-29', '30-39', '40-49', '50-59', '60 and over', 'not known'],
    'org_role': ['senior manager', 'middle manager', 'first line manager', 'senior practitioner',
                 'case holder', 'qualified without cases', 'not known'],
} %}
{#- The breakdowns crossed with seniority (org_role's categories). -#}
{%- set crossed = ['ethnic_group', 'gender', 'age_band'] %}
{%- set category_rows = [('all', 'all', 'all')] %}
{%- for breakdown, values in dimensions.items() %}
    {%- for value in values %}{% do category_rows.append((breakdown, value, 'all')) %}{% endfor %}
{%- endfor %}
{%- for breakdown in crossed %}
    {%- for value in dimensions[breakdown] %}
        {%- for level in dimensions['org_role'] %}
            {%- do category_rows.append((breakdown, value, level)) %}
        {%- endfor %}
    {%- endfor %}
{%- endfor %}
{#- Categories outside the known denominator of their breakdown. -#}
{%- set unknown = "'not known', 'not specified'" %}
{%- set counts = ['inpost_headcount', 'starters_headcount', 'leavers_headcount',
                  'progression_eligible_headcount', 'progressed_headcount'] %}
{%- set keys = ['area_code', 'census_year', 'breakdown', 'category', 'seniority'] %}

-- The queries below are rendered inside CTEs (computed_apart), where sqlfluff
-- misreads the indentation of their Jinja loops: LT02 is off for them only.
-- noqa: disable=LT02
{#- The unsuppressed rows, read by every suppression step: computed apart on
    Spark (computed_apart, macros/cross_engine.sql). -#}
{%- set with_rates_sql -%}
    with

    workers as (
        select
            *,
            {{ headcount_person_key('swe_number_hash', 'file_id', 'record_number') }} as person_key,
            case org_role
                when 1 then 'senior manager'
                when 2 then 'middle manager'
                when 3 then 'first line manager'
                when 4 then 'senior practitioner'
                when 5 then 'case holder'
                when 6 then 'qualified without cases'
                else 'not known'
            end as org_role_category,
            {{ org_role_seniority('org_role') }} as seniority,
            {{ org_role_seniority('previous_org_role') }} as previous_seniority
        from {{ ref('fct_worker_census') }}
        where is_la_employed
    ),

    -- Each worker once per breakdown, in its category (seniority 'all'), and once
    -- per crossed breakdown, in its category and OrgRole category.
    categorised as (
        {%- for breakdown, category, level in [('all', "'all'", "'all'"),
            ('ethnic_group', 'ethnic_group', "'all'"), ('gender', 'gender', "'all'"),
            ('age_band', 'age_band', "'all'"), ('org_role', 'org_role_category', "'all'"),
            ('ethnic_group', 'ethnic_group', 'org_role_category'),
            ('gender', 'gender', 'org_role_category'),
            ('age_band', 'age_band', 'org_role_category')] %}
            select
                *,
                '{{ breakdown }}' as breakdown,
                {{ category }} as category,
                {{ level }} as seniority_category
            from workers
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    ),

    borough_counts as (
        select
            la_code,
            census_year,
            breakdown,
            category,
            seniority_category as seniority,
            count(distinct {{ row_of(['person_key', 'birth_month', 'gender', 'ethnicity']) }})
            filter (where is_in_post) as inpost_headcount,
            sum(fte30) filter (where is_in_post) as inpost_fte,
            count(distinct {{ row_of(['person_key', 'birth_month', 'gender', 'ethnicity', 'role_start_date']) }})
            filter (where is_starter) as starters_headcount,
            count(distinct {{ row_of(['person_key', 'birth_month', 'gender', 'ethnicity', 'role_end_date']) }})
            filter (where is_leaver) as leavers_headcount,
            count(distinct {{ row_of(['person_key', 'birth_month', 'gender', 'ethnicity']) }})
            filter (where is_in_post and seniority is not null and previous_seniority is not null)
                as progression_eligible_headcount,
            count(distinct {{ row_of(['person_key', 'birth_month', 'gender', 'ethnicity']) }})
            filter (where is_in_post and seniority > previous_seniority) as progressed_headcount
        from categorised
        group by la_code, census_year, breakdown, category, seniority_category
    ),

    categories as (
        select t.*
        from (
            values
            {%- for breakdown, category, level in category_rows %}
                ('{{ breakdown }}', '{{ category }}', '{{ level }}'){% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as t (breakdown, category, seniority)
    ),

    borough_returns as (
        select distinct
            la_code,
            census_year
        from {{ ref('fct_la_indicators') }}
        where area_type = 'borough'
    ),

    borough_grid as (
        -- Every category of every breakdown (and every cross cell) for every return,
        -- zero when nobody is in it.
        select
            borough_returns.la_code,
            borough_returns.census_year,
            categories.breakdown,
            categories.category,
            categories.seniority,
            coalesce(borough_counts.inpost_headcount, 0) as inpost_headcount,
            coalesce(borough_counts.inpost_fte, 0) as inpost_fte,
            coalesce(borough_counts.starters_headcount, 0) as starters_headcount,
            coalesce(borough_counts.leavers_headcount, 0) as leavers_headcount,
            coalesce(borough_counts.progression_eligible_headcount, 0) as progression_eligible_headcount,
            coalesce(borough_counts.progressed_headcount, 0) as progressed_headcount
        from borough_returns
        cross join categories
        left join borough_counts
            on
                borough_returns.la_code = borough_counts.la_code
                and borough_returns.census_year = borough_counts.census_year
                and categories.breakdown = borough_counts.breakdown
                and categories.category = borough_counts.category
                and categories.seniority = borough_counts.seniority
    ),

    areas as (
        {{ london_area_rows('borough_grid', ['census_year', 'breakdown', 'category', 'seniority'], [
            'inpost_headcount', 'inpost_fte', 'starters_headcount', 'leavers_headcount',
            'progression_eligible_headcount', 'progressed_headcount']) }}
    ),

    known as (
        -- The known headcount of each breakdown (per OrgRole category for a cross
        -- row): its categories but the unknown ones.
        select
            area_code,
            census_year,
            breakdown,
            seniority,
            sum(inpost_headcount) as known_inpost_count,
            sum(starters_headcount) as known_starters_count,
            sum(leavers_headcount) as known_leavers_count
        from areas
        where category not in ({{ unknown }})
        group by area_code, census_year, breakdown, seniority
    ),

    completeness as (
        select
            area_code,
            census_year,
            is_complete
        from {{ ref('fct_la_indicators') }}
    ),

    unsuppressed as (
        select
            areas.area_code,
            areas.census_year,
            areas.breakdown,
            areas.category,
            areas.seniority,
            areas.area_type,
            areas.area_name,
            areas.la_code,
            areas.parent_area_code,
            completeness.is_complete,
            cast(areas.inpost_headcount as bigint) as inpost_headcount,
            cast(areas.inpost_fte as decimal(18, 6)) as inpost_fte,
            cast(areas.starters_headcount as bigint) as starters_headcount,
            cast(areas.leavers_headcount as bigint) as leavers_headcount,
            cast(areas.progression_eligible_headcount as bigint) as progression_eligible_headcount,
            cast(areas.progressed_headcount as bigint) as progressed_headcount,
            {%- for kind in ['inpost', 'starters', 'leavers'] %}
                case
                    when areas.category not in ({{ unknown }})
                        then known.known_{{ kind }}_count
                end as known_{{ kind }}_count{% if not loop.last %},{% endif %}
            {%- endfor %}
        from areas
        left join known
            on
                areas.area_code = known.area_code
                and areas.census_year = known.census_year
                and areas.breakdown = known.breakdown
                and areas.seniority = known.seniority
        left join completeness
            on
                areas.area_code = completeness.area_code
                and areas.census_year = completeness.census_year
    ),

    with_rates as (
        select
            {{ star_except(['known_inpost_count', 'known_starters_count', 'known_leavers_count']) }},
            {{ percent_of('inpost_headcount', 'known_inpost_count') }} as inpost_share_rate,
            {{ percent_of('starters_headcount', 'known_starters_count') }} as starters_share_rate,
            {{ percent_of('leavers_headcount', 'known_leavers_count') }} as leavers_share_rate,
            {{ turnover_rate('leavers_headcount', 'inpost_headcount') }} as turnover_headcount_rate,
            {{ percent_of('progressed_headcount', 'progression_eligible_headcount') }} as progression_rate,
            known_inpost_count,
            known_starters_count,
            known_leavers_count
        from unsuppressed
    )

    select * from with_rates
{%- endset %}

{#- The suppression groups, computed apart on Spark as the rows are. -#}
{%- set suppression_groups_sql -%}
    with

    one_way as (
        select * from with_rates
        where seniority = 'all'
    ),

    cross_groups as (
        -- A cross-tab's cells beside their margins, per count column: along
        -- seniority, a category's cells add up to its one-way row; along the
        -- categories, one OrgRole category's cells add up to its org_role row.
        {%- for column in counts %}
            select
                {{ suppression_row_key(['area_code', 'census_year', 'breakdown', 'category']) }}
                || '#by seniority#{{ column }}' as group_id,
                {{ suppression_row_key(keys) }} as row_key,
                '{{ column }}' as column_name,
                seniority = 'all' as is_total
            from with_rates
            where breakdown in ('{{ crossed | join("', '") }}')
            union all
            select
                {{ suppression_row_key(['area_code', 'census_year', 'breakdown', 'seniority']) }}
                || '#by category#{{ column }}' as group_id,
                {{ suppression_row_key(keys) }} as row_key,
                '{{ column }}' as column_name,
                false as is_total
            from with_rates
            where seniority <> 'all'
            {%- for breakdown in crossed %}
                union all
                select
                    {{ suppression_row_key(['area_code', 'census_year', "'" ~ breakdown ~ "'", 'category']) }}
                    || '#by category#{{ column }}' as group_id,
                    {{ suppression_row_key(keys) }} as row_key,
                    '{{ column }}' as column_name,
                    true as is_total
                from with_rates
                where breakdown = 'org_role' and seniority = 'all'
            {%- endfor %}
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    ),

    suppression_groups as (
        {{ suppression_breakdown_groups('one_way', keys, 'breakdown', 'category', 'all', counts) }}
        union all
        select * from cross_groups
        union all
        {{ suppression_area_groups('with_rates', keys, 'area_code', 'parent_area_code', counts) }}
    )

    select * from suppression_groups
{%- endset %}
-- noqa: enable=LT02

with

with_rates as (
    {{ computed_apart('with_rates', with_rates_sql) }}
),

suppression_groups as (
    {{ computed_apart('suppression_groups', suppression_groups_sql, ['with_rates']) }}
),

{#- The cross-tabs overlap the one-way and area groups, so a suppression can cascade
    further than in the other extracts: six passes left two cells recoverable on a
    four-borough sample (tests/python/conftest.py messy_home); twelve close them.
    assert_no_suppressed_cell_recoverable fails the build if ever they do not. #}
{%- set equality_suppression_passes = 12 %}

final as (
    {{ suppress_small_numbers(
        'with_rates', keys, counts, 'suppression_groups',
        fte_columns={'inpost_fte': 'inpost_headcount'},
        rate_columns={
            'inpost_share_rate': ['inpost_headcount', 'known_inpost_count'],
            'starters_share_rate': ['starters_headcount', 'known_starters_count'],
            'leavers_share_rate': ['leavers_headcount', 'known_leavers_count'],
            'turnover_headcount_rate': ['leavers_headcount', 'inpost_headcount'],
            'progression_rate': ['progressed_headcount', 'progression_eligible_headcount'],
        },
        helper_columns=['known_inpost_count', 'known_starters_count', 'known_leavers_count'],
        passes=equality_suppression_passes) }}
)

select * from final
