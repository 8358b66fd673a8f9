-- Movement of social workers between London boroughs, observed through the
-- same hashed SWE number in later accepted returns (fct_worker_census's links
-- to each hash's next and previous return), as aggregated flows: one row per
-- flow type, origin return (borough, census year) and destination return. The
-- hash itself never leaves the warehouse: this extract holds counts only, so
-- small numbers are suppressed (macros/suppress_small_numbers.sql).
--
-- flow_type:
--   moved          a person in the origin return whose next London return is a
--                  different borough's (to_census_year = that return's year).
--                  Published borough to borough, borough to London (every move
--                  out of the borough) and London to borough (every move in),
--                  and between Inner London, Outer London and London.
--   stayed         a person whose next London return is the same borough's
--   left_london    a person in no later London return (origin years before the last)
--   joined_london  a person in no earlier London return (destination years after the first)
-- stayed, left_london and joined_london are published for boroughs, sub-regions
-- and London. Region figures are sums of the boroughs'.
-- Beside the observation, what the returns themselves report: the origin record
-- says LeaverDestination 1 (social work role in a different LA in England), the
-- destination record says StartOrigin 2 for a role started after the origin
-- return's reference date (joined_london: a role started in the census year).
-- A report with no observed move (left_london, joined_london) may be a move
-- outside London.

{%- set keys = ['flow_type', 'from_census_year', 'to_census_year', 'from_area_code', 'to_area_code'] %}
{%- set counts = ['workers_headcount', 'origin_reported_headcount', 'destination_reported_headcount'] %}

-- The queries below are rendered inside CTEs (computed_apart), where sqlfluff
-- misreads the indentation of their Jinja loops: LT02 is off for them only.
-- noqa: disable=LT02
{#- The areas a borough's figures count in (read by the flows and by the
    suppression groups). -#}
{%- set area_levels_sql -%}
    with

    borough_returns as (
        select distinct
            return_la_code as la_code,
            sub_region_code
        from {{ ref('dim_la') }}
    )

    -- The areas a borough's figures count in: itself (0), its sub-region (1), London (2).
    {%- for area, level in [('la_code', 0), ('sub_region_code', 1), ("'E12000007'", 2)] %}
        select
            la_code,
            {{ area }} as area_code,
            {{ level }} as area_level
        from borough_returns
        -- London's areas hold London's boroughs (an authority from elsewhere has no sub-region).
        {%- if level > 0 %} where sub_region_code is not null{% endif %}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endset %}

{#- The unsuppressed rows, read by every suppression step: computed apart on
    Spark (computed_apart, macros/cross_engine.sql). -#}
{%- set unsuppressed_sql -%}
    with

    workers as (
        select * from {{ ref('fct_worker_census') }}
        where swe_number_hash is not null
    ),

    window_years as (
        select
            min(census_year) as first_year,
            max(census_year) as last_year
        from workers
    ),

    people as (
        -- One person in one return; the links are the same for all its records there.
        select
            swe_number_hash,
            la_code,
            census_year,
            min(next_census_year) as next_census_year,
            min(next_la_code) as next_la_code,
            bool_or(previous_census_year is null) as is_first_return,
            bool_or(is_reported_to_other_la) as reports_leaving_to_other_la,
            max(role_start_date) filter (where start_origin = 2) as latest_start_from_other_la,
            bool_or(is_starter and start_origin = 2) as reports_starting_from_other_la
        from workers
        group by swe_number_hash, la_code, census_year
    ),

    onward as (
        select
            origin.swe_number_hash,
            case
                when origin.next_census_year is null then 'left_london'
                when origin.next_la_code = origin.la_code then 'stayed'
                else 'moved'
            end as flow_type,
            origin.census_year as from_census_year,
            origin.next_census_year as to_census_year,
            origin.la_code as from_la_code,
            origin.next_la_code as to_la_code,
            origin.reports_leaving_to_other_la as origin_reported,
            coalesce(
                destination.latest_start_from_other_la > {{ census_year_end('origin.census_year') }}, false
            ) as destination_reported
        from people as origin
        cross join window_years
        left join people as destination
            on
                origin.swe_number_hash = destination.swe_number_hash
                and origin.next_la_code = destination.la_code
                and origin.next_census_year = destination.census_year
        -- Nobody is seen after the last year: "left" is not known there.
        where origin.census_year < window_years.last_year
    ),

    arrivals as (
        select
            people.swe_number_hash,
            'joined_london' as flow_type,
            cast(null as integer) as from_census_year,
            people.census_year as to_census_year,
            cast(null as string) as from_la_code,
            people.la_code as to_la_code,
            false as origin_reported,
            people.reports_starting_from_other_la as destination_reported
        from people
        cross join window_years
        -- Everybody is new in the first year: "joined" is not known there.
        where people.is_first_return and people.census_year > window_years.first_year
    ),

    flows as (
        select * from onward
        union all
        select * from arrivals
    ),

    flow_counts as (
        select
            flow_type,
            from_census_year,
            to_census_year,
            from_la_code,
            to_la_code,
            count(distinct swe_number_hash) as workers_headcount,
            count(distinct swe_number_hash) filter (where origin_reported) as origin_reported_headcount,
            count(distinct swe_number_hash) filter (where destination_reported) as destination_reported_headcount
        from flows
        group by flow_type, from_census_year, to_census_year, from_la_code, to_la_code
    ),

    area_levels as (
        {{ area_levels_sql }}
    ),

    area_flows as (
        -- Moves between boroughs published borough to borough, borough to and from
        -- London (the margins), and between sub-regions and London; stayers, leavers
        -- and joiners for boroughs, sub-regions and London. Region figures are sums.
        select
            flow_counts.flow_type,
            flow_counts.from_census_year,
            flow_counts.to_census_year,
            origin.area_code as from_area_code,
            origin.area_level as from_area_level,
            case
                when flow_counts.flow_type = 'stayed' then origin.area_code
                else destination.area_code
            end as to_area_code,
            case
                when flow_counts.flow_type = 'stayed' then origin.area_level
                else destination.area_level
            end as to_area_level,
            {%- for column in counts %}
                sum(flow_counts.{{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from flow_counts
        left join area_levels as origin
            on flow_counts.from_la_code = origin.la_code
        left join area_levels as destination
            on
                flow_counts.to_la_code = destination.la_code
                and flow_counts.flow_type in ('moved', 'joined_london')
        where
            case flow_counts.flow_type
                when 'moved'
                    then
                        (origin.area_level = 0 and destination.area_level in (0, 2))
                        or (origin.area_level = 2 and destination.area_level = 0)
                        or (origin.area_level >= 1 and destination.area_level >= 1)
                when 'joined_london' then destination.area_level is not null
                else origin.area_level is not null
            end
        group by all
    ),

    area_names as (
        select
            return_la_code as area_code,
            {{ ordered_string_agg('la_name', ' / ', 'la_code') }} as area_name
        from {{ ref('dim_la') }}
        group by return_la_code
        union all
        select distinct
            sub_region_code as area_code,
            sub_region as area_name
        from {{ ref('dim_la') }}
        where sub_region_code is not null
        union all
        select
            'E12000007' as area_code,
            'London' as area_name
    ),

    unsuppressed as (
        select
            area_flows.flow_type,
            cast(area_flows.from_census_year as integer) as from_census_year,
            cast(area_flows.to_census_year as integer) as to_census_year,
            cast(area_flows.from_area_code as string) as from_area_code,
            cast(area_flows.to_area_code as string) as to_area_code,
            case when area_flows.from_area_level = 0 then 'borough' when area_flows.from_area_level > 0 then 'region' end
                as from_area_type,
            origin_names.area_name as from_area_name,
            case when area_flows.to_area_level = 0 then 'borough' when area_flows.to_area_level > 0 then 'region' end
                as to_area_type,
            destination_names.area_name as to_area_name,
            {%- for column in counts %}
                cast(area_flows.{{ column }} as bigint) as {{ column }},
            {%- endfor %}
            area_flows.from_area_level,
            area_flows.to_area_level
        from area_flows
        left join area_names as origin_names on area_flows.from_area_code = origin_names.area_code
        left join area_names as destination_names on area_flows.to_area_code = destination_names.area_code
    )

    select * from unsuppressed
{%- endset %}

{#- The suppression groups, computed apart on Spark as the rows are. -#}
{%- set suppression_groups_sql -%}
    with

    area_levels as (
        {{ area_levels_sql }}
    ),

    ancestors as (
        select distinct
            child.area_code,
            child.area_level,
            parent.area_code as ancestor_code,
            parent.area_level as ancestor_level
        from area_levels as child
        inner join area_levels as parent
            on
                child.la_code = parent.la_code
                and child.area_level < parent.area_level
    ),

    ancestor_levels as (
        -- The levels of the areas each area adds up from (London: boroughs and sub-regions).
        select distinct
            ancestor_code,
            area_level
        from ancestors
    ),

    -- A flow's figures add up, over the origins within one area, to that area's
    -- flow to the same destination (and over destinations likewise); stayers,
    -- leavers and joiners add up over the boroughs or sub-regions of an area.
    group_members as (
        {%- for side, other, flow_types in [
            ('from', 'to', "flow_type <> 'joined_london'"),
            ('to', 'from', "flow_type in ('moved', 'joined_london')")] %}
            select
                concat_ws(
                    '|', '{{ side }}', unsuppressed.flow_type, unsuppressed.from_census_year,
                    unsuppressed.to_census_year, ancestors.ancestor_code, ancestors.area_level,
                    unsuppressed.{{ other }}_area_code
                ) as base_group_id,
                {{ suppression_row_key(keys) }} as row_key,
                false as is_total
            from unsuppressed
            inner join ancestors
                on unsuppressed.{{ side }}_area_code = ancestors.area_code
            where unsuppressed.{{ flow_types }}
            union all
            select
                concat_ws(
                    '|', '{{ side }}', unsuppressed.flow_type, unsuppressed.from_census_year,
                    unsuppressed.to_census_year, unsuppressed.{{ side }}_area_code,
                    ancestor_levels.area_level, unsuppressed.{{ other }}_area_code
                ) as base_group_id,
                {{ suppression_row_key(keys) }} as row_key,
                true as is_total
            from unsuppressed
            inner join ancestor_levels
                on unsuppressed.{{ side }}_area_code = ancestor_levels.ancestor_code
            where unsuppressed.{{ flow_types }}
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    ),

    complete_groups as (
        -- Only groups with a published total and at least one member.
        select base_group_id
        from group_members
        group by base_group_id
        having bool_or(is_total) and bool_or(not is_total)
    ),

    suppression_groups as (
        {%- for column in counts %}
            select
                group_members.base_group_id || '#{{ column }}' as group_id,
                group_members.row_key,
                '{{ column }}' as column_name,
                group_members.is_total
            from group_members
            inner join complete_groups on group_members.base_group_id = complete_groups.base_group_id
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
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
    {{ suppress_small_numbers('unsuppressed', keys, counts, 'suppression_groups') }}
),

final as (
    select {{ star_except(['from_area_level', 'to_area_level']) }} from suppressed
)

select * from final
