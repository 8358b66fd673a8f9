{#-
    The SQL that differs between DuckDB and Spark, one macro per construct,
    each dispatched (adapter.dispatch) to a default__ variant (DuckDB, the
    warehouse) and a spark__ variant (`liia build --engine spark`,
    docs/design.md#spark). Models call these and never test target.type.
    Every argument is a SQL expression unless said otherwise.
-#}

{#- True when the whole value matches the regular expression (null stays null). -#}
{% macro regex_full_match(value, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'liia_csww')(value, pattern)) }}
{%- endmacro %}
{% macro default__regex_full_match(value, pattern) -%}
    regexp_full_match({{ value }}, {{ pattern }})
{%- endmacro %}
{% macro spark__regex_full_match(value, pattern) -%}
    ({{ value }} rlike concat('^(?:', {{ pattern }}, ')$'))
{%- endmacro %}

{#- Every match of the regular expression replaced. -#}
{% macro regex_replace_all(value, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'liia_csww')(value, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regex_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}
{% macro spark__regex_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}

{#- A text literal holding `text` (a Jinja string), single quotes included:
    Spark's raw string literals (src/liia/spark_build.py) cannot double them. -#}
{% macro text_literal(text) -%}
    {{ return(adapter.dispatch('text_literal', 'liia_csww')(text)) }}
{%- endmacro %}
{% macro default__text_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}
{% macro spark__text_literal(text) -%}
    {%- if "'" in text -%}
        concat('{{ text.split("'") | join("', chr(39), '") }}')
    {%- else -%}
        '{{ text }}'
    {%- endif -%}
{%- endmacro %}

{#- A list of the given SQL expressions (a Jinja list). -#}
{% macro list_of(items) -%}
    {{ return(adapter.dispatch('list_of', 'liia_csww')(items)) }}
{%- endmacro %}
{% macro default__list_of(items) -%}
    [{{ items | join(', ') }}]
{%- endmacro %}
{% macro spark__list_of(items) -%}
    array({{ items | join(', ') }})
{%- endmacro %}

{#- The empty list of text. -#}
{% macro empty_text_list() -%}
    {{ return(adapter.dispatch('empty_text_list', 'liia_csww')()) }}
{%- endmacro %}
{% macro default__empty_text_list() -%}
    []
{%- endmacro %}
{% macro spark__empty_text_list() -%}
    cast(array() as array<string>)
{%- endmacro %}

{#- A struct of the given fields: a Jinja list of (name, SQL expression) pairs. -#}
{% macro struct_of(fields) -%}
    {{ return(adapter.dispatch('struct_of', 'liia_csww')(fields)) }}
{%- endmacro %}
{% macro default__struct_of(fields) -%}
    { {%- for name, expr in fields %}'{{ name }}': {{ expr }}{{ ', ' if not loop.last }}{% endfor -%} }
{%- endmacro %}
{% macro spark__struct_of(fields) -%}
    named_struct({%- for name, expr in fields %}'{{ name }}', {{ expr }}{{ ', ' if not loop.last }}{% endfor -%})
{%- endmacro %}

{#- One field of a struct (name: a Jinja string). -#}
{% macro struct_field(struct_expr, name) -%}
    {{ return(adapter.dispatch('struct_field', 'liia_csww')(struct_expr, name)) }}
{%- endmacro %}
{% macro default__struct_field(struct_expr, name) -%}
    struct_extract({{ struct_expr }}, '{{ name }}')
{%- endmacro %}
{% macro spark__struct_field(struct_expr, name) -%}
    {{ struct_expr }}.{{ name }}
{%- endmacro %}

{#- The list with `body` (SQL using the Jinja name `var`) applied to each element. -#}
{% macro list_map(list_expr, var, body) -%}
    {{ return(adapter.dispatch('list_map', 'liia_csww')(list_expr, var, body)) }}
{%- endmacro %}
{% macro default__list_map(list_expr, var, body) -%}
    list_transform({{ list_expr }}, lambda {{ var }}: {{ body }})
{%- endmacro %}
{% macro spark__list_map(list_expr, var, body) -%}
    transform({{ list_expr }}, {{ var }} -> {{ body }})
{%- endmacro %}

{#- The elements of the list for which `body` (SQL using `var`) is true. -#}
{% macro list_where(list_expr, var, body) -%}
    {{ return(adapter.dispatch('list_where', 'liia_csww')(list_expr, var, body)) }}
{%- endmacro %}
{% macro default__list_where(list_expr, var, body) -%}
    list_filter({{ list_expr }}, lambda {{ var }}: {{ body }})
{%- endmacro %}
{% macro spark__list_where(list_expr, var, body) -%}
    filter({{ list_expr }}, {{ var }} -> {{ body }})
{%- endmacro %}

{#- The element at a 1-based position of a list (null past its end). -#}
{% macro list_element(list_expr, index_expr) -%}
    {{ return(adapter.dispatch('list_element', 'liia_csww')(list_expr, index_expr)) }}
{%- endmacro %}
{% macro default__list_element(list_expr, index_expr) -%}
    {{ list_expr }}[{{ index_expr }}]
{%- endmacro %}
{% macro spark__list_element(list_expr, index_expr) -%}
    try_element_at({{ list_expr }}, {{ index_expr }})
{%- endmacro %}

{#- The integers 1 to n (an SQL expression), as a list. -#}
{% macro one_to(n_expr) -%}
    {{ return(adapter.dispatch('one_to', 'liia_csww')(n_expr)) }}
{%- endmacro %}
{% macro default__one_to(n_expr) -%}
    range(1, {{ n_expr }} + 1)
{%- endmacro %}
{% macro spark__one_to(n_expr) -%}
    case when {{ n_expr }} > 0 then sequence(1, {{ n_expr }}) else cast(array() as array<int>) end
{%- endmacro %}

{#- How many elements the list holds; null for a null list (Spark's size is -1). -#}
{% macro list_length(list_expr) -%}
    {{ return(adapter.dispatch('list_length', 'liia_csww')(list_expr)) }}
{%- endmacro %}
{% macro default__list_length(list_expr) -%}
    len({{ list_expr }})
{%- endmacro %}
{% macro spark__list_length(list_expr) -%}
    case when {{ list_expr }} is not null then size({{ list_expr }}) end
{%- endmacro %}

{#- Whether the list holds the value. -#}
{% macro list_has(list_expr, value) -%}
    {{ return(adapter.dispatch('list_has', 'liia_csww')(list_expr, value)) }}
{%- endmacro %}
{% macro default__list_has(list_expr, value) -%}
    list_contains({{ list_expr }}, {{ value }})
{%- endmacro %}
{% macro spark__list_has(list_expr, value) -%}
    array_contains({{ list_expr }}, {{ value }})
{%- endmacro %}

{#- The smallest element of a list. -#}
{% macro list_smallest(list_expr) -%}
    {{ return(adapter.dispatch('list_smallest', 'liia_csww')(list_expr)) }}
{%- endmacro %}
{% macro default__list_smallest(list_expr) -%}
    list_min({{ list_expr }})
{%- endmacro %}
{% macro spark__list_smallest(list_expr) -%}
    array_min({{ list_expr }})
{%- endmacro %}

{#- Whether two lists share an element. -#}
{% macro lists_overlap(left_expr, right_expr) -%}
    {{ return(adapter.dispatch('lists_overlap', 'liia_csww')(left_expr, right_expr)) }}
{%- endmacro %}
{% macro default__lists_overlap(left_expr, right_expr) -%}
    len(list_intersect({{ left_expr }}, {{ right_expr }})) > 0
{%- endmacro %}
{% macro spark__lists_overlap(left_expr, right_expr) -%}
    size(array_intersect({{ left_expr }}, {{ right_expr }})) > 0
{%- endmacro %}

{#- Text split on a literal separator into a list. -#}
{% macro split_text(text_expr, separator) -%}
    {{ return(adapter.dispatch('split_text', 'liia_csww')(text_expr, separator)) }}
{%- endmacro %}
{% macro default__split_text(text_expr, separator) -%}
    string_split({{ text_expr }}, '{{ separator }}')
{%- endmacro %}
{% macro spark__split_text(text_expr, separator) -%}
    split({{ text_expr }}, '\Q{{ separator }}\E')
{%- endmacro %}

{#- Aggregate: the list of the values (filter: an SQL condition, or none). -#}
{% macro list_agg(expr, filter=none, distinct=false) -%}
    {{ return(adapter.dispatch('list_agg', 'liia_csww')(expr, filter, distinct)) }}
{%- endmacro %}
{% macro default__list_agg(expr, filter=none, distinct=false) -%}
    list({{ 'distinct ' if distinct }}{{ expr }}){% if filter %} filter (where {{ filter }}){% endif %}
{%- endmacro %}
{% macro spark__list_agg(expr, filter=none, distinct=false) -%}
    {%- if distinct -%}
        collect_set({{ expr }}){% if filter %} filter (where {{ filter }}){% endif %}
    {%- else -%}
        collect_list({{ expr }}){% if filter %} filter (where {{ filter }}){% endif %}
    {%- endif -%}
{%- endmacro %}

{#- The list sorted ascending. -#}
{% macro list_sorted(list_expr) -%}
    {{ return(adapter.dispatch('list_sorted', 'liia_csww')(list_expr)) }}
{%- endmacro %}
{% macro default__list_sorted(list_expr) -%}
    list_sort({{ list_expr }})
{%- endmacro %}
{% macro spark__list_sorted(list_expr) -%}
    array_sort({{ list_expr }})
{%- endmacro %}

{#- Aggregate: the values joined by `separator` (a Jinja string) in the order of `order_by`. -#}
{% macro ordered_string_agg(expr, separator, order_by, filter=none) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'liia_csww')(expr, separator, order_by, filter)) }}
{%- endmacro %}
{% macro default__ordered_string_agg(expr, separator, order_by, filter=none) -%}
    string_agg({{ expr }}, '{{ separator }}' order by {{ order_by }}){% if filter %} filter (where {{ filter }}){% endif %}
{%- endmacro %}
{% macro spark__ordered_string_agg(expr, separator, order_by, filter=none) -%}
    {#- An empty aggregate is null, as in DuckDB (Spark's listagg would give ''). -#}
    nullif(
        string_agg({{ expr }}, '{{ separator }}') within group (order by {{ order_by }})
        {%- if filter %} filter (where {{ filter }}){% endif %},
        ''
    )
{%- endmacro %}

{#- Rows: one per element of the list (in a select list, as a column). -#}
{% macro unnest_list(list_expr) -%}
    {{ return(adapter.dispatch('unnest_list', 'liia_csww')(list_expr)) }}
{%- endmacro %}
{% macro default__unnest_list(list_expr) -%}
    unnest({{ list_expr }})
{%- endmacro %}
{% macro spark__unnest_list(list_expr) -%}
    explode({{ list_expr }})
{%- endmacro %}

{#- `select *` but the named columns (a Jinja list of names). -#}
{% macro star_except(columns, relation=none) -%}
    {{ return(adapter.dispatch('star_except', 'liia_csww')(columns, relation)) }}
{%- endmacro %}
{% macro default__star_except(columns, relation=none) -%}
    {{ relation ~ '.' if relation }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}
{% macro spark__star_except(columns, relation=none) -%}
    {{ relation ~ '.' if relation }}* except ({{ columns | join(', ') }})
{%- endmacro %}

{#- Whole days from start_date to end_date. -#}
{% macro days_between(start_expr, end_expr) -%}
    {{ return(adapter.dispatch('days_between', 'liia_csww')(start_expr, end_expr)) }}
{%- endmacro %}
{% macro default__days_between(start_expr, end_expr) -%}
    date_diff('day', {{ start_expr }}, {{ end_expr }})
{%- endmacro %}
{% macro spark__days_between(start_expr, end_expr) -%}
    datediff({{ end_expr }}, {{ start_expr }})
{%- endmacro %}

{#- The date (DuckDB: a timestamp) a text holds in one format, or null
    (format: dd/mm/yyyy or yyyy-mm-dd). -#}
{% macro try_parse_date(text_expr, format) -%}
    {{ return(adapter.dispatch('try_parse_date', 'liia_csww')(text_expr, format)) }}
{%- endmacro %}
{% macro default__try_parse_date(text_expr, format) -%}
    try_strptime({{ text_expr }}, '{{ {"yyyy-mm-dd": "%Y-%m-%d", "dd/mm/yyyy": "%d/%m/%Y"}[format] }}')
{%- endmacro %}
{% macro spark__try_parse_date(text_expr, format) -%}
    try_to_date({{ text_expr }}, '{{ {"yyyy-mm-dd": "y-M-d", "dd/mm/yyyy": "d/M/y"}[format] }}')
{%- endmacro %}

{#- A date as ISO yyyy-mm-dd text. -#}
{% macro iso_date_text(date_expr) -%}
    {{ return(adapter.dispatch('iso_date_text', 'liia_csww')(date_expr)) }}
{%- endmacro %}
{% macro default__iso_date_text(date_expr) -%}
    strftime({{ date_expr }}, '%Y-%m-%d')
{%- endmacro %}
{% macro spark__iso_date_text(date_expr) -%}
    date_format({{ date_expr }}, 'yyyy-MM-dd')
{%- endmacro %}

{#- The value of a map at a key (null when absent), and whether the key is there. -#}
{% macro map_value(map_expr, key_expr) -%}
    {{ return(adapter.dispatch('map_value', 'liia_csww')(map_expr, key_expr)) }}
{%- endmacro %}
{% macro default__map_value(map_expr, key_expr) -%}
    map_extract_value({{ map_expr }}, {{ key_expr }})
{%- endmacro %}
{% macro spark__map_value(map_expr, key_expr) -%}
    try_element_at({{ map_expr }}, {{ key_expr }})
{%- endmacro %}
{% macro map_has(map_expr, key_expr) -%}
    {{ return(adapter.dispatch('map_has', 'liia_csww')(map_expr, key_expr)) }}
{%- endmacro %}
{% macro default__map_has(map_expr, key_expr) -%}
    map_contains({{ map_expr }}, {{ key_expr }})
{%- endmacro %}
{% macro spark__map_has(map_expr, key_expr) -%}
    array_contains(map_keys({{ map_expr }}), {{ key_expr }})
{%- endmacro %}

{#- A list of text literals, one per Jinja string. -#}
{% macro text_list(texts) -%}
    {%- set literals = [] -%}
    {%- for text in texts %}{% do literals.append(text_literal(text)) %}{% endfor -%}
    {{ list_of(literals) }}
{%- endmacro %}

{#- `select *` without the `excluded` columns and with each (name, SQL
    expression) of `replaced` in place of the column of that name. Spark has
    no REPLACE: there the replaced columns come last (compare by name). -#}
{% macro star_replace(excluded, replaced, relation=none) -%}
    {{ return(adapter.dispatch('star_replace', 'liia_csww')(excluded, replaced, relation)) }}
{%- endmacro %}
{% macro default__star_replace(excluded, replaced, relation=none) -%}
    {{ relation ~ '.' if relation }}*
    {%- if excluded %} exclude ({{ excluded | join(', ') }}){% endif %}
    replace (
        {%- for name, expr in replaced %}
            {{ expr }} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
{% macro spark__star_replace(excluded, replaced, relation=none) -%}
    {%- set names = [] -%}
    {%- for name, expr in replaced %}{% do names.append(name) %}{% endfor -%}
    {{ relation ~ '.' if relation }}* except ({{ (excluded + names) | join(', ') }}),
    {%- for name, expr in replaced %}
        {{ expr }} as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- One row per (row, column) of `relation_sql` (a query in parentheses) for
    every column but `keep` (a column name) that is not null: the column's name
    in `name_column`, its value in `value_column`. `columns` (Jinja list) names
    the columns Spark unpivots: it has no COLUMNS(*) to find them itself. -#}
{% macro unpivot_columns(relation_sql, keep, columns, name_column, value_column) -%}
    {{ return(adapter.dispatch('unpivot_columns', 'liia_csww')(relation_sql, keep, columns, name_column, value_column)) }}
{%- endmacro %}
{% macro default__unpivot_columns(relation_sql, keep, columns, name_column, value_column) -%}
    unpivot {{ relation_sql }}
    on columns(* exclude ({{ keep }}))
    into name {{ name_column }} value {{ value_column }}
{%- endmacro %}
{% macro spark__unpivot_columns(relation_sql, keep, columns, name_column, value_column) -%}
    select {{ keep }}, {{ name_column }}, {{ value_column }}
    from {{ relation_sql }}
    unpivot ({{ value_column }} for {{ name_column }} in (
        {%- for column in columns %}{{ adapter.quote(column) }} as {{ column }}{{ ', ' if not loop.last }}{% endfor -%}
    ))
{%- endmacro %}

{#- A row value of the expressions (a Jinja list), for count(distinct ...):
    null fields are kept, so a row with one is still counted. -#}
{% macro row_of(items) -%}
    {{ return(adapter.dispatch('row_of', 'liia_csww')(items)) }}
{%- endmacro %}
{% macro default__row_of(items) -%}
    row({{ items | join(', ') }})
{%- endmacro %}
{% macro spark__row_of(items) -%}
    struct({{ items | join(', ') }})
{%- endmacro %}

{#- A number rounded to a number of decimal places given by a column (0 to
    `most`); Spark's round takes a constant scale only. -#}
{% macro round_to_places(number_expr, places_expr, most=2) -%}
    {{ return(adapter.dispatch('round_to_places', 'liia_csww')(number_expr, places_expr, most)) }}
{%- endmacro %}
{% macro default__round_to_places(number_expr, places_expr, most=2) -%}
    round({{ number_expr }}, {{ places_expr }})
{%- endmacro %}
{% macro spark__round_to_places(number_expr, places_expr, most=2) -%}
    case {{ places_expr }}
        {%- for places in range(0, most + 1) %} when {{ places }} then round({{ number_expr }}, {{ places }}){% endfor %}
    end
{%- endmacro %}


{#- The rows of `sql` (a whole query, which may have its own with clause), for
    a CTE the model reads many times: `name as ({{ computed_apart('name', sql,
    reads) }})`. `reads` names the CTEs of the model `sql` reads, each itself
    computed_apart. DuckDB materialises a CTE read more than once, so there the
    query stays inline, the CTE's body. Spark inlines a CTE at every reference:
    an extract's suppression reads its rows once per count column and group,
    and its passes nest a dozen deep, and analysing that plan exhausts the
    driver (or the analyser's iterations). There each such query is first
    written to a table of the intermediate schema, <model>__<name>, replaced by
    every build (its `reads` read their tables), and the CTE reads that table. -#}
{% macro computed_apart(name, sql, reads=[]) -%}
    {{ return(adapter.dispatch('computed_apart', 'liia_csww')(name, sql, reads)) }}
{%- endmacro %}
{% macro default__computed_apart(name, sql, reads=[]) -%}
    {{ sql }}
{%- endmacro %}
{% macro computed_apart_relation(name) -%}
    {{ return(api.Relation.create(
        schema=generate_schema_name('intermediate', model),
        identifier=this.identifier ~ '__' ~ name,
        type='table')) }}
{%- endmacro %}
{% macro spark__computed_apart(name, sql, reads=[]) -%}
    {%- set relation = computed_apart_relation(name) -%}
    {%- if execute -%}
        {%- set query -%}
            create table {{ relation }} using parquet as
            {%- for read in reads %}
            {{ 'with' if loop.first else ',' }} {{ read }} as (select * from {{ computed_apart_relation(read) }})
            {%- endfor %}
            select * from (
                {{ sql }}
            ) as computed_apart
        {%- endset -%}
        {%- do run_query('create schema if not exists ' ~ relation.schema) -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query(query) -%}
    {%- endif -%}
    select * from {{ relation }}
{%- endmacro %}
