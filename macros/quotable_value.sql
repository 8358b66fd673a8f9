{#-
    Whether a raw value may be quoted in a data-quality message or published as
    free text. A bad value helps the borough find it ('XXXX' is not an
    Ethnicity code), but a value in the wrong item may be an identifier: a SWE
    number, a birth date or a pseudonym. Those are never quoted.

    "Looks like an identifier" is defined ONCE, in Python
    (src/liia/privacy/identifier_rule.py: it starts with NFKC, which DuckDB
    lacks), and registered as DuckDB functions by src/liia/dbt_plugin.py: a SWE
    number in any spelling the normaliser folds (SW-987-6543, S W4686247,
    full-width, soft hyphen or zero-width joiner inside, any case), a full date
    (yyyy-mm-dd, dd/mm/yyyy, 4 Jan 1967...), a run of five or more digits that
    is not a decimal fraction, sixteen or more hex characters. The whole value
    is screened, not just the part that would be quoted.
-#}
{% macro looks_like_identifier(expr) -%}
    liia_looks_like_identifier({{ expr }})
{%- endmacro %}

{#- The same rule for a whole message (a finding, a load error): every shape
    but dates written with a month name, which messages use for the census date. -#}
{% macro message_holds_identifier(expr) -%}
    liia_message_holds_identifier({{ expr }})
{%- endmacro %}

{#- The text (folded: NFKC, whitespace as single spaces) with every
    identifier-shaped part replaced by '[redacted]': the loader's redact()
    applies the same function to outside text before it lands. -#}
{% macro redact_identifiers(expr) -%}
    liia_redact_identifiers({{ expr }})
{%- endmacro %}

{#- A message with every part message_holds_identifier sees replaced by
    '[redacted]' (dates with a month name, such as the census date, are kept). -#}
{% macro redact_message(expr) -%}
    liia_redact_message({{ expr }})
{%- endmacro %}

{#- redact_message of every element of a list (var: the element's name in SQL;
    Spark, which cannot call Python in a lambda, redacts the list at once). -#}
{% macro redact_message_each(list_expr, var) -%}
    {{ return(adapter.dispatch('redact_message_each', 'liia_csww')(list_expr, var)) }}
{%- endmacro %}
{% macro default__redact_message_each(list_expr, var) -%}
    {{ list_map(list_expr, var, redact_message(var)) }}
{%- endmacro %}
{% macro spark__redact_message_each(list_expr, var) -%}
    liia_redact_message_list({{ list_expr }})
{%- endmacro %}

{#-
    The text a message quotes for a raw value: the value's first max_length
    characters in single quotes, or '[value withheld: looks like an
    identifier]' when looks_like_identifier holds. Null stays null.
    Tested by tests/dbt/macros/test_quotable_value.sql.
-#}
{% macro quotable_value(expr, max_length=30) -%}
    case
        when {{ expr }} is null then null
        when {{ expr }} = '{{ withheld_identifier_marker() }}' then {{ expr }}
        when {{ looks_like_identifier(expr) }} then '[value withheld: looks like an identifier]'
        else {{ text_literal("'") }} || left({{ expr }}, {{ max_length }}) || {{ text_literal("'") }}
    end
{%- endmacro %}

{#-
    What staging puts in place of a value that is one of landing's raw
    identifiers but arrived in another item, or free text holding an
    identifier (see stg_csww__worker_items, stg_csww__la_level).
-#}
{% macro withheld_identifier_marker() -%}
    [withheld: an SWE number or birth date in the wrong item]
{%- endmacro %}

{#-
    Landing's raw identifiers as one column, identifier: every SWE number
    normalised (normalise_swe_number) and every full birth date as ISO
    yyyy-mm-dd (sent as yyyy-mm-dd or dd/mm/yyyy), for identifier_screen and
    the wrong-item check of stg_csww__worker_items. dbt-only (reads the
    landing source). With after_file_id (a SQL expression), only the
    identifiers of files registered after it: an incremental build screens its
    older files again for those alone (macros/incremental_by_file.sql).
-#}
{% macro landing_identifiers(after_file_id=none) -%}
    {%- set newer = ' and file_id > (' ~ after_file_id ~ ')' if after_file_id is not none else '' -%}
    select {{ normalise_swe_number(adapter.quote('SWENo')) }} as identifier
    from {{ source('landing', 'workers') }}
    where {{ adapter.quote('SWENo') }} is not null{{ newer }}
    union
    select
        {%- set birth_date = 'left(trim(' ~ adapter.quote('PersonBirthDate') ~ '), 10)' %}
        {{ iso_date_text('coalesce(' ~ try_parse_date(birth_date, 'yyyy-mm-dd') ~ ', '
            ~ try_parse_date(birth_date, 'dd/mm/yyyy') ~ ')') }} as identifier
    from {{ source('landing', 'workers') }}
    where {{ adapter.quote('PersonBirthDate') }} is not null{{ newer }}
{%- endmacro %}

{#-
    The staging screen of text: one row per distinct non-null value of
    text_column in relation, with looks_like_identifier (the one rule) and
    holds_landing_identifier: the text is, or holds, one of the identifiers in
    the identifiers relation (landing_identifiers()). The text's candidates
    (liia_identifier_candidates: the whole text and every SWE-number-shaped
    token, normalised, every 64-hex run, every full date as ISO) are joined to
    the identifiers, so 'SW-1234567', 'ＳＷ１２３４５６７' or '17/06/1958' inside
    the text are found by a hash join, not a search of every identifier per
    value. Identifiers shorter than five characters are not searched for
    (they would match any short number). A model left-joins this on the text
    and puts withheld_identifier_marker() in place of a withheld value: free
    text when either holds, a coded item when it holds a landing identifier.
-#}
{% macro identifier_screen(relation, text_column, identifiers) -%}
    with

    screened_texts as (
        select distinct {{ text_column }} as screened_text
        from {{ relation }}
        where {{ text_column }} is not null
    ),

    screened_candidates as (
        select
            screened_text,
            {{ unnest_list('liia_identifier_candidates(screened_text)') }} as candidate
        from screened_texts
    ),

    holding_identifier as (
        select distinct screened_candidates.screened_text
        from screened_candidates
        inner join {{ identifiers }} as landing_identifier
            on screened_candidates.candidate = landing_identifier.identifier
        where length(landing_identifier.identifier) >= 5
    )

    select
        screened_texts.screened_text,
        coalesce({{ looks_like_identifier('screened_texts.screened_text') }}, false)
            as looks_like_identifier,
        holding_identifier.screened_text is not null as holds_landing_identifier
    from screened_texts
    left join holding_identifier
        on screened_texts.screened_text = holding_identifier.screened_text
{%- endmacro %}
