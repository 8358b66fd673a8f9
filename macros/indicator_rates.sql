{#-
    The one definition of every DfE indicator rate (docs/methodology.md#indicators)
    and of the bands the extracts break figures down by. fct_la_indicators and
    every use-case extract call these, so a rate can never be computed two
    ways. Each takes SQL expressions and returns a double (a percentage, or
    cases per FTE for caseload); a zero or null denominator gives null.
    Tested by tests/dbt/macros/test_indicator_rates.sql.
-#}

{#- Working days per FTE in the absence rate's denominator (inferred from DfE's figures). -#}
{% macro days_per_fte() -%}
    253
{%- endmacro %}

{#- 100 x part / whole: a share or a rate against a headcount. -#}
{% macro percent_of(part_expr, whole_expr) -%}
    100.0 * cast({{ part_expr }} as double) / nullif(cast({{ whole_expr }} as double), 0)
{%- endmacro %}

{#- Turnover: 100 x leavers / in post (FTE or headcount). -#}
{% macro turnover_rate(leavers_expr, inpost_expr) -%}
    {{ percent_of(leavers_expr, inpost_expr) }}
{%- endmacro %}

{#- Agency rate: 100 x agency FTE / (agency FTE + LA-employed in-post FTE). -#}
{% macro agency_rate(agency_expr, inpost_expr) -%}
    {{ percent_of(agency_expr, agency_expr ~ ' + ' ~ inpost_expr) }}
{%- endmacro %}

{#- Vacancy rate: 100 x vacancies / (vacancies + in-post FTE). -#}
{% macro vacancy_rate(vacancy_expr, inpost_expr) -%}
    {{ percent_of(vacancy_expr, vacancy_expr ~ ' + ' ~ inpost_expr) }}
{%- endmacro %}

{#- Agency cover rate: 100 x agency FTE covering vacancies / agency FTE. -#}
{% macro agency_cover_rate(agency_cover_expr, agency_expr) -%}
    {{ percent_of(agency_cover_expr, agency_expr) }}
{%- endmacro %}

{#- Vacancies covered by agency workers: 100 x agency cover FTE / vacancies. -#}
{% macro vacancy_agency_cover_rate(agency_cover_expr, vacancy_expr) -%}
    {{ percent_of(agency_cover_expr, vacancy_expr) }}
{%- endmacro %}

{#- Caseload: cases per case-holder FTE (a ratio, not a percentage). -#}
{% macro caseload_rate(cases_expr, case_holders_fte_expr) -%}
    cast({{ cases_expr }} as double) / nullif(cast({{ case_holders_fte_expr }} as double), 0)
{%- endmacro %}

{#- Absence: 100 x working days lost / (in-post FTE x days_per_fte()). -#}
{% macro absence_rate(days_lost_expr, inpost_fte_expr) -%}
    100.0 * cast({{ days_lost_expr }} as double)
    / nullif(cast({{ inpost_fte_expr }} as double) * {{ days_per_fte() }}, 0)
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
        union all
        select
            'E12000007' as area_code,
            'London' as area_name,
            null as parent_area_code,
            area_source.*
        from {{ relation }} as area_source
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
