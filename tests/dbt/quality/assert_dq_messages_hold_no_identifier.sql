-- A finding's message may quote a bad code but never anything shaped like an
-- identifier under the project's one rule (liia.privacy.identifier_rule, the
-- message patterns: a SWE number in any spelling the normaliser folds, a
-- numeric date, a long digit run, a hex run; dates with a month name are
-- allowed because messages give the census date in words). Values are quoted
-- through quotable_value and load-error messages are redacted in staging
-- under the same rule, so this only fails if a rule quotes a value without it.
select
    finding_id,
    rule_id
from {{ ref('fct_dq_findings') }}
where {{ message_holds_identifier('message') }}
