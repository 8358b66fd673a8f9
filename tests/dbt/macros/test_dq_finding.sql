-- dq_finding: the eight finding columns in order and typed, from unqualified
-- columns (record_number and value_index defaulted) and from a named relation
-- (record_number null, value_index given). Returns every case whose values or
-- column types differ from the expected ones.
with

source_rows as (
    select t.*
    from (
        values
        (7, '201', '2024', 3, 'Ethnicity', 2)
    ) as t (file_id, la_code, census_year, record_number, item_name, value_index)
),

defaulted as (
    select
        {{ dq_finding(rule_id="'FMT_CODE'", item='item_name', message="'m ' || item_name") }}
    from source_rows
),

explicit_args as (
    select
        {{ dq_finding(
            relation='r',
            rule_id="'LOG_X'",
            item="'SWENo'",
            message="'x'",
            record_number='null',
            value_index='r.value_index'
        ) }}
    from source_rows as r
),

actual as (
    select
        'defaulted' as case_name,
        *
    from defaulted
    union all
    select
        'explicit_args' as case_name,
        *
    from explicit_args
),

expected as (
    select t.*
    from (
        values
        ('defaulted', 7, '201', 2024, 3, 'Ethnicity', cast(null as integer), 'FMT_CODE', 'm Ethnicity'),
        ('explicit_args', 7, '201', 2024, cast(null as integer), 'SWENo', 2, 'LOG_X', 'x')
    ) as t (case_name, file_id, la_code, census_year, record_number, item, value_index, rule_id, message)
),

missing_rows as (
    select
        'missing or different' as problem,
        differences.case_name
    from (
        select * from expected
        except
        select * from actual
    ) as differences
),

extra_rows as (
    select
        'unexpected' as problem,
        differences.case_name
    from (
        select * from actual
        except
        select * from expected
    ) as differences
),

wrong_types as (
    select
        'column types' as problem,
        'defaulted' as case_name
    from defaulted
    where [
        typeof(file_id), typeof(la_code), typeof(census_year), typeof(record_number),
        typeof(item), typeof(value_index), typeof(rule_id), typeof(message)
    ] <> ['INTEGER', 'VARCHAR', 'INTEGER', 'INTEGER', 'VARCHAR', 'INTEGER', 'VARCHAR', 'VARCHAR']
)

select * from missing_rows
union all
select * from extra_rows
union all
select * from wrong_types
