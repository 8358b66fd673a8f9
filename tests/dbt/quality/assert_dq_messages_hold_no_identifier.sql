-- A finding's message may quote a bad code but never anything shaped like a
-- SWE number (two letters then four or more digits), a numeric date
-- (yyyy-mm-dd, dd/mm/yyyy, dd.mm.yy ...) or a 64-hex pseudonym. The findings
-- withhold such values through the quotable_value macro, so this only fails
-- if a rule quotes a value without it.
select
    finding_id,
    rule_id
from {{ ref('fct_dq_findings') }}
where
    regexp_matches(message, '(?i)\b[a-z]{2}[0-9]{4,}\b')
    or regexp_matches(message, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}')
    or regexp_matches(message, '\b[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}\b')
    or regexp_matches(message, '(?i)[0-9a-f]{64}')
