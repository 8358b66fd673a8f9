-- (Not in a folder named fixtures: dbt reads that one as unit-test fixtures.)
-- A deliberately failing check on an extract, off unless a test sets
-- LIIA_TEST_FAIL_EXTRACT_CHECK=true: it stands for a suppression defect that one
-- borough's data exposes, so the tests can show the borough packs still go out
-- while the extracts are withheld (src/liia/warehouse_build.py).
{{ config(enabled=env_var('LIIA_TEST_FAIL_EXTRACT_CHECK', 'false') == 'true') }}

select
    la_code,
    census_year
from {{ ref('ext_turnover') }}
