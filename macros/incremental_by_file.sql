{#-
    Incremental per-file models (docs/design.md, "Incremental builds").

    The staging models and the per-file quality models are dbt incremental
    models keyed by file_id (delete+insert): a run rebuilds only the files that
    changed and deletes the rows of files no longer accepted (a resubmission
    superseded them). Every accepted file's rows depend on that file alone, with
    one exception: staging withholds a value that holds any of landing's
    identifiers, from any file, so a later return can make an older file's value
    one to withhold; such files are rebuilt too (stale_screened_files).

    `liia run` forces a full refresh when the code, the hash key, the live
    warehouse or landing's history (retention) is not what the last build
    recorded (src/liia/warehouse_build.py): landing's identifiers then only grow
    between full refreshes, which is what makes the recheck sufficient.
-#}

{#- The dbt invocation that (re)built a row: the staging models carry it, so
    that the quality models downstream rebuild exactly the files staging rebuilt. -#}
{% macro built_in_run() -%}
    cast('{{ invocation_id }}' as string)
{%- endmacro %}

{#- Post-hook: the rows of files that are no longer accepted (superseded by a
    resubmission) go; a full refresh has none. Nothing for a model built as a
    table (on Spark, which has no delete+insert): it holds accepted files only. -#}
{% macro delete_unaccepted_files() -%}
    {%- if config.get('materialized') == 'incremental' -%}
    delete from {{ this }}
    where file_id not in (
        select file_id from {{ source('landing', 'file_register') }}
        where status = 'accepted'
    )
    {%- endif -%}
{%- endmacro %}

{#- A where clause for a staging model's accepted files: in an incremental run,
    the files it does not hold yet, and those of stale_files (a query of
    file_id); nothing (every file) in a full build. -#}
{% macro only_files_to_build(file_id, stale_files=none) -%}
    {%- if is_incremental() %}
    where
        {{ file_id }} not in (select file_id from {{ this }})
        {%- if stale_files %}
            or {{ file_id }} in ({{ stale_files }})
        {%- endif %}
    {%- endif %}
{%- endmacro %}

{#- The files of this model a value of which was kept but now holds one of
    landing's identifiers (identifier_screen): built_texts is a parenthesised
    query of (file_id, screened_text) over {{ this }}, the values kept as sent.
    Only the identifiers of files newer than any the model holds are looked for
    (file ids come from a sequence): every older one was screened against the
    identifiers landing held when it was built, and each build since screened
    it again for the files that build added. -#}
{% macro stale_screened_files(built_texts) -%}
    {%- set newer = landing_identifiers(
        after_file_id='select coalesce(max(file_id), 0) from ' ~ this
    ) -%}
    select distinct built_texts.file_id
    from {{ built_texts }} as built_texts
    inner join (
        {{ identifier_screen(built_texts, 'screened_text', '(' ~ newer ~ ')') }}
    ) as screen
        on built_texts.screened_text = screen.screened_text
    where screen.holds_landing_identifier
{%- endmacro %}

{#- A where clause for a quality model reading staging: in an incremental run,
    only the files staging (re)built in this run, seen through the built_in_run
    column of `staged` (relations the model already refs: dbt records a model's
    refs when it parses, where is_incremental() is false), plus extra_files (a
    query of file_id) if given; nothing in a full build. -#}
{% macro only_files_staged_now(file_id, staged, extra_files=none) -%}
    {%- if is_incremental() %}
    where {{ file_id }} in (
        {%- for relation in staged %}
        select file_id from {{ relation }} where built_in_run = {{ built_in_run() }}
        {{- "\n        union" if not loop.last }}
        {%- endfor %}
        {%- if extra_files %}
        union
        {{ extra_files }}
        {%- endif %}
    )
    {%- endif %}
{%- endmacro %}
