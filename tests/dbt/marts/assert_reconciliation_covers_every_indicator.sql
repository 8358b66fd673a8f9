-- fct_indicator_reconciliation holds one row for each area-year of fct_la_indicators
-- and each indicator of dim_indicator, at that indicator's position, and no other
-- row (its uniqueness is tested in the yml). Returns every missing, extra or
-- misplaced row.
with

expected as (
    select
        indicators.area_code,
        indicators.census_year,
        dim_indicator.indicator,
        dim_indicator.indicator_order
    from {{ ref('fct_la_indicators') }} as indicators
    cross join {{ ref('dim_indicator') }} as dim_indicator
),

reconciled as (
    select
        area_code,
        census_year,
        indicator,
        indicator_order
    from {{ ref('fct_indicator_reconciliation') }}
)

select
    coalesce(expected.area_code, reconciled.area_code) as area_code,
    coalesce(expected.census_year, reconciled.census_year) as census_year,
    coalesce(expected.indicator, reconciled.indicator) as indicator,
    case
        when reconciled.indicator is null then 'not reconciled'
        when expected.indicator is null then 'reconciled but not an indicator of an area-year'
        else 'indicator_order differs from dim_indicator'
    end as problem
from expected
full outer join reconciled
    on
        expected.area_code = reconciled.area_code
        and expected.census_year = reconciled.census_year
        and expected.indicator = reconciled.indicator
where
    expected.indicator is null
    or reconciled.indicator is null
    or expected.indicator_order <> reconciled.indicator_order
