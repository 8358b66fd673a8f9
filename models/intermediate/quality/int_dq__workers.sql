-- One worker record of an accepted return with the facts the quality rules
-- need: census-year dates, LA-employed / in-post flags and absence facts.
-- Works on the typed staging values, so it also sees out-of-range values.
with

workers as (
    select * from {{ ref('stg_csww__workers') }}
),

derived as (
    select
        file_id,
        la_code,
        census_year,
        layout_version,
        record_number,
        swe_number_hash,
        swe_number_form,
        birth_date_form,
        age_at_census,
        agency_worker,
        org_role,
        role_start_date,
        role_end_date,
        fte30,
        cases30,
        working_days_lost,
        -- The census flags of macros/census_flags.sql, shared with
        -- int_csww__worker_census, over the typed staging values (not the
        -- conformed ones, which null out-of-range values the rules report).
        {{ census_year_start('census_year') }} as census_year_start,
        {{ census_year_end('census_year') }} as reference_date,
        -- A record without a readable AgencyWorker is held to the stricter
        -- LA-employed rules.
        {{ is_la_employed('agency_worker') }} as is_la_employed,
        {{ is_in_post('role_end_date', 'census_year') }} as is_in_post,
        coalesce({{ list_has('absent_at_30_sept', '1') }}, false) as is_absent_at_30_sept,
        coalesce({{ list_length(list_where('absence_reasons', 'r', "coalesce(r, '') <> ''")) }}, 0)
            as absence_reason_count,
        built_in_run
    from workers
)

select * from derived
