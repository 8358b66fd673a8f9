-- Quality scores lie between 0 and 100, and so do completeness and validity.
select
    'quality_score' as measure,
    la_code,
    census_year,
    cast(quality_score as double) as measure_value
from {{ ref('fct_dq_quality_score') }}
where quality_score not between 0 and 100
union all
select
    'item ' || item_name as measure,
    la_code,
    census_year,
    cast(greatest(completeness_pct, validity_pct, mandatory_completeness_pct) as double) as measure_value
from {{ ref('fct_dq_item_completeness') }}
where
    completeness_pct not between 0 and 100
    or validity_pct not between 0 and 100
    or mandatory_completeness_pct not between 0 and 100
    or records_valid > records_present
    or records_present > records
