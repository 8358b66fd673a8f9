{#- SWE numbers: normalise, classify, pseudonymise. The keyed hash is the
    Python function liia_keyed_hash registered by src/liia/dbt_plugin.py: the
    key never appears in SQL, and the function only hashes what it is given.

    This file is the ONE definition of how a SWE number is normalised. SQL run
    outside dbt (the privacy scan's needles, src/liia/privacy/swe_macros.py)
    renders these same macros with plain Jinja, so keep them free of dbt-only
    context (ref, var, adapter...). -#}

{#- Every whitespace character: RE2's \s is ASCII only ([\t\n\f\r ]), so the
    class adds the vertical tab, the ASCII separators 0x1C-0x1F, NEL, every
    Unicode space separator \p{Z} (no-break space U+00A0, figure space U+2007,
    narrow no-break space U+202F, line/paragraph separators...) and the
    invisible zero-width space, word joiner and byte-order mark. -#}
{% macro swe_whitespace_class() -%}
    [\s\v\x{1C}-\x{1F}\x{85}\p{Z}\x{200B}\x{2060}\x{FEFF}]
{%- endmacro %}

{#- Upper-case with every whitespace character removed; blank is null. -#}
{% macro normalise_swe_number(expr) -%}
    nullif(upper(regexp_replace({{ expr }}, '{{ swe_whitespace_class() }}', '', 'g')), '')
{%- endmacro %}

{#- True when the value is already a 64-hex pseudonym made by the sender. -#}
{% macro is_sender_hash(expr) -%}
    coalesce(regexp_full_match({{ normalise_swe_number(expr) }}, '[0-9A-F]{64}'), false)
{%- endmacro %}

{#- 64 lower-case hex characters, or null for a missing/blank value: a sender's
    64-hex pseudonym is kept (lower-cased); anything else is keyed-hashed after
    normalisation, so 'sw123456', ' SW 123456 ' and 'SW123456' share one hash. -#}
{% macro pseudonymise_swe_number(expr) -%}
    case
        when {{ is_sender_hash(expr) }} then lower({{ normalise_swe_number(expr) }})
        else liia_keyed_hash({{ normalise_swe_number(expr) }})
    end
{%- endmacro %}

{#- How the value arrived: 'missing' (absent or blank), 'sender_hashed' (64 hex),
    'canonical' (two upper-case letters then digits, nothing to fix),
    'normalised' (the same after removing whitespace / upper-casing),
    'invalid' (anything else; still pseudonymised, never kept raw). -#}
{% macro swe_number_form(expr) -%}
    case
        when {{ normalise_swe_number(expr) }} is null then 'missing'
        when {{ is_sender_hash(expr) }} then 'sender_hashed'
        when regexp_full_match({{ expr }}, '[A-Z]{2}[0-9]+') then 'canonical'
        when regexp_full_match({{ normalise_swe_number(expr) }}, '[A-Z]{2}[0-9]+') then 'normalised'
        else 'invalid'
    end
{%- endmacro %}
