{#- SWE numbers: normalise, classify, pseudonymise. The keyed hash is the
    Python function liia_keyed_hash registered by src/liia/dbt_plugin.py: the
    key never appears in SQL, and the function only hashes what it is given.

    The normalisation itself is the Python function liia_normalise_identifier
    (src/liia/privacy/identifier_rule.py, registered by the same plugin): NFKC,
    every format character (Unicode Cf: soft hyphen, zero-width joiner...),
    whitespace character and dash removed, upper-case. DuckDB has nfc_normalize
    but no NFKC, so SQL calls the one Python definition instead of copying it.
    SQL run outside dbt (the privacy scan, tests: src/liia/privacy/swe_macros.py)
    renders these same macros with plain Jinja and registers the same functions,
    so keep them free of dbt-only context (ref, var, adapter...). -#}

{#- The SWE number as it is hashed; blank is null. -#}
{% macro normalise_swe_number(expr) -%}
    liia_normalise_identifier({{ expr }})
{%- endmacro %}

{#- True when the value is a 64-hex pseudonym made by the sender. -#}
{% macro is_sender_hash(expr) -%}
    coalesce({{ regex_full_match(normalise_swe_number(expr), "'[0-9A-F]{64}'") }}, false)
{%- endmacro %}

{#- 64 lower-case hex characters, or null for a missing/blank value: whatever
    arrives is normalised and keyed-hashed, a sender's 64-hex pseudonym included
    (an unkeyed SHA-256 of a number is reversed by enumeration), so 'sw1234567',
    ' SW 1234567 ', 'SW-1234567' and full-width 'ＳＷ１２３４５６７' share one hash and a
    sender's pseudonym still links its worker from year to year. -#}
{% macro pseudonymise_swe_number(expr) -%}
    liia_keyed_hash({{ normalise_swe_number(expr) }})
{%- endmacro %}

{#- How the value arrived: 'missing' (absent or blank), 'sender_hashed' (64 hex),
    'canonical' (two upper-case letters then digits, nothing to fix),
    'normalised' (the same after normalise_swe_number),
    'invalid' (anything else; still pseudonymised, never kept raw). -#}
{% macro swe_number_form(expr) -%}
    case
        when {{ normalise_swe_number(expr) }} is null then 'missing'
        when {{ is_sender_hash(expr) }} then 'sender_hashed'
        when {{ regex_full_match(expr, "'[A-Z]{2}[0-9]+'") }} then 'canonical'
        when {{ regex_full_match(normalise_swe_number(expr), "'[A-Z]{2}[0-9]+'") }} then 'normalised'
        else 'invalid'
    end
{%- endmacro %}
