-- One worker record in one accepted return, pseudonymised (hashed SWE number,
-- month of birth), with its census flags, bands and links to the same
-- worker's previous and next returns.

with

census as (
    select * from {{ ref('int_csww__worker_census') }}
),

links as (
    select * from {{ ref('int_csww__worker_links') }}
),

return_roles as (
    -- The OrgRole a hash held in one return: its in-post record if it has one,
    -- else its latest-starting record (a role change leaves two records).
    select
        swe_number_hash,
        la_code,
        census_year,
        org_role
    from census
    where swe_number_hash is not null
    qualify row_number() over (
        partition by swe_number_hash, la_code, census_year
        order by is_in_post desc, role_start_date desc nulls last, record_number desc
    ) = 1
),

final as (
    select
        census.file_id,
        census.record_number,
        census.la_code,
        census.census_year,
        census.layout_version,
        census.reference_date,
        census.swe_number_hash,
        census.swe_number_form,
        census.birth_month,
        census.age_at_census,
        census.age_band,
        census.gender,
        census.gender_code,
        census.ethnicity,
        census.ethnic_group,
        census.agency_worker,
        census.is_agency,
        census.is_la_employed,
        census.is_in_post,
        census.is_starter,
        census.is_leaver,
        census.is_case_holder,
        census.fte,
        census.fte30,
        census.cases30,
        census.working_days_lost,
        census.qual_inst_count,
        census.qual_level,
        census.step_up_grad,
        census.frontline_grad,
        census.org_role,
        census.role_start_date,
        census.role_end_date,
        census.tenure_years,
        census.start_origin,
        census.leaver_destination,
        census.reason_leave,
        census.contract_weeks,
        census.absent_at_30_sept,
        census.absence_reasons,
        census.cfkss_statuses,
        census.base_salary,
        census.rr_payments,
        census.other_payments,
        links.previous_census_year,
        links.previous_la_code,
        links.next_census_year,
        links.next_la_code,
        links.years_since_previous,
        links.years_to_next,
        links.is_moved_from_other_borough,
        links.is_moved_to_other_borough,
        links.is_first_return,
        links.is_last_return,
        coalesce(census.start_origin = 2, false) as is_reported_from_other_la,
        coalesce(census.leaver_destination = 1, false) as is_reported_to_other_la,
        previous_roles.org_role as previous_org_role
    from census
    inner join links
        on
            census.file_id = links.file_id
            and census.record_number = links.record_number
    left join return_roles as previous_roles
        on
            census.swe_number_hash = previous_roles.swe_number_hash
            and links.previous_la_code = previous_roles.la_code
            and links.previous_census_year = previous_roles.census_year
)

select * from final
