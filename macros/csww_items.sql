{#- The CSWW worker items landed as columns of landing.csww.workers, in
    landing's column order, and whether each may repeat (landed as a list of
    strings)
    or is personal (staging never publishes its value). Rendered from
    seeds/csww_item_formats.csv, the one description of the layouts, by
    scripts/render_csww_items.py: do not edit the macro by hand (dbt cannot read
    the CSV at compile time; tests/python/load/test_layouts_one_source.py fails
    while it is stale). -#}
{% macro csww_worker_items() -%}
    {{ return([
        {'name': 'AgencyWorker', 'repeated': false, 'personal': false},
        {'name': 'SWENo', 'repeated': false, 'personal': true},
        {'name': 'FTE', 'repeated': false, 'personal': false},
        {'name': 'PersonBirthDate', 'repeated': false, 'personal': true},
        {'name': 'GenderCurrent', 'repeated': false, 'personal': false},
        {'name': 'Ethnicity', 'repeated': false, 'personal': false},
        {'name': 'QualInst', 'repeated': true, 'personal': false},
        {'name': 'QualLevel', 'repeated': false, 'personal': false},
        {'name': 'StepUpGrad', 'repeated': false, 'personal': false},
        {'name': 'OrgRole', 'repeated': false, 'personal': false},
        {'name': 'RoleStartDate', 'repeated': false, 'personal': false},
        {'name': 'StartOrigin', 'repeated': false, 'personal': false},
        {'name': 'RoleEndDate', 'repeated': false, 'personal': false},
        {'name': 'LeaverDestination', 'repeated': false, 'personal': false},
        {'name': 'ReasonLeave', 'repeated': false, 'personal': false},
        {'name': 'FTE30', 'repeated': false, 'personal': false},
        {'name': 'Cases30', 'repeated': false, 'personal': false},
        {'name': 'WorkingDaysLost', 'repeated': false, 'personal': false},
        {'name': 'ContractWeeks', 'repeated': true, 'personal': false},
        {'name': 'FrontlineGrad', 'repeated': false, 'personal': false},
        {'name': 'Absat30Sept', 'repeated': true, 'personal': false},
        {'name': 'ReasonAbsence', 'repeated': true, 'personal': false},
        {'name': 'CFKSSstatus', 'repeated': true, 'personal': false},
        {'name': 'Sex', 'repeated': false, 'personal': false},
        {'name': 'BaseSalary', 'repeated': false, 'personal': false},
        {'name': 'RRPayments', 'repeated': false, 'personal': false},
        {'name': 'OtherPayments', 'repeated': false, 'personal': false},
    ]) }}
{%- endmacro %}

{#- The values of one landing item of a worker record as a list of
    {item_name, value_index, item_value} structs: [] when the item is absent,
    one struct per value for repeated items, and a null value for personal
    items (their presence is kept, their value never). -#}
{% macro worker_item_values(item, relation) -%}
    {%- set column = relation ~ '.' ~ adapter.quote(item.name) -%}
    {%- set name = "'" ~ item.name ~ "'" -%}
    {%- if item.repeated -%}
        {{ list_map(one_to('coalesce(' ~ list_length(column) ~ ', 0)'), 'i',
            struct_of([('item_name', name), ('value_index', 'i'),
                ('item_value', trim_text(list_element(column, 'i')))])) }}
    {%- else -%}
        {%- set value = 'cast(null as string)' if item.personal else trim_text(column) -%}
        case when {{ column }} is not null then {{ list_of([struct_of([('item_name', name),
            ('value_index', '1'), ('item_value', value)])]) }} else {{ empty_item_list() }} end
    {%- endif -%}
{%- endmacro %}

{#- The empty list of item values (typed as worker_item_values' structs). -#}
{% macro empty_item_list() -%}
    {{ return(adapter.dispatch('empty_item_list', 'liia_csww')()) }}
{%- endmacro %}
{% macro default__empty_item_list() -%}
    []
{%- endmacro %}
{% macro spark__empty_item_list() -%}
    cast(array() as array<struct<item_name: string, value_index: int, item_value: string>>)
{%- endmacro %}
