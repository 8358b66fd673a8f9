{#-
    The DfE indicator rates, rendered from the one catalogue of them: vars
    dfe_indicators and days_per_fte in dbt_project.yml (docs/methodology.md#indicators;
    Python reads the same file, src/liia/indicator_catalogue.py). fct_la_indicators,
    fct_indicator_reconciliation and every use-case extract render their rates here,
    so a rate can never be computed two ways. Each returns a double (a percentage,
    or cases per FTE for caseload); a zero or null denominator gives null. Also the
    bands the extracts break figures down by. Tested by
    tests/dbt/macros/test_indicator_rates.sql.
-#}

{#- Working days per FTE in the absence rate's denominator (inferred from DfE's figures). -#}
{% macro days_per_fte() -%}
    {{ var('days_per_fte') }}
{%- endmacro %}

{#- The catalogue's entries, in table order (base figures and rates). -#}
{% macro dfe_indicators() -%}
    {{ return(var('dfe_indicators')) }}
{%- endmacro %}

{#- One catalogue entry by name (a compile error for a name it does not have). -#}
{% macro dfe_indicator_entry(name) -%}
    {%- for entry in var('dfe_indicators') if entry.name == name -%}
        {{ return(entry) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error('no DfE indicator ' ~ name ~ ' in vars.dfe_indicators') }}
{%- endmacro %}

{#- The base figures a catalogue rate is computed from, numerator first. -#}
{% macro dfe_rate_figures(entry) -%}
    {%- set figures = [] -%}
    {%- for word in (entry.numerator ~ ' ' ~ entry.denominator).split(' ') -%}
        {%- if word not in ['+', '*', 'days_per_fte'] and word not in figures -%}
            {%- do figures.append(word) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(figures) }}
{%- endmacro %}

{#- scale x numerator / denominator as a double; a zero or null denominator gives null. -#}
{% macro scaled_ratio(numerator_expr, denominator_expr, scale=100) -%}
    {% if scale != 1 %}{{ scale }}.0 * {% endif -%}
    cast({{ numerator_expr }} as double) / nullif(cast({{ denominator_expr }} as double), 0)
{%- endmacro %}

{#- 100 x part / whole: a share or a rate against a headcount. -#}
{% macro percent_of(part_expr, whole_expr) -%}
    {{ scaled_ratio(part_expr, whole_expr, 100) }}
{%- endmacro %}

{#- A catalogue expression ('agency_fte + inpost_fte') as SQL: each base figure's word
    replaced by its SQL expression in `figures` (default: the column of that name),
    days_per_fte by its number. The catalogue writes its words apart and uses only
    + and *, whose precedence SQL shares, so word by word is exact. -#}
{% macro dfe_expression(expression, figures={}) -%}
    {%- set words = [] -%}
    {%- for word in expression.split(' ') -%}
        {%- if word == 'days_per_fte' -%}
            {%- do words.append(days_per_fte() | trim) -%}
        {%- elif word in figures and ' ' in figures[word] -%}
            {%- do words.append('(' ~ figures[word] ~ ')') -%}
        {%- elif word in figures -%}
            {%- do words.append(figures[word]) -%}
        {%- else -%}
            {%- do words.append(word) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ words | join(' ') }}
{%- endmacro %}

{#- A catalogue rate as SQL, e.g. dfe_rate('agency_rate_fte') over the columns of the
    same names, or dfe_rate('agency_rate_fte', {'agency_fte': 'a.agency_fte', ...}). -#}
{% macro dfe_rate(name, figures={}) -%}
    {%- set entry = dfe_indicator_entry(name) -%}
    {%- if 'numerator' not in entry -%}
        {{ exceptions.raise_compiler_error(name ~ ' is a base figure, not a rate') }}
    {%- endif -%}
    {{ scaled_ratio(
        dfe_expression(entry.numerator, figures),
        dfe_expression(entry.denominator, figures),
        entry.get('scale', 1)) }}
{%- endmacro %}

{#- A rate's formula as docs/methodology.md writes it, e.g. '100 × agency_fte /
    (agency_fte + inpost_fte)' (dim_indicator; src/liia/indicator_catalogue.py's
    Indicator.formula writes the same, and tests compare the two). -#}
{% macro dfe_formula(entry) -%}
    {%- set denominator = entry.denominator
        | replace('days_per_fte', days_per_fte() | trim) | replace('*', '×') -%}
    {%- if ' ' in denominator %}{% set denominator = '(' ~ denominator ~ ')' %}{% endif -%}
    {%- if entry.get('scale', 1) != 1 %}{{ entry.scale }} × {% endif -%}
    {{ entry.numerator }} / {{ denominator }}
{%- endmacro %}

{#- The named rates the extracts call: each is its catalogue rate over the caller's
    expressions (the turnover formula serves FTE and headcount alike). -#}
{% macro turnover_rate(leavers_expr, inpost_expr) -%}
    {{ dfe_rate('turnover_rate_fte', {'leavers_fte': leavers_expr, 'inpost_fte': inpost_expr}) }}
{%- endmacro %}

{% macro agency_rate(agency_expr, inpost_expr) -%}
    {{ dfe_rate('agency_rate_fte', {'agency_fte': agency_expr, 'inpost_fte': inpost_expr}) }}
{%- endmacro %}

{% macro vacancy_rate(vacancy_expr, inpost_expr) -%}
    {{ dfe_rate('vacancy_rate_fte', {'vacancy_fte': vacancy_expr, 'inpost_fte': inpost_expr}) }}
{%- endmacro %}

{% macro agency_cover_rate(agency_cover_expr, agency_expr) -%}
    {{ dfe_rate('agency_cover_rate_fte',
        {'agency_cover_fte': agency_cover_expr, 'agency_fte': agency_expr}) }}
{%- endmacro %}

{% macro vacancy_agency_cover_rate(agency_cover_expr, vacancy_expr) -%}
    {{ dfe_rate('vacancy_agency_cover_rate_fte',
        {'agency_cover_fte': agency_cover_expr, 'vacancy_fte': vacancy_expr}) }}
{%- endmacro %}

{% macro caseload_rate(cases_expr, case_holders_fte_expr) -%}
    {{ dfe_rate('caseload_fte', {'cases': cases_expr, 'case_holders_fte': case_holders_fte_expr}) }}
{%- endmacro %}

{% macro absence_rate(days_lost_expr, inpost_fte_expr) -%}
    {{ dfe_rate('absence_rate_fte',
        {'working_days_lost_fte': days_lost_expr, 'inpost_fte': inpost_fte_expr}) }}
{%- endmacro %}

{#- The person a headcount counts once: the hashed SWE number, or for a record
    without one, the record itself (else every such record sharing a birth
    month, gender and ethnicity would collapse into one head). -#}
{% macro headcount_person_key(hash_expr, file_id_expr, record_number_expr) -%}
    coalesce({{ hash_expr }}, 'record ' || {{ file_id_expr }} || '/' || {{ record_number_expr }})
{%- endmacro %}

{#- Seniority of an OrgRole code, higher = more senior: 1 senior manager (5),
    2 middle manager (4), 3 first line manager (3), 4 senior practitioner (2),
    5 case holder and 6 qualified without cases (1); anything else null. -#}
{% macro org_role_seniority(org_role_expr) -%}
    case {{ org_role_expr }}
        when 1 then 5
        when 2 then 4
        when 3 then 3
        when 4 then 2
        when 5 then 1
        when 6 then 1
    end
{%- endmacro %}

{#- Tenure band of years in the role: under 1, 1-2, 2-5, 5-10, 10 and over, not known.
    A band includes its lower bound (exactly 2.00 years is 2-5). -#}
{% macro tenure_band(tenure_years_expr) -%}
    case
        when {{ tenure_years_expr }} is null or {{ tenure_years_expr }} < 0 then 'not known'
        when {{ tenure_years_expr }} < 1 then 'under 1'
        when {{ tenure_years_expr }} < 2 then '1-2'
        when {{ tenure_years_expr }} < 5 then '2-5'
        when {{ tenure_years_expr }} < 10 then '5-10'
        else '10 and over'
    end
{%- endmacro %}

{#- Rows per returning borough and for Inner London, Outer London and London:
    `relation` holds borough rows (`la_code` = the returning borough, then
    `key_columns`, then `sum_columns`); region rows sum the boroughs' values,
    as fct_la_indicators sums its base figures. Adds area_code, area_type,
    area_name (a joint return is named for both authorities) and
    parent_area_code (a borough's sub-region, a sub-region's London). -#}
{% macro london_area_rows(relation, key_columns, sum_columns) -%}
    with

    area_returns as (
        -- London's areas (sub-regions, London) sum London's boroughs only: an
        -- authority from elsewhere (LIIA_AUTHORITIES_FILE) has no sub-region.
        select
            return_la_code as la_code,
            {{ ordered_string_agg('la_name', ' / ', 'la_code') }} as area_name,
            min(sub_region_code) as sub_region_code,
            min(sub_region) as sub_region
        from {{ ref('dim_la') }}
        group by return_la_code
    ),

    area_boroughs as (
        select
            area_source.la_code as area_code,
            'borough' as area_type,
            area_returns.area_name,
            area_source.la_code,
            area_returns.sub_region_code as parent_area_code,
            {%- for column in key_columns %} area_source.{{ column }},{% endfor %}
            {%- for column in sum_columns %}
                area_source.{{ column }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ relation }} as area_source
        left join area_returns on area_source.la_code = area_returns.la_code
    ),

    area_regions as (
        select
            area_returns.sub_region_code as area_code,
            area_returns.sub_region as area_name,
            'E12000007' as parent_area_code,
            area_source.*
        from {{ relation }} as area_source
        inner join area_returns on area_source.la_code = area_returns.la_code
        where area_returns.sub_region_code is not null
        union all
        select
            'E12000007' as area_code,
            'London' as area_name,
            null as parent_area_code,
            area_source.*
        from {{ relation }} as area_source
        inner join area_returns on area_source.la_code = area_returns.la_code
        where area_returns.sub_region_code is not null
    )

    select * from area_boroughs
    union all
    select
        area_code,
        'region' as area_type,
        area_name,
        null as la_code,
        parent_area_code,
        {%- for column in key_columns %} {{ column }},{% endfor %}
        {%- for column in sum_columns %}
            sum({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from area_regions
    group by area_code, area_name, parent_area_code
        {%- for column in key_columns %}, {{ column }}{% endfor %}
{%- endmacro %}
