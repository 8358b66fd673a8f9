-- A SWE number hash is published in the individual extract only, and there only as
-- 64 lower-case hex (a keyed hash, never a sender's or an upper-case value): no text
-- column of an aggregated extract (every extract whose contract says so, read from
-- the project graph, so a new extract or column is checked without editing this
-- test) holds anything shaped like a 64-hex hash, in any case. Returns every value
-- out of place, or a row if too few text columns were found to check.
-- depends_on: {{ ref('ext_turnover') }}, {{ ref('ext_agency_reliance') }}
-- depends_on: {{ ref('ext_movement') }}, {{ ref('ext_equality') }}
-- depends_on: {{ ref('ext_data_quality') }}, {{ ref('ext_workforce_individual') }}
{%- set checks = [] %}
{%- for node in graph.nodes.values()
    if node.resource_type == 'model' and node.name.startswith('ext_')
    and node.config.meta.get('aggregated', true) %}
    {%- for name, column in node.columns.items() if (column.data_type or '') | lower == 'varchar' %}
        {%- do checks.append((node.name, name)) %}
    {%- endfor %}
{%- endfor %}

with

hashes_out_of_place as (
    {%- for extract_name, column_name in checks %}
        select
            '{{ extract_name }}' as extract_name,
            '{{ column_name }}' as column_name
        from {{ ref(extract_name) }}
        where regexp_matches({{ column_name }}, '[0-9a-fA-F]{64}')
        union all
    {%- endfor %}
    select
        'ext_workforce_individual' as extract_name,
        'swe_number_hash' as column_name
    from {{ ref('ext_workforce_individual') }}
    where swe_number_hash is not null and not regexp_full_match(swe_number_hash, '[0-9a-f]{64}')
    union all
    -- the check itself found the text columns
    select
        'none' as extract_name,
        'no text column found' as column_name
    where {{ checks | length }} < 10
)

select * from hashes_out_of_place
