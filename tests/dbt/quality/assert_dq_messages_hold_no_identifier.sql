-- A finding's message may quote a bad code but never anything shaped like a
-- SWE number (two letters then four or more digits).
select
    finding_id,
    rule_id
from {{ ref('fct_dq_findings') }}
where regexp_matches(message, '(?i)\b[a-z]{2}[0-9]{4,}\b')
