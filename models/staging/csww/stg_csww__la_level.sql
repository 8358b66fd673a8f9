-- One LA-level record (LALevelVacancies / LALevel) of an accepted file, typed.
-- Landing's columns are named exactly as the XML items, hence quoted.
--
-- A decimal with more places than DfE allows (2: NumberOfVacancies 3.125) is
-- null here, never rounded: it is a format finding (FMT_DECIMALS), and a
-- rounded figure would feed the indicators as if the borough had sent it. The
-- borough resends; until then the indicators leave the value out.
--
-- sent_values keeps, for the quality rules only, what was sent for each item
-- (see _csww__models.yml): a coded or numeric value that looks like an
-- identifier is withheld; free text carries no value here ('' when empty).
-- Incremental by file (macros/incremental_by_file.sql): a built file is
-- screened again when its kept OtherAllowances now holds a landing identifier.
-- noqa: disable=RF06
{%- set la_level_decimal_places = 2 %}
{%- set la_level_items = ['NumberOfVacancies', 'NoAgencyFTE', 'NoAgencyHeadcount', 'RecruitmentBonus',
    'RetentionBonus', 'PerformanceAward', 'CarAllowance', 'RelocationPackage', 'RegionalWeighting',
    'CostSWE', 'CostDBS', 'OtherAllowances'] %}
with

accepted_files as (
    select * from {{ ref('stg_csww__accepted_files') }}
    {{ only_files_to_build('file_id', stale_screened_files(
        "(select file_id, other_allowances as screened_text from " ~ this
        ~ " where not other_allowances_withheld)"
    ) if is_incremental()) }}
),

source as (
    select
        la_level.file_id,
        accepted_files.la_code,
        accepted_files.census_year,
        accepted_files.layout_version,
        la_level.{{ adapter.quote('NumberOfVacancies') }} as number_of_vacancies,
        la_level.{{ adapter.quote('NoAgencyFTE') }} as no_agency_fte,
        la_level.{{ adapter.quote('NoAgencyHeadcount') }} as no_agency_headcount,
        la_level.{{ adapter.quote('RecruitmentBonus') }} as recruitment_bonus,
        la_level.{{ adapter.quote('RetentionBonus') }} as retention_bonus,
        la_level.{{ adapter.quote('PerformanceAward') }} as performance_award,
        la_level.{{ adapter.quote('CarAllowance') }} as car_allowance,
        la_level.{{ adapter.quote('RelocationPackage') }} as relocation_package,
        la_level.{{ adapter.quote('RegionalWeighting') }} as regional_weighting,
        la_level.{{ adapter.quote('CostSWE') }} as cost_swe,
        la_level.{{ adapter.quote('CostDBS') }} as cost_dbs,
        la_level.{{ adapter.quote('OtherAllowances') }} as other_allowances
    from {{ source('landing', 'la_level') }} as la_level
    inner join accepted_files on la_level.file_id = accepted_files.file_id
),

typed as (
    select
        file_id,
        la_code,
        census_year,
        layout_version,
        case
            when length(split_part({{ clean_text('number_of_vacancies') }}, '.', 2)) <= {{ la_level_decimal_places }}
                then {{ to_decimal('number_of_vacancies', 9, la_level_decimal_places) }}
        end as number_of_vacancies,
        case
            when length(split_part({{ clean_text('no_agency_fte') }}, '.', 2)) <= {{ la_level_decimal_places }}
                then {{ to_decimal('no_agency_fte', 9, la_level_decimal_places) }}
        end as no_agency_fte,
        {{ to_integer('no_agency_headcount') }} as no_agency_headcount,
        {{ to_integer('recruitment_bonus') }} as recruitment_bonus,
        {{ to_integer('retention_bonus') }} as retention_bonus,
        {{ to_integer('performance_award') }} as performance_award,
        {{ to_integer('car_allowance') }} as car_allowance,
        {{ to_integer('relocation_package') }} as relocation_package,
        {{ to_integer('regional_weighting') }} as regional_weighting,
        {{ to_integer('cost_swe') }} as cost_swe,
        {{ to_integer('cost_dbs') }} as cost_dbs,
        {{ clean_text('other_allowances') }} as other_allowances
    from source
),

-- What was sent, item by item, for the quality rules: unpivot keeps only the
-- items the file carried (a null landing column is an absent item).
sent_items as (
    {%- set sent_rows -%}
    (
        select la_level.*
        from {{ source('landing', 'la_level') }} as la_level
        inner join accepted_files on la_level.file_id = accepted_files.file_id
    )
    {%- endset %}
    {{ unpivot_columns(sent_rows, 'file_id', la_level_items, 'item_name', 'sent_text') }}
),

sent_values as (
    select
        file_id,
        {%- set sent_value -%}
            case
                -- free text: presence only ('' when empty); other_allowances has it, screened
                when item_name = 'OtherAllowances'
                    then case when {{ trim_text('sent_text') }} = '' then '' end
                when
                    {{ looks_like_identifier(trim_text('sent_text')) }}
                    and not {{ regex_full_match(trim_text('sent_text'), "'[+-]?[0-9]+(\.[0-9]+)?'") }}
                    then '{{ withheld_identifier_marker() }}'
                else {{ trim_text('sent_text') }}
            end
        {%- endset %}
        map_from_entries({{ list_agg(struct_of([('key', 'item_name'), ('value', sent_value)])) }}) as sent_values
    from sent_items
    group by file_id
),

-- OtherAllowances is free text: screened as stg_csww__worker_items screens
-- QualInst (identifier_screen, macros/quotable_value.sql). A text that looks
-- like an identifier or holds one of landing's SWE numbers or birth dates is
-- withheld, and other_allowances_withheld says so.
identifiers as (
    {{ landing_identifiers() }}
),

other_allowances_screen as (
    {{ identifier_screen('typed', 'other_allowances', 'identifiers') }}
),

screened as (
    select
        typed.*,
        coalesce(
            other_allowances_screen.looks_like_identifier
            or other_allowances_screen.holds_landing_identifier,
            false
        ) as other_allowances_withheld,
        sent_values.sent_values
    from typed
    left join other_allowances_screen
        on typed.other_allowances = other_allowances_screen.screened_text
    left join sent_values on typed.file_id = sent_values.file_id
)

select
    {{ star_replace([], [('other_allowances', "case when other_allowances_withheld then '"
        ~ withheld_identifier_marker() ~ "' else other_allowances end")]) }},
    {{ built_in_run() }} as built_in_run
from screened
