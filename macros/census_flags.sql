{#-
    The DfE census flags of a worker record in the return of census year Y
    (docs/methodology.md#census-flags): the census year runs 1 October Y-1 to
    30 September Y, the reference date R = 30 September Y
    (census_reference_date). Every model that needs a flag uses these, so the
    indicators and the quality rules cannot disagree on who is a leaver, a
    starter or in post. Tested by tests/dbt/macros/test_census_flags.sql.
-#}

{#- First day of census year Y: 1 October Y-1. -#}
{% macro census_year_start(census_year_expr) -%}
    make_date(cast({{ census_year_expr }} as integer) - 1, 10, 1)
{%- endmacro %}

{#- Last day of census year Y: the reference date R, 30 September Y. -#}
{% macro census_year_end(census_year_expr) -%}
    {{ census_reference_date('cast(' ~ census_year_expr ~ ' as integer)') }}
{%- endmacro %}

{#- Agency = AgencyWorker 1; a missing or unreadable AgencyWorker is not agency. -#}
{% macro is_agency(agency_worker_expr) -%}
    coalesce({{ agency_worker_expr }} = 1, false)
{%- endmacro %}

{#- LA-employed = not agency (held to the stricter LA-employed rules when unknown). -#}
{% macro is_la_employed(agency_worker_expr) -%}
    (not {{ is_agency(agency_worker_expr) }})
{%- endmacro %}

{#- Leaver: RoleEndDate within the census year; no end date is not a leaver. -#}
{% macro is_leaver(role_end_date_expr, census_year_expr) -%}
    coalesce(
        {{ role_end_date_expr }} between {{ census_year_start(census_year_expr) }}
        and {{ census_year_end(census_year_expr) }},
        false
    )
{%- endmacro %}

{#- In post: no RoleEndDate, or one after R. -#}
{% macro is_in_post(role_end_date_expr, census_year_expr) -%}
    coalesce(
        {{ role_end_date_expr }} is null or {{ role_end_date_expr }} > {{ census_year_end(census_year_expr) }},
        false
    )
{%- endmacro %}

{#- Starter: RoleStartDate within the census year. -#}
{% macro is_starter(role_start_date_expr, census_year_expr) -%}
    coalesce(
        {{ role_start_date_expr }} between {{ census_year_start(census_year_expr) }}
        and {{ census_year_end(census_year_expr) }},
        false
    )
{%- endmacro %}
