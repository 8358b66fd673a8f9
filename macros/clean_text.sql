{#- Text with leading/trailing whitespace (spaces, tabs, newlines) removed;
    '' is kept. -#}
{% macro trim_text(expr) -%}
    regexp_replace({{ expr }}, '^\s+|\s+$', '', 'g')
{%- endmacro %}

{#- Trimmed text, with '' (present but empty) as null. -#}
{% macro clean_text(expr) -%}
    nullif({{ trim_text(expr) }}, '')
{%- endmacro %}
