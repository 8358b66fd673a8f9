-- One worker record of an accepted file, typed and pseudonymised: the SWE
-- number becomes its keyed hash, the date of birth its month (the exact age at
-- the census date is computed first). Nothing raw leaves landing.
-- Landing's columns are named exactly as the XML items, hence quoted.
-- Incremental by file (macros/incremental_by_file.sql).
-- noqa: disable=RF06

with

accepted_files as (
    select * from {{ ref('stg_csww__accepted_files') }}
    {{ only_files_to_build('file_id') }}
),

source as (
    select
        workers.file_id,
        accepted_files.la_code,
        accepted_files.census_year,
        accepted_files.layout_version,
        workers.record_number,
        workers.{{ adapter.quote('SWENo') }} as swe_no,
        workers.{{ adapter.quote('AgencyWorker') }} as agency_worker,
        workers.{{ adapter.quote('FTE') }} as fte,
        workers.{{ adapter.quote('PersonBirthDate') }} as person_birth_date,
        workers.{{ adapter.quote('GenderCurrent') }} as gender_current,
        workers.{{ adapter.quote('Sex') }} as sex,
        workers.{{ adapter.quote('Ethnicity') }} as ethnicity,
        workers.{{ adapter.quote('QualInst') }} as qual_inst,
        workers.{{ adapter.quote('QualLevel') }} as qual_level,
        workers.{{ adapter.quote('StepUpGrad') }} as step_up_grad,
        workers.{{ adapter.quote('FrontlineGrad') }} as frontline_grad,
        workers.{{ adapter.quote('OrgRole') }} as org_role,
        workers.{{ adapter.quote('RoleStartDate') }} as role_start_date,
        workers.{{ adapter.quote('StartOrigin') }} as start_origin,
        workers.{{ adapter.quote('RoleEndDate') }} as role_end_date,
        workers.{{ adapter.quote('LeaverDestination') }} as leaver_destination,
        workers.{{ adapter.quote('ReasonLeave') }} as reason_leave,
        workers.{{ adapter.quote('FTE30') }} as fte30,
        workers.{{ adapter.quote('Cases30') }} as cases30,
        workers.{{ adapter.quote('WorkingDaysLost') }} as working_days_lost,
        workers.{{ adapter.quote('ContractWeeks') }} as contract_weeks,
        workers.{{ adapter.quote('Absat30Sept') }} as absat30sept,
        workers.{{ adapter.quote('ReasonAbsence') }} as reason_absence,
        workers.{{ adapter.quote('CFKSSstatus') }} as cfkss_status,
        workers.{{ adapter.quote('BaseSalary') }} as base_salary,
        workers.{{ adapter.quote('RRPayments') }} as rr_payments,
        workers.{{ adapter.quote('OtherPayments') }} as other_payments
    from {{ source('landing', 'workers') }} as workers
    inner join accepted_files on workers.file_id = accepted_files.file_id
),

pseudonymised as (
    select
        file_id,
        la_code,
        census_year,
        layout_version,
        record_number,
        {{ pseudonymise_swe_number('swe_no') }} as swe_number_hash,
        {{ swe_number_form('swe_no') }} as swe_number_form,
        {{ to_integer('agency_worker') }} as agency_worker,
        {{ to_decimal('fte', 9, 6) }} as fte,
        {{ month_of_birth('person_birth_date') }} as birth_month,
        {{ birth_date_form('person_birth_date') }} as birth_date_form,
        {{ age_at(to_date('person_birth_date'), census_reference_date('census_year')) }} as age_at_census,
        {{ to_integer('gender_current') }} as gender_current,
        {{ code_text('sex') }} as sex,
        {{ code_text('ethnicity') }} as ethnicity,
        cast({{ list_length(list_where('qual_inst', 'q', clean_text('q') ~ ' is not null')) }} as integer)
            as qual_inst_count,
        {{ to_integer('qual_level') }} as qual_level,
        {{ to_integer('step_up_grad') }} as step_up_grad,
        {{ to_integer('frontline_grad') }} as frontline_grad,
        {{ to_integer('org_role') }} as org_role,
        {{ to_date('role_start_date') }} as role_start_date,
        {{ to_integer('start_origin') }} as start_origin,
        {{ to_date('role_end_date') }} as role_end_date,
        {{ to_integer('leaver_destination') }} as leaver_destination,
        {{ to_integer('reason_leave') }} as reason_leave,
        {{ to_decimal('fte30', 9, 6) }} as fte30,
        {{ to_integer('cases30') }} as cases30,
        {{ to_decimal('working_days_lost', 9, 2) }} as working_days_lost,
        {{ list_map('contract_weeks', 'w', to_decimal('w', 9, 1)) }} as contract_weeks,
        {{ list_map('absat30sept', 'a', to_integer('a')) }} as absent_at_30_sept,
        {{ code_text_each('reason_absence', 'r') }} as absence_reasons,
        {{ list_map('cfkss_status', 's', to_integer('s')) }} as cfkss_statuses,
        {{ to_decimal('base_salary', 12, 2) }} as base_salary,
        {{ to_decimal('rr_payments', 12, 2) }} as rr_payments,
        {{ to_decimal('other_payments', 12, 2) }} as other_payments,
        {{ built_in_run() }} as built_in_run
    from source
)

select * from pseudonymised
