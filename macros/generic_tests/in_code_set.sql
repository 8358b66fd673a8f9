{#- Generic test: every non-null value of the column is a code of the given
    code set in the reference seed csww_code_sets (a relationships test to a
    code-set dimension filtered on its code set). Values are compared as text,
    so integer codes match the seed's varchar codes. For a list column
    (e.g. absence reasons) pass is_list: true to check every element.

    columns:
      - name: org_role
        data_tests:
          - in_code_set:
              arguments:
                code_set: org_role
-#}
{% test in_code_set(model, column_name, code_set, is_list=false) %}

    with

    column_values as (
        {% if is_list %}
            select {{ unnest_list(column_name) }} as column_value
            from {{ model }}
        {% else %}
            select {{ column_name }} as column_value
            from {{ model }}
        {% endif %}
    ),

    codes as (
        select code
        from {{ ref('csww_code_sets') }}
        where code_set = '{{ code_set }}'
    )

    select column_values.column_value
    from column_values
    where
        column_values.column_value is not null
        and cast(column_values.column_value as string) not in (select codes.code from codes)

{% endtest %}
