-- The DfE workforce indicators (docs/methodology.md#indicators) per census year for
-- each borough's accepted return and for London, Inner London and Outer
-- London. Region figures are sums of the boroughs' base figures; their rates
-- are computed from those sums, never averaged. Every rate is rendered from the
-- indicator catalogue (vars.dfe_indicators in dbt_project.yml) by dfe_rate() of
-- macros/indicator_rates.sql, as the use-case extracts' rates are.

with

base_figures as (
    select * from {{ ref('int_csww__la_year_base_figures') }}
),

las as (
    select * from {{ ref('dim_la') }}
),

return_areas as (
    -- One row per returning borough: its name covers a joint return (314 = 314 + 318).
    select
        return_la_code as la_code,
        {{ ordered_string_agg('la_name', ' / ', 'la_code') }} as area_name,
        min(sub_region) as sub_region,
        min(sub_region_code) as sub_region_code
    from las
    group by return_la_code
),

regions as (
    -- London's areas hold London's boroughs only (a participating authority
    -- from elsewhere has no sub-region, and its own borough rows).
    select
        'E12000007' as area_code,
        'London' as area_name,
        la_code,
        sub_region
    from return_areas
    where sub_region_code is not null
    union all
    select
        sub_region_code as area_code,
        sub_region as area_name,
        la_code,
        sub_region
    from return_areas
    where sub_region_code is not null
),

region_returns_expected as (
    select
        area_code,
        count(*) as returns_expected
    from regions
    group by area_code
),

borough_rows as (
    select
        base_figures.la_code as area_code,
        'borough' as area_type,
        return_areas.area_name,
        base_figures.la_code,
        return_areas.sub_region,
        base_figures.census_year,
        1 as returns_included,
        1 as returns_expected,
        base_figures.inpost_fte,
        base_figures.inpost_headcount,
        base_figures.starters_fte,
        base_figures.starters_headcount,
        base_figures.leavers_fte,
        base_figures.leavers_headcount,
        base_figures.agency_fte,
        base_figures.agency_records as agency_headcount,
        base_figures.vacancy_fte,
        base_figures.agency_cover_fte,
        base_figures.agency_cover_headcount,
        base_figures.cases,
        base_figures.case_holders_fte,
        base_figures.working_days_lost_fte
    from base_figures
    left join return_areas
        on base_figures.la_code = return_areas.la_code
),

region_rows as (
    select
        regions.area_code,
        'region' as area_type,
        regions.area_name,
        null as la_code,
        case when regions.area_name <> 'London' then regions.area_name end as sub_region,
        base_figures.census_year,
        count(*) as returns_included,
        min(region_returns_expected.returns_expected) as returns_expected,
        sum(base_figures.inpost_fte) as inpost_fte,
        sum(base_figures.inpost_headcount) as inpost_headcount,
        sum(base_figures.starters_fte) as starters_fte,
        sum(base_figures.starters_headcount) as starters_headcount,
        sum(base_figures.leavers_fte) as leavers_fte,
        sum(base_figures.leavers_headcount) as leavers_headcount,
        sum(base_figures.agency_fte) as agency_fte,
        sum(base_figures.agency_records) as agency_headcount,
        sum(base_figures.vacancy_fte) as vacancy_fte,
        sum(base_figures.agency_cover_fte) as agency_cover_fte,
        sum(base_figures.agency_cover_headcount) as agency_cover_headcount,
        sum(base_figures.cases) as cases,
        sum(base_figures.case_holders_fte) as case_holders_fte,
        sum(base_figures.working_days_lost_fte) as working_days_lost_fte
    from base_figures
    inner join regions
        on base_figures.la_code = regions.la_code
    inner join region_returns_expected
        on regions.area_code = region_returns_expected.area_code
    group by regions.area_code, regions.area_name, base_figures.census_year
),

all_rows as (
    select * from borough_rows
    union all
    select * from region_rows
),

final as (
    select
        area_code || '-' || cast(census_year as string) as area_year_key,
        area_code,
        area_type,
        area_name,
        cast(la_code as string) as la_code,
        sub_region,
        census_year,
        cast(returns_included as integer) as returns_included,
        cast(returns_expected as integer) as returns_expected,
        returns_included = returns_expected as is_complete,
        cast(inpost_fte as decimal(18, 6)) as inpost_fte,
        cast(inpost_headcount as bigint) as inpost_headcount,
        cast(starters_fte as decimal(18, 6)) as starters_fte,
        cast(starters_headcount as bigint) as starters_headcount,
        cast(leavers_fte as decimal(18, 6)) as leavers_fte,
        cast(leavers_headcount as bigint) as leavers_headcount,
        {{ dfe_rate('turnover_rate_fte') }} as turnover_rate_fte,
        {{ dfe_rate('turnover_rate_headcount') }} as turnover_rate_headcount,
        cast(agency_fte as decimal(18, 6)) as agency_fte,
        cast(agency_headcount as bigint) as agency_headcount,
        {{ dfe_rate('agency_rate_fte') }} as agency_rate_fte,
        cast(vacancy_fte as decimal(18, 6)) as vacancy_fte,
        {{ dfe_rate('vacancy_rate_fte') }} as vacancy_rate_fte,
        cast(agency_cover_fte as decimal(18, 6)) as agency_cover_fte,
        cast(agency_cover_headcount as bigint) as agency_cover_headcount,
        {{ dfe_rate('agency_cover_rate_fte') }} as agency_cover_rate_fte,
        {{ dfe_rate('vacancy_agency_cover_rate_fte') }} as vacancy_agency_cover_rate_fte,
        cast(cases as bigint) as cases,
        cast(case_holders_fte as decimal(18, 6)) as case_holders_fte,
        {{ dfe_rate('caseload_fte') }} as caseload_fte,
        cast(working_days_lost_fte as decimal(18, 2)) as working_days_lost_fte,
        {{ dfe_rate('absence_rate_fte') }} as absence_rate_fte
    from all_rows
)

select * from final
