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
{% macro code_text(expr) -%}
    case
        when not {{ looks_like_identifier(expr) }} then upper({{ clean_text(expr) }})
    end
{%- endmacro %}
