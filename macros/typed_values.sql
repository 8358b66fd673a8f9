{#- Typed values from landing text: a bad value becomes null, never an error. -#}

{#- A whole number written as digits (an optional sign, an optional all-zero
    fraction such as '2.0'); anything else, including '1.5', is null. -#}
{% macro to_integer(expr) -%}
    case
        when {{ regex_full_match(clean_text(expr), "'[+-]?[0-9]+(\.0*)?'") }}
            then try_cast(regexp_replace({{ clean_text(expr) }}, '\.0*$', '') as integer)
    end
{%- endmacro %}

{#- A decimal number as decimal(precision, scale); non-numbers are null. -#}
{% macro to_decimal(expr, precision, scale) -%}
    try_cast({{ clean_text(expr) }} as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}

{#- An ISO date (yyyy-mm-dd, optionally followed by a midnight time); anything
    else ('31/12/1990', '1990-13-01', 'abc') is null. -#}
{% macro to_date(expr) -%}
    case
        when {{ regex_full_match(clean_text(expr), "'[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]00:00:00(\.0+)?)?'") }}
            then try_cast(left({{ clean_text(expr) }}, 10) as date)
    end
{%- endmacro %}
