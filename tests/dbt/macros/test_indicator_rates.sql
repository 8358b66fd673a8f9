-- indicator_rates: each rate from its catalogue formula (vars.dfe_indicators), a
-- zero or null denominator is null (never an error), a caller's compound expression
-- is bracketed, the bands include their lower bounds, and OrgRole seniority orders
-- senior manager above case holder. Returns every mismatch.
with

rates as (
    select t.*
    from (
        values
        -- numerator, base, turnover, agency, vacancy, caseload, absence
        (25.0, 100.0, 25.0, 20.0, 20.0, 0.25, 0.09881422924901186),
        (0.0, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0),
        (5.0, 0.0, null, 100.0, 100.0, null, null),
        (0.0, 0.0, null, null, null, null, null),
        (null, 10.0, null, null, null, null, null),
        (3.0, null, null, null, null, null, null)
    ) as t (numerator, base, turnover, agency, vacancy, caseload, absence)
),

rate_failures as (
    select
        'rate' as kind,
        cast(numerator as string) || ' / ' || cast(base as string) as input_value
    from rates
    where
        {{ turnover_rate('numerator', 'base') }} is distinct from turnover
        or {{ agency_rate('numerator', 'base') }} is distinct from agency
        or {{ vacancy_rate('numerator', 'base') }} is distinct from vacancy
        or {{ agency_cover_rate('numerator', 'base') }} is distinct from turnover
        or {{ vacancy_agency_cover_rate('numerator', 'base') }} is distinct from turnover
        or {{ caseload_rate('numerator', 'base') }} is distinct from caseload
        or abs({{ absence_rate('numerator', 'base') }} - absence) > 1e-12
        or ({{ absence_rate('numerator', 'base') }} is null) <> (absence is null)
        -- (base - 0) x 253, not base - 0 x 253
        or abs({{ absence_rate('numerator', 'base - 0') }} - absence) > 1e-12
        or {{ dfe_rate('agency_rate_fte', {'agency_fte': 'numerator', 'inpost_fte': 'base'}) }}
        is distinct from agency
        or {{ percent_of('numerator', 'base') }} is distinct from turnover
),

bands as (
    select t.*
    from (
        values
        (0.0, 'under 1'), (0.99, 'under 1'), (1.0, '1-2'), (1.99, '1-2'), (2.0, '2-5'),
        (4.99, '2-5'), (5.0, '5-10'), (9.99, '5-10'), (10.0, '10 and over'), (41.5, '10 and over'),
        (-0.5, 'not known'), (null, 'not known')
    ) as t (tenure_years, expected_band)
),

band_failures as (
    select
        'tenure_band' as kind,
        cast(tenure_years as string) as input_value
    from bands
    where {{ tenure_band('tenure_years') }} is distinct from expected_band
),

roles as (
    select t.*
    from (
        values (1, 5), (2, 4), (3, 3), (4, 2), (5, 1), (6, 1), (7, null), (0, null), (null, null)
    ) as t (org_role, expected_seniority)
),

role_failures as (
    select
        'org_role_seniority' as kind,
        cast(org_role as string) as input_value
    from roles
    where {{ org_role_seniority('org_role') }} is distinct from expected_seniority
),

key_failures as (
    select
        'headcount_person_key' as kind,
        'record without a hash' as input_value
    where
        {{ headcount_person_key("cast(null as string)", '7', '12') }} <> 'record 7/12'
        or {{ headcount_person_key("'abc'", '7', '12') }} <> 'abc'
)

select * from rate_failures
union all
select * from band_failures
union all
select * from role_failures
union all
select * from key_failures
