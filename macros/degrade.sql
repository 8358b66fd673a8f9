{#- Dates of birth: degrade to the month, classify, and age exactly. -#}

{#- The first day of the month of an ISO birth date; null/garbage is null. -#}
{% macro month_of_birth(expr) -%}
    cast(date_trunc('month', {{ to_date(expr) }}) as date)
{%- endmacro %}

{#- 'missing' (absent or blank), 'valid' (an ISO date), or 'invalid'. -#}
{% macro birth_date_form(expr) -%}
    case
        when {{ clean_text(expr) }} is null then 'missing'
        when {{ to_date(expr) }} is not null then 'valid'
        else 'invalid'
    end
{%- endmacro %}

{#- Exact age in whole years on a reference date (both date expressions):
    the birthday counts from its own day; a 29 February birthday is reached on
    1 March in a common year. Null if either date is null. -#}
{% macro age_at(birth_expr, ref_date_expr) -%}
    cast(
        year({{ ref_date_expr }}) - year({{ birth_expr }})
        - case
            when month({{ ref_date_expr }}) * 100 + day({{ ref_date_expr }})
                < month({{ birth_expr }}) * 100 + day({{ birth_expr }})
                then 1
            else 0
        end
        as integer
    )
{%- endmacro %}

{#- The census reference date, 30 September of the census year. -#}
{% macro census_reference_date(census_year_expr) -%}
    make_date({{ census_year_expr }}, 9, 30)
{%- endmacro %}
