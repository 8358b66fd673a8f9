-- Findings are raised on each borough-year's current (accepted) return only,
-- and carry that return's borough and year.
select findings.finding_id
from {{ ref('fct_dq_findings') }} as findings
left join {{ ref('stg_csww__files') }} as files
    on findings.file_id = files.file_id
where
    files.file_id is null
    or files.status <> 'accepted'
    or files.la_code <> findings.la_code
    or files.census_year <> findings.census_year
