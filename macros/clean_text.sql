{#- Text with leading/trailing whitespace (spaces, tabs, newlines) removed;
    '' is kept. -#}
{% macro trim_text(expr) -%}
    {{ regex_replace_all(expr, "'^\s+|\s+$'", "''") }}
{%- endmacro %}

{#- Trimmed text, with '' (present but empty) as null. -#}
{% macro clean_text(expr) -%}
    nullif({{ trim_text(expr) }}, '')
{%- endmacro %}

{#- A code given as text (Ethnicity, Sex, ReasonAbsence): trimmed, upper-cased,
    '' as null, and null when the text looks like an identifier (a SWE number or
    a date typed into the wrong item) so that it never reaches a typed column.
    The quality rules still see what was sent, in stg_csww__worker_items. -#}
{% macro code_text(expr, looks_like=none) -%}
    {#- looks_like: the looks_like_identifier of expr when it is already known. -#}
    case
        when not {{ looks_like or looks_like_identifier(expr) }} then upper({{ clean_text(expr) }})
    end
{%- endmacro %}

{#- code_text of every element of a list (var: the element's name in SQL).
    Spark cannot call a Python function inside a lambda: there the identifier
    rule screens the whole list at once (liia_looks_like_identifier_list,
    src/liia/spark_build.py) and zip_with pairs each element with its verdict. -#}
{% macro code_text_each(list_expr, var) -%}
    {{ return(adapter.dispatch('code_text_each', 'liia_csww')(list_expr, var)) }}
{%- endmacro %}
{% macro default__code_text_each(list_expr, var) -%}
    {{ list_map(list_expr, var, code_text(var)) }}
{%- endmacro %}
{% macro spark__code_text_each(list_expr, var) -%}
    zip_with({{ list_expr }}, liia_looks_like_identifier_list({{ list_expr }}),
        ({{ var }}, {{ var }}_looks) -> {{ code_text(var, looks_like=var ~ '_looks') }})
{%- endmacro %}
