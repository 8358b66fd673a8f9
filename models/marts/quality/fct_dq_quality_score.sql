-- One row per borough and census year (its accepted return): finding counts
-- and a quality score from 0 to 100.
--
-- quality_score = 100 x (1 - (E + 0.5 x W) / (N + 1)), to 1 dp, where N is the
-- number of worker records, E the number of records with at least one error
-- and W the number with warnings but no error; the LA-level record (and file-
-- level findings) counts as one more record, hence N + 1. A return without any
-- finding scores 100; one where every record has an error scores 0.
with

files as (
    select * from {{ ref('stg_csww__files') }}
    where status = 'accepted'
),

workers as (
    select
        file_id,
        count(*) as worker_records
    from {{ ref('int_dq__workers') }}
    group by file_id
),

findings as (
    select * from {{ ref('fct_dq_findings') }}
),

record_severity as (
    select
        file_id,
        record_number,
        bool_or(severity = 'error') as has_error
    from findings
    group by file_id, record_number
),

finding_counts as (
    select
        file_id,
        count(*) filter (where severity = 'error') as error_findings,
        count(*) filter (where severity = 'warning') as warning_findings
    from findings
    group by file_id
),

record_counts as (
    select
        file_id,
        count(*) filter (where record_number is not null and has_error) as records_with_errors,
        count(*) filter (where record_number is not null and not has_error) as records_with_warnings_only,
        count(*) filter (where record_number is null and has_error) as file_level_with_errors,
        count(*) filter (where record_number is null and not has_error) as file_level_with_warnings_only
    from record_severity
    group by file_id
),

scored as (
    select
        files.la_code,
        files.census_year,
        files.file_id,
        coalesce(workers.worker_records, 0) as worker_records,
        coalesce(finding_counts.error_findings, 0) as error_findings,
        coalesce(finding_counts.warning_findings, 0) as warning_findings,
        coalesce(record_counts.records_with_errors, 0) as records_with_errors,
        coalesce(record_counts.records_with_warnings_only, 0) as records_with_warnings_only,
        coalesce(record_counts.file_level_with_errors, 0) > 0 as has_file_level_errors,
        coalesce(record_counts.file_level_with_warnings_only, 0) > 0 as has_file_level_warnings_only
    from files
    left join workers on files.file_id = workers.file_id
    left join finding_counts on files.file_id = finding_counts.file_id
    left join record_counts on files.file_id = record_counts.file_id
),

final as (
    select
        cast(la_code as string) as la_code,
        cast(census_year as integer) as census_year,
        cast(file_id as integer) as file_id,
        cast(worker_records as integer) as worker_records,
        cast(error_findings as integer) as error_findings,
        cast(warning_findings as integer) as warning_findings,
        cast(records_with_errors as integer) as records_with_errors,
        cast(records_with_warnings_only as integer) as records_with_warnings_only,
        has_file_level_errors,
        has_file_level_warnings_only,
        cast(round(100.0 * (
            1.0 - (
                records_with_errors + cast(has_file_level_errors as integer)
                + 0.5 * (records_with_warnings_only + cast(has_file_level_warnings_only as integer))
            ) / (worker_records + 1)
        ), 1) as decimal(4, 1)) as quality_score
    from scored
)

select * from final
