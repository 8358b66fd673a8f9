{#-
    Small-number suppression (docs/methodology.md#small-number-suppression):
    the one rule every aggregated extract applies before it is shared.

    Primary: a count (a `*_headcount` / `*_count` cell) from 1 to 4 is
    suppressed. Zero stays zero and is never suppressed.
    Secondary: the cells of an extract that add up to another published cell
    of the same extract form a *group* (a row's breakdown and its row total; the
    boroughs of a sub-region and the sub-region's row; Inner and Outer London
    and London). Where a group has exactly one suppressed member and a
    published total (the member could be recovered by subtraction), or a
    suppressed total and no suppressed member (the total could be recovered by
    addition), its smallest unsuppressed non-zero member is suppressed too (the
    total itself if there is none). Suppressing a cell may expose another group
    it belongs to, so the rule is applied `passes` times; the extracts' tests
    check no group is left exposed.
    Followers: an FTE is suppressed with its headcount; a rate with any count or
    FTE it is built from.

    Suppressed values become null, and the row's `suppressed_columns` lists
    the names of its suppressed columns (comma-separated: counts, then FTEs,
    then rates, each in the order given; '' when none).

    suppress_small_numbers(relation, key_columns, count_columns, groups,
                           fte_columns={}, rate_columns={}, helper_columns=[], passes=6)
      relation        a CTE or relation holding the unsuppressed wide rows
      key_columns     the columns identifying a row (they build the row key)
      count_columns   the published counts
      groups          a CTE of (group_id, row_key, column_name, is_total), built
                      with suppression_row_groups / suppression_area_groups
      fte_columns     {fte column: the headcount column it follows}
      rate_columns    {rate column: [counts, FTEs or helpers it is built from]}
      helper_columns  unpublished counts a rate is built from (a denominator);
                      suppressed on the primary rule only and dropped
    Tested by tests/dbt/macros/test_suppress_small_numbers*.sql.
-#}

{#- The smallest and largest count suppressed. -#}
{% macro suppression_low() -%} 1 {%- endmacro %}
{% macro suppression_high() -%} 4 {%- endmacro %}

{#- True for a count the primary rule suppresses. -#}
{% macro is_small_number(count_expr) -%}
    coalesce({{ count_expr }} between {{ suppression_low() }} and {{ suppression_high() }}, false)
{%- endmacro %}

{#- One text key for a row from its key columns (null-safe). -#}
{% macro suppression_row_key(key_columns) -%}
    concat_ws('|'
    {%- for column in key_columns -%}
        , coalesce(cast({{ column }} as string), '~')
    {%- endfor -%}
    )
{%- endmacro %}

{#- A list of literal rows as a relation, e.g. the columns a group rule covers:
    each row a list of SQL literals, `columns` their names. The group rules
    below read their relation once and cross join such a list, rather than
    once per column (Spark plans every read apart). -#}
{% macro suppression_literal_rows(rows, columns) -%}
    (
        values
        {%- for row in rows %}
            ({{ row | join(', ') }}){% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as suppression_columns ({{ columns | join(', ') }})
{%- endmacro %}

{#- Groups within each row: {total column: [member columns]}, or a list of
    [total column, [member columns]] pairs when one total has several breakdowns. -#}
{% macro suppression_row_groups(relation, key_columns, totals) -%}
    {%- set pairs = totals.items() if totals is mapping else totals %}
    {%- set cells = [] %}
    {%- for total, members in pairs %}
        {%- set group_index = loop.index %}
        {%- for column in [total] + members %}
            {%- do cells.append(["'#" ~ total ~ "#" ~ group_index ~ "'", "'" ~ column ~ "'",
                'true' if column == total else 'false']) %}
        {%- endfor %}
    {%- endfor %}
    select
        {{ suppression_row_key(key_columns) }} || suppression_columns.group_suffix as group_id,
        {{ suppression_row_key(key_columns) }} as row_key,
        suppression_columns.column_name,
        suppression_columns.is_total
    from {{ relation }}
    cross join {{ suppression_literal_rows(cells, ['group_suffix', 'column_name', 'is_total']) }}
{%- endmacro %}

{#- Groups down the area hierarchy: for each column, the rows whose
    `parent_column` is P (and whose other key columns agree) are members and
    the row whose `area_column` is P is their total. -#}
{% macro suppression_area_groups(relation, key_columns, area_column, parent_column, columns) -%}
    {%- set other_keys = key_columns | reject('equalto', area_column) | list %}
    {%- set names = [] %}
    {%- for column in columns %}{% do names.append(["'" ~ column ~ "'"]) %}{% endfor %}
    select
        {{ suppression_row_key([parent_column] + other_keys) }} || '#' || suppression_columns.column_name
            as group_id,
        {{ suppression_row_key(key_columns) }} as row_key,
        suppression_columns.column_name,
        false as is_total
    from {{ relation }}
    cross join {{ suppression_literal_rows(names, ['column_name']) }}
    where {{ parent_column }} is not null
    union all
    select
        {{ suppression_row_key([area_column] + other_keys) }} || '#' || suppression_columns.column_name
            as group_id,
        {{ suppression_row_key(key_columns) }} as row_key,
        suppression_columns.column_name,
        true as is_total
    from {{ relation }}
    cross join {{ suppression_literal_rows(names, ['column_name']) }}
    where {{ area_column }} in (select {{ parent_column }} from {{ relation }})
{%- endmacro %}

{#- Groups down a breakdown held in rows: for each column, the rows of one
    breakdown (`breakdown_column` = B, the other key columns but
    `category_column` agreeing) are members, and the row whose breakdown is
    `total_breakdown` (e.g. 'all') is their total. -#}
{% macro suppression_breakdown_groups(
    relation, key_columns, breakdown_column, category_column, total_breakdown, columns
) -%}
    {%- set other_keys = key_columns | reject('equalto', breakdown_column)
        | reject('equalto', category_column) | list %}
    {%- set names = [] %}
    {%- for column in columns %}{% do names.append(["'" ~ column ~ "'"]) %}{% endfor %}
    select
        {{ suppression_row_key(other_keys + [breakdown_column]) }} || '#' || suppression_columns.column_name
            as group_id,
        {{ suppression_row_key(key_columns) }} as row_key,
        suppression_columns.column_name,
        false as is_total
    from {{ relation }}
    cross join {{ suppression_literal_rows(names, ['column_name']) }}
    where {{ breakdown_column }} <> '{{ total_breakdown }}'
    union all
    select
        {{ suppression_row_key(other_keys + ['suppression_breakdowns.member_breakdown']) }}
        || '#' || suppression_columns.column_name as group_id,
        {{ suppression_row_key(key_columns) }} as row_key,
        suppression_columns.column_name,
        true as is_total
    from {{ relation }}
    cross join (
        select distinct {{ breakdown_column }} as member_breakdown
        from {{ relation }}
        where {{ breakdown_column }} <> '{{ total_breakdown }}'
    ) as suppression_breakdowns
    cross join {{ suppression_literal_rows(names, ['column_name']) }}
    where {{ relation }}.{{ breakdown_column }} = '{{ total_breakdown }}'
{%- endmacro %}

{#- The suppression state of every count cell: (row_key, column_name, value,
    is_suppressed), after the primary rule and `passes` rounds of secondary
    suppression over `groups`. Used by suppress_small_numbers and by the tests.
    `relation` and `groups` are CTEs of the caller computed_apart (or tables):
    on Spark the cells and every pass are computed apart, each reading the one
    before it (macros/cross_engine.sql). -#}
{% macro suppressed_cells(relation, key_columns, count_columns, groups, helper_columns=[], passes=6) -%}
    {%- set names = [] %}
    {%- for column in count_columns + helper_columns %}{% do names.append(["'" ~ column ~ "'"]) %}{% endfor %}
    {%- set cell_value -%}
        case suppression_columns.column_name
            {%- for column in count_columns + helper_columns %}
            when '{{ column }}' then cast({{ column }} as double)
            {%- endfor %}
        end
    {%- endset %}
    {%- set cells_sql -%}
        select
            {{ suppression_row_key(key_columns) }} as row_key,
            suppression_columns.column_name,
            {{ cell_value }} as cell_value,
            {{ is_small_number(cell_value) }} as is_suppressed
        from {{ relation }}
        cross join {{ suppression_literal_rows(names, ['column_name']) }}
    {%- endset %}
    {%- set group_cells_sql -%}
        select distinct group_id, row_key, column_name, is_total from {{ groups }}
    {%- endset %}

    with

    suppression_pass_0 as (
        {{ computed_apart('suppression_pass_0', cells_sql, [relation]) }}
    ),

    suppression_group_cells as (
        {{ computed_apart('suppression_group_cells', group_cells_sql, [groups]) }}
    ),

    {#- Each pass reads the previous pass once (a join to the groups, then
        window functions): Spark inlines a CTE at every reference, so a pass
        reading its predecessor three times would grow the query 3^passes-fold. -#}
    {%- for pass in range(1, passes + 1) %}
        {%- set previous = 'suppression_pass_' ~ (pass - 1) %}
        {%- set pass_sql %}
        with

        suppression_grouped as (
            select
                {{ previous }}.row_key,
                {{ previous }}.column_name,
                {{ previous }}.cell_value,
                {{ previous }}.is_suppressed,
                suppression_group_cells.group_id,
                suppression_group_cells.is_total
            from {{ previous }}
            left join suppression_group_cells
                on
                    {{ previous }}.row_key = suppression_group_cells.row_key
                    and {{ previous }}.column_name = suppression_group_cells.column_name
        ),

        {#- A group is exposed when exactly one member is suppressed and its total
            is not, or the total is suppressed and no member is. -#}
        suppression_exposed as (
            select
                *,
                coalesce(
                    (
                        sum(case when is_suppressed and not is_total then 1 else 0 end)
                            over (partition by group_id) = 1
                        and max(case when is_suppressed and is_total then 1 else 0 end)
                            over (partition by group_id) = 0
                    )
                    or (
                        sum(case when is_suppressed and not is_total then 1 else 0 end)
                            over (partition by group_id) = 0
                        and max(case when is_suppressed and is_total then 1 else 0 end)
                            over (partition by group_id) = 1
                    ),
                    false
                ) and group_id is not null as is_exposed
            from suppression_grouped
        ),

        {#- In each exposed group, its smallest unsuppressed non-zero member (the
            total if there is none) is the complement to suppress. -#}
        suppression_complement as (
            select
                *,
                coalesce(is_exposed and not is_suppressed and cell_value <> 0, false) as is_candidate,
                row_number() over (
                    partition by
                        group_id,
                        coalesce(is_exposed and not is_suppressed and cell_value <> 0, false)
                    order by is_total, cell_value, column_name, row_key
                ) as pick
            from suppression_exposed
        )

        select
            row_key,
            column_name,
            cell_value,
            is_suppressed or bool_or(is_candidate and pick = 1) as is_suppressed
        from suppression_complement
        group by row_key, column_name, cell_value, is_suppressed
        {%- endset %}

        suppression_pass_{{ pass }} as (
            {{ computed_apart('suppression_pass_' ~ pass, pass_sql, [previous, 'suppression_group_cells']) }}
        ),
    {%- endfor %}

    suppression_final as (
        select * from suppression_pass_{{ passes }}
    )

    select row_key, column_name, cell_value, is_suppressed from suppression_final
{%- endmacro %}

{#- The relation's rows with every suppressed value null and `suppressed_columns`. -#}
{% macro suppress_small_numbers(
    relation, key_columns, count_columns, groups,
    fte_columns={}, rate_columns={}, helper_columns=[], passes=6
) -%}
    {%- set follows = {} %}
    {%- for column in count_columns + helper_columns %}
        {%- do follows.update({column: [column]}) %}
    {%- endfor %}
    {%- for fte, headcount in fte_columns.items() %}
        {%- do follows.update({fte: [headcount]}) %}
    {%- endfor %}
    {%- for rate, sources in rate_columns.items() %}
        {%- set counts = [] %}
        {%- for source in sources %}
            {%- do counts.extend(follows[source] if source in follows else [source]) %}
        {%- endfor %}
        {%- do follows.update({rate: counts | unique | list}) %}
    {%- endfor %}
    {%- set published = count_columns + (fte_columns.keys() | list) + (rate_columns.keys() | list) %}

    with

    suppression_state as (
        {{ suppressed_cells(relation, key_columns, count_columns, groups, helper_columns, passes) }}
    ),

    suppression_lists as (
        select
            row_key,
            {{ list_agg('column_name', filter='is_suppressed') }} as suppressed
        from suppression_state
        group by row_key
    ),

    suppression_rows as (
        select
            {{ relation }}.*,
            coalesce(suppression_lists.suppressed, {{ empty_text_list() }}) as suppression_list
        from {{ relation }}
        left join suppression_lists
            on {{ suppression_row_key(key_columns) }} = suppression_lists.row_key
    ),

    suppression_flags as (
        select
            *,
            {%- for column in published %}
                {{ lists_overlap('suppression_list', text_list(follows[column])) }}
                and {{ column }} is not null as suppression_flag_{{ loop.index }},
            {%- endfor %}
            true as suppression_flags_end
        from suppression_rows
    )

    {%- set excluded = ['suppression_list'] %}
    {%- set replaced = [] %}
    {%- for column in published %}
        {%- do excluded.append('suppression_flag_' ~ loop.index) %}
        {%- do replaced.append((column, 'case when suppression_flag_' ~ loop.index
            ~ ' then null else ' ~ column ~ ' end')) %}
    {%- endfor %}
    select
        {{ star_replace(excluded + helper_columns + ['suppression_flags_end'], replaced) }},
        concat_ws(', '
            {%- for column in published %}
                , case when suppression_flag_{{ loop.index }} then '{{ column }}' end
            {%- endfor %}
        ) as suppressed_columns
    from suppression_flags
{%- endmacro %}
