{#-
    The select list of one data-quality finding: the eight columns every
    int_dq__*_findings model has, in order and typed, so that the models union
    into marts.fct_dq_findings (see _quality__models.yml, finding_columns).

    Every argument is a SQL expression: a rule id or item given as a constant
    is a quoted literal ("'FMT_REQUIRED'"). relation names the table the
    record's keys (file_id, la_code, census_year and, by default,
    record_number) come from when the query joins several; record_number is
    'null' for an LA-level or file-level finding, value_index 'null' (the
    default) unless the item repeats.
    Tested by tests/dbt/macros/test_dq_finding.sql.
-#}
{% macro dq_finding(rule_id, item, message, record_number=none, value_index='null', relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    cast({{ prefix }}file_id as integer) as file_id,
    cast({{ prefix }}la_code as string) as la_code,
    cast({{ prefix }}census_year as integer) as census_year,
    cast({{ record_number if record_number is not none else prefix ~ 'record_number' }} as integer) as record_number,
    cast({{ item }} as string) as item,
    cast({{ value_index }} as integer) as value_index,
    cast({{ rule_id }} as string) as rule_id,
    cast({{ message }} as string) as message
{%- endmacro %}
