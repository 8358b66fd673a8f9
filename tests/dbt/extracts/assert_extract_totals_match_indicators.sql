-- The extracts' borough and region totals are fct_la_indicators' figures (one
-- definition of each): every published (unsuppressed) figure of ext_turnover,
-- ext_agency_reliance and ext_equality's 'all' rows equals the indicator (a
-- suppressed one is null), every area-year is in both, and each breakdown whose
-- categories are all published adds up to its total (and each cross-tab row of
-- ext_equality to its one-way row). Returns every disagreement.
with

indicators as (
    select * from {{ ref('fct_la_indicators') }}
),

turnover as (
    select * from {{ ref('ext_turnover') }}
),

agency as (
    select * from {{ ref('ext_agency_reliance') }}
),

equality as (
    select * from {{ ref('ext_equality') }}
),

figure_pairs as (
    {%- set turnover_pairs = [
        ('inpost_headcount', 'inpost_headcount'), ('inpost_fte', 'inpost_fte'),
        ('starters_headcount', 'starters_headcount'), ('starters_fte', 'starters_fte'),
        ('leavers_headcount', 'leavers_headcount'), ('leavers_fte', 'leavers_fte'),
        ('turnover_fte_rate', 'turnover_rate_fte'),
        ('turnover_headcount_rate', 'turnover_rate_headcount')] %}
    {%- set agency_pairs = [
        ('agency_headcount', 'agency_headcount'), ('agency_fte', 'agency_fte'),
        ('agency_fte_rate', 'agency_rate_fte'), ('vacancy_fte', 'vacancy_fte'),
        ('vacancy_fte_rate', 'vacancy_rate_fte'), ('agency_cover_fte', 'agency_cover_fte'),
        ('agency_cover_fte_rate', 'agency_cover_rate_fte'),
        ('vacancy_agency_cover_fte_rate', 'vacancy_agency_cover_rate_fte')] %}
    {%- set equality_pairs = [
        ('inpost_headcount', 'inpost_headcount'), ('inpost_fte', 'inpost_fte'),
        ('starters_headcount', 'starters_headcount'), ('leavers_headcount', 'leavers_headcount'),
        ('turnover_headcount_rate', 'turnover_rate_headcount')] %}
    {%- for extract, pairs, condition in [
        ('turnover', turnover_pairs, 'true'),
        ('agency', agency_pairs, 'true'),
        ('equality', equality_pairs, "extract_rows.breakdown = 'all'")] %}
        {%- set outer_loop = loop %}
        {%- for column, indicator in pairs %}
            select
                '{{ extract }}.{{ column }}' as figure,
                extract_rows.area_code,
                extract_rows.census_year,
                cast(extract_rows.{{ column }} as double) as extract_value,
                cast(indicators.{{ indicator }} as double) as indicator_value,
                contains(', ' || extract_rows.suppressed_columns || ', ', ', {{ column }}, ')
                    as is_suppressed
            from {{ extract }} as extract_rows
            inner join indicators
                on
                    extract_rows.area_code = indicators.area_code
                    and extract_rows.census_year = indicators.census_year
            where {{ condition }}
            {% if not (loop.last and outer_loop.last) %}union all{% endif %}
        {%- endfor %}
    {%- endfor %}
),

figure_failures as (
    select
        figure,
        area_code,
        census_year,
        case
            when is_suppressed and extract_value is not null then 'suppressed but published'
            when is_suppressed then null
            when (extract_value is null) <> (indicator_value is null)
                then 'differs from fct_la_indicators'
            when abs(extract_value - indicator_value) > 1e-9 then 'differs from fct_la_indicators'
        end as problem
    from figure_pairs
),

area_rows as (
    -- Every extract row has its fct_la_indicators area-year, and vice versa.
    select
        'turnover' as extract_name,
        area_code,
        census_year
    from turnover
    union all
    select
        'agency' as extract_name,
        area_code,
        census_year
    from agency
    union all
    select distinct
        'equality' as extract_name,
        area_code,
        census_year
    from equality
),

extract_names as (
    select distinct extract_name from area_rows
),

expected_rows as (
    select
        extract_names.extract_name,
        indicators.area_code,
        indicators.census_year
    from extract_names
    cross join indicators
),

coverage_failures as (
    select
        coalesce(expected_rows.extract_name, area_rows.extract_name) || ' rows' as figure,
        coalesce(area_rows.area_code, expected_rows.area_code) as area_code,
        coalesce(area_rows.census_year, expected_rows.census_year) as census_year,
        'area-year missing from the extract or from fct_la_indicators' as problem
    from expected_rows
    full outer join area_rows
        on
            expected_rows.extract_name = area_rows.extract_name
            and expected_rows.area_code = area_rows.area_code
            and expected_rows.census_year = area_rows.census_year
    where area_rows.area_code is null or expected_rows.area_code is null
),

{%- set families = {
    'leavers_headcount': ['leavers_reason_', 'leavers_destination_', 'leavers_tenure_'],
    'starters_headcount': ['starters_origin_'],
} %}
{%- set turnover_columns = [] %}
{%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == 'ext_turnover' %}
    {%- do turnover_columns.extend(node.columns.keys() | list) %}
{%- endfor %}

equality_with_total as (
    select
        *,
        max(inpost_headcount) filter (where breakdown = 'all')
            over (partition by area_code, census_year) as total_inpost_headcount
    from equality
),

equality_sums as (
    select
        area_code,
        census_year,
        breakdown,
        sum(inpost_headcount) as inpost_headcount,
        count(*) filter (where inpost_headcount is null) as suppressed_categories,
        any_value(total_inpost_headcount) as total_inpost_headcount
    from equality_with_total
    where breakdown <> 'all' and seniority = 'all'
    group by area_code, census_year, breakdown
),

equality_cross_sums as (
    -- A category's cells across seniority beside its one-way row.
    select
        cells.area_code,
        cells.census_year,
        cells.breakdown || ' ' || cells.category as figure,
        sum(cells.inpost_headcount) as inpost_headcount,
        count(*) filter (where cells.inpost_headcount is null) as suppressed_cells,
        any_value(margin.inpost_headcount) as total_inpost_headcount
    from equality as cells
    inner join equality as margin
        on
            cells.area_code = margin.area_code
            and cells.census_year = margin.census_year
            and cells.breakdown = margin.breakdown
            and cells.category = margin.category
            and margin.seniority = 'all'
    where cells.seniority <> 'all'
    group by all
),

breakdown_failures as (
    -- A breakdown with every category published adds up to its published total.
    {%- set checks = [] %}
    {%- for total, prefixes in families.items() %}
        {%- for prefix in prefixes %}
            {%- set members = [] %}
            {%- for name in turnover_columns if name.startswith(prefix) %}
                {%- do members.append(name) %}
            {%- endfor %}
            {%- do checks.append((total, prefix, members)) %}
        {%- endfor %}
    {%- endfor %}
    {%- for total, prefix, members in checks %}
        select
            'turnover.{{ prefix }}*' as figure,
            area_code,
            census_year,
            'breakdown does not add up to {{ total }}' as problem
        from turnover
        where
            {{ total }} is not null
            {%- for member in members %}
                and {{ member }} is not null
            {%- endfor %}
            and {{ total }} <> (
                0
                {%- for member in members %}
                    + {{ member }}
                {%- endfor %}
            )
        union all
    {%- endfor %}
    select
        'equality.' || breakdown as figure,
        area_code,
        census_year,
        'categories do not add up to the all row' as problem
    from equality_sums
    where suppressed_categories = 0 and inpost_headcount <> total_inpost_headcount
    union all
    select
        'equality.' || figure || ' by seniority' as figure,
        area_code,
        census_year,
        'cells across seniority do not add up to the one-way row' as problem
    from equality_cross_sums
    where suppressed_cells = 0 and inpost_headcount <> total_inpost_headcount
)

select * from figure_failures
where problem is not null
union all
select * from coverage_failures
union all
select * from breakdown_failures
