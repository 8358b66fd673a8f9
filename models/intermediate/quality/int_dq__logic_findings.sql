-- Logic findings: values that are each valid but contradict each other or the
-- census year (1 October Y-1 to 30 September Y).
with

workers as (
    select * from {{ ref('int_dq__workers') }}
),

-- Agency FTE in post and NoAgencyFTE exactly as the indicators count them
-- (agency_cover_rate_fte = agency_cover_fte / agency_fte), one row per
-- accepted return.
base_figures as (
    select * from {{ ref('int_csww__la_year_base_figures') }}
),

duplicates as (
    select
        file_id,
        swe_number_hash,
        count(*) as records,
        {{ ordered_string_agg('cast(record_number as string)', ', ', 'record_number') }} as record_numbers
    from workers
    where is_la_employed and swe_number_hash is not null
    group by file_id, swe_number_hash
    having count(*) > 1
),

worker_rules as (
    select
        {{ dq_finding(
            rule_id="'LOG_END_BEFORE_START'",
            item="'RoleEndDate'",
            message="'RoleEndDate is before RoleStartDate'"
        ) }}
    from workers
    where role_end_date < role_start_date
    union all
    select
        {{ dq_finding(
            rule_id="'LOG_END_OUTSIDE_YEAR'",
            item="'RoleEndDate'",
            message="'RoleEndDate is '
                || case when role_end_date < census_year_start then 'before' else 'after' end
                || ' the census year (1 October ' || cast(census_year - 1 as string)
                || ' to 30 September ' || cast(census_year as string) || ')'"
        ) }}
    from workers
    where role_end_date < census_year_start or role_end_date > reference_date
    union all
    select
        {{ dq_finding(
            rule_id="'LOG_START_AFTER_REFERENCE'",
            item="'RoleStartDate'",
            message="'RoleStartDate is after the census date (30 September ' || cast(census_year as string) || ')'"
        ) }}
    from workers
    where role_start_date > reference_date
    union all
    select
        {{ dq_finding(
            rule_id="'LOG_LEAVER_FTE30'",
            item="'FTE30'",
            message="'The worker left on or before 30 September but FTE30 is ' || cast(fte30 as string)
                || ' (a leaver should have no FTE in post at 30 September)'"
        ) }}
    from workers
    where not is_in_post and fte30 > 0
    union all
    select
        {{ dq_finding(
            rule_id="'LOG_AGE_RANGE'",
            item="'PersonBirthDate'",
            message=text_literal("The worker's age at 30 September is ") ~ "
                || case when age_at_census < 18 then 'under 18' else 'over 80' end
                || ': please check the birth date'"
        ) }}
    from workers
    where age_at_census < 18 or age_at_census > 80
    union all
    select
        {{ dq_finding(
            rule_id="'LOG_CASES_NO_CASE_ROLE'",
            item="'Cases30'",
            message=text_literal("The worker is 'qualified without cases' (OrgRole 6) but holds ") ~ "
                || cast(cases30 as string) || ' cases at 30 September'"
        ) }}
    from workers
    where org_role = 6 and cases30 > 0
    union all
    select
        {{ dq_finding(
            rule_id="'LOG_ABSENT_NO_REASON'",
            item="'ReasonAbsence'",
            message="'The worker was absent at 30 September (Absat30Sept 1) but no ReasonAbsence is given'"
        ) }}
    from workers
    where is_absent_at_30_sept and absence_reason_count = 0
    union all
    select
        {{ dq_finding(
            rule_id="'LOG_DAYS_LOST_HIGH'",
            item="'WorkingDaysLost'",
            message="'WorkingDaysLost ' || cast(working_days_lost as string)
                || ' is above " ~ days_per_fte() ~ ", more than a full working year'"
        ) }}
    from workers
    -- A working year: the catalogue's days per FTE (dbt_project.yml vars).
    where working_days_lost > {{ days_per_fte() }}
    union all
    select
        {{ dq_finding(
            relation='workers',
            rule_id="'LOG_DUPLICATE_SWE'",
            item="'SWENo'",
            message="'The same SWE number is on ' || cast(duplicates.records as string)
                || ' LA-employed worker records of this return (records '
                || duplicates.record_numbers || ')'"
        ) }}
    from workers
    inner join duplicates
        on
            workers.file_id = duplicates.file_id
            and workers.swe_number_hash = duplicates.swe_number_hash
    where workers.is_la_employed
),

la_level_rules as (
    select
        {{ dq_finding(
            rule_id="'LOG_AGENCY_COVER'",
            item="'NoAgencyFTE'",
            record_number='null',
            message="'LA-level NoAgencyFTE ' || cast(cast(agency_cover_fte as decimal(18, 2)) as string)
                || ' is above the FTE of agency workers in post at 30 September ('
                || cast(agency_fte as string) || ')'"
        ) }}
    from base_figures
    where agency_cover_fte > agency_fte
),

findings as (
    select * from worker_rules
    union all
    select * from la_level_rules
)

select * from findings
