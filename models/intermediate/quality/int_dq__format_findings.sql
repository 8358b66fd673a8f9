-- Format findings: required items, SWE number and birth-date form, numbers,
-- codes, ranges, decimal places and dates (driven by csww_item_formats and
-- csww_code_sets), of worker and LA-level items alike (from the text as sent),
-- a ReferenceDate that is not the census date, and problems met while loading.
-- Incremental by file (macros/incremental_by_file.sql): the files staging
-- rebuilt, and those whose load problems changed (stg_csww__load_errors is a
-- table: its screen of messages can change for an older file; FMT_LOAD below
-- carries each load error's file, record, item and message unchanged).
{%- set staged = [
    ref('int_dq__workers'), ref('stg_csww__worker_items'), ref('int_dq__la_level_values')
] %}
{%- set load_problems_changed = none %}
{%- if is_incremental() %}
    {%- set load_problem_columns = 'file_id, record_number, item, message' %}
    {%- set load_problems_now -%}
        select load_errors.file_id, load_errors.record_number, load_errors.item, load_errors.message
        from {{ ref('stg_csww__load_errors') }} as load_errors
        inner join {{ ref('stg_csww__files') }} as files on load_errors.file_id = files.file_id
        where files.status = 'accepted'
    {%- endset %}
    {%- set load_problems_built -%}
        select {{ load_problem_columns }} from {{ this }} where rule_id = 'FMT_LOAD'
    {%- endset %}
    {%- set load_problems_changed -%}
        select file_id from (
            ({{ load_problems_now }} except all {{ load_problems_built }})
            union all
            ({{ load_problems_built }} except all {{ load_problems_now }})
        )
    {%- endset %}
{%- endif %}

with

item_formats as (
    select * from {{ ref('csww_item_formats') }}
),

code_sets as (
    select * from {{ ref('csww_code_sets') }}
),

workers as (
    select * from {{ ref('int_dq__workers') }}
    {{ only_files_staged_now('file_id', staged, load_problems_changed) }}
),

presence as (
    select * from {{ ref('int_dq__item_presence') }}
    {{ only_files_staged_now('file_id', staged, load_problems_changed) }}
),

la_level_values as (
    select * from {{ ref('int_dq__la_level_values') }}
    {{ only_files_staged_now('file_id', staged, load_problems_changed) }}
),

item_values as (
    select
        worker_items.file_id,
        worker_items.la_code,
        worker_items.census_year,
        worker_items.record_number,
        worker_items.item_name,
        worker_items.value_index,
        worker_items.item_value,
        item_formats.value_type,
        item_formats.code_set,
        item_formats.pattern,
        cast(nullif(item_formats.min_value, '') as double) as min_value,
        cast(nullif(item_formats.max_value, '') as double) as max_value,
        cast(nullif(item_formats.max_decimals, '') as integer) as max_decimals,
        -- A bad value may be quoted to help the borough find it, but never
        -- one that looks like a SWE number, a date or a pseudonym: a borough
        -- may have put one in the wrong item (SWENo and PersonBirthDate
        -- themselves carry no value in stg_csww__worker_items).
        {{ quotable_value('worker_items.item_value') }} as quoted_value,
        coalesce(worker_items.withheld_identifier, false) as withheld_identifier
    from (
        select * from {{ ref('stg_csww__worker_items') }}
        {{ only_files_staged_now('file_id', staged, load_problems_changed) }}
    ) as worker_items
    inner join item_formats
        on
            worker_items.item_name = item_formats.item_name
            and item_formats.record_level = 'worker'
    where coalesce(worker_items.item_value, '') <> ''
),

-- LA-level values as sent (text items aside: free text has no format, and is
-- kept only when staging withheld it), in the same shape, so that every number,
-- range, decimal and code rule below applies to them too. Their messages name
-- them 'LA-level <item>'.
la_level_item_values as (
    select
        file_id,
        la_code,
        census_year,
        cast(null as integer) as record_number,
        item_name,
        cast(null as integer) as value_index,
        item_value,
        value_type,
        code_set,
        pattern,
        min_value,
        max_value,
        max_decimals,
        {{ quotable_value('item_value') }} as quoted_value,
        withheld_identifier
    from la_level_values
    where
        (value_type <> 'text' and coalesce(item_value, '') <> '')
        or withheld_identifier
),

sent_values as (
    select
        *,
        item_name as subject
    from item_values
    union all
    select
        *,
        'LA-level ' || item_name as subject
    from la_level_item_values
),

numbers as (
    select
        *,
        {{ matches_item_pattern('item_value', 'pattern') }} as is_number,
        try_cast(item_value as double) as numeric_value,
        length(split_part(item_value, '.', 2)) as decimals
    from sent_values
    where value_type in ('decimal', 'integer')
),

required_missing as (
    select
        {{ dq_finding(
            rule_id="'FMT_REQUIRED'",
            item='item_name',
            message="item_name || ' is missing: every worker record must have it'"
        ) }}
    from presence
    where mandatory_for = 'every_worker' and not is_present
),

swe_number_form as (
    select
        {{ dq_finding(
            rule_id="case swe_number_form when 'invalid' then 'FMT_SWE_INVALID' else 'FMT_SWE_NORMALISED' end",
            item="'SWENo'",
            message="case swe_number_form
                when 'invalid' then 'The SWE number is not two letters followed by digits'
                else 'The SWE number had lower-case letters or spaces; it was tidied before pseudonymisation'
            end"
        ) }}
    from workers
    where swe_number_form in ('invalid', 'normalised')
),

birth_date_form as (
    select
        {{ dq_finding(
            rule_id="'FMT_BIRTH_DATE'",
            item="'PersonBirthDate'",
            message="'The birth date is not a valid date (expected YYYY-MM-DD)'"
        ) }}
    from workers
    where birth_date_form = 'invalid'
),

not_a_number as (
    select
        {{ dq_finding(
            rule_id="'FMT_TYPE'",
            item='item_name',
            value_index='value_index',
            message="subject || ' ' || quoted_value || ' is not a '
                || case value_type when 'integer' then 'whole number' else 'number' end"
        ) }}
    from numbers
    where not is_number
),

out_of_range as (
    select
        {{ dq_finding(
            rule_id="'FMT_RANGE'",
            item='item_name',
            value_index='value_index',
            message="subject || ' ' || quoted_value || ' is '
                || case
                    when numeric_value < min_value then 'below ' || cast(min_value as string)
                    else 'above ' || cast(max_value as string)
                end"
        ) }}
    from numbers
    where is_number and (numeric_value < min_value or numeric_value > max_value)
),

too_many_decimals as (
    -- staging nulls such an LA-level figure rather than round it
    select
        {{ dq_finding(
            rule_id="'FMT_DECIMALS'",
            item='item_name',
            value_index='value_index',
            message="subject || ' ' || quoted_value || ' has ' || cast(decimals as string)
                || ' decimal places; at most ' || cast(max_decimals as string) || ' are allowed'
                || case when record_number is null then ': it is not used until it is resent' else '' end"
        ) }}
    from numbers
    where is_number and decimals > max_decimals
),

code_outside_list as (
    select
        {{ dq_finding(
            relation='sent_values',
            rule_id="'FMT_CODE'",
            item='sent_values.item_name',
            value_index='sent_values.value_index',
            message="sent_values.subject || ' ' || sent_values.quoted_value
                || ' is not one of the DfE codes for this item'"
        ) }}
    from sent_values
    left join code_sets
        on
            sent_values.code_set = code_sets.code_set
            and upper(sent_values.item_value) = code_sets.code
    where sent_values.value_type = 'code' and code_sets.code is null
),

invalid_date as (
    select
        {{ dq_finding(
            rule_id="'FMT_DATE'",
            item='item_name',
            value_index='value_index',
            message="item_name || ' ' || quoted_value || ' is not a valid date (expected YYYY-MM-DD)'"
        ) }}
    from item_values
    where
        value_type = 'date'
        and (
            not {{ matches_item_pattern('item_value', 'pattern') }}
            or try_cast(item_value as date) is null
        )
),

-- The census date is 30 September of the census year; ReferenceDate (the
-- header's, as stg_csww__files recorded it once the loader checked it is a
-- date) must say so. The date itself is not quoted: any full date is kept out
-- of messages.
reference_date_not_census_date as (
    select
        {{ dq_finding(
            rule_id="'FMT_REFERENCE_DATE'",
            item="'ReferenceDate'",
            record_number='null',
            message="'ReferenceDate is ' || cast(abs(" ~ days_between('census_date', 'reference_date') ~ ") as string)
                || ' day(s) ' || case when reference_date < census_date then 'before' else 'after' end
                || ' 30 September ' || cast(census_year as string)
                || ', the census date of this return: check the return is the '
                || cast(census_year as string) || ' census and resend it with that ReferenceDate'"
        ) }}
    from (
        select
            file_id,
            la_code,
            census_year,
            -- an xs:date may carry a time zone (2025-09-30Z): the date is its first 10 characters
            try_cast(left(reference_date, 10) as date) as reference_date,
            {{ census_year_end('census_year') }} as census_date
        from {{ ref('stg_csww__files') }}
        where status = 'accepted'
    )
    where reference_date <> census_date
),

-- Free text (QualInst, OtherAllowances) that looked like or held an SWE
-- number or birth date: staging withheld it (stg_csww__worker_items,
-- stg_csww__la_level), so it is never quoted; the borough is told to take the
-- identifier out. A withheld coded or numeric value is reported by its own
-- rule above, with the value withheld from the message.
identifier_in_text as (
    select
        {{ dq_finding(
            rule_id="'FMT_IDENTIFIER_IN_TEXT'",
            item='item_name',
            value_index='value_index',
            message="subject || ' was withheld: it looks like or holds an identifier (an SWE number or birth date)'"
        ) }}
    from sent_values
    where value_type = 'text' and withheld_identifier
),

load_problems as (
    select
        {{ dq_finding(
            relation='files',
            rule_id="'FMT_LOAD'",
            item='load_errors.item',
            record_number='load_errors.record_number',
            value_index="row_number() over (
                partition by load_errors.file_id, load_errors.record_number, load_errors.item
                order by load_errors.message
            )",
            message='load_errors.message'
        ) }}
    from {{ ref('stg_csww__load_errors') }} as load_errors
    inner join {{ ref('stg_csww__files') }} as files
        on load_errors.file_id = files.file_id
    where files.status = 'accepted'
),

findings as (
    select * from required_missing
    union all
    select * from swe_number_form
    union all
    select * from birth_date_form
    union all
    select * from not_a_number
    union all
    select * from out_of_range
    union all
    select * from too_many_decimals
    union all
    select * from code_outside_list
    union all
    select * from invalid_date
    union all
    select * from reference_date_not_census_date
    union all
    select * from identifier_in_text
    union all
    select * from load_problems
)

select * from findings
{{ only_files_staged_now('file_id', staged, load_problems_changed) }}
