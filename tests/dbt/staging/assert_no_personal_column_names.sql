-- No table or view anywhere in the warehouse has a column named like a raw
-- identifier (SWE number, full date of birth).
-- depends_on: {{ ref('stg_csww__workers') }}
-- depends_on: {{ ref('stg_csww__worker_items') }}
select
    table_schema,
    table_name,
    column_name
from information_schema.columns
where
    table_catalog = current_database()
    and regexp_full_match(
        lower(column_name),
        '(swe_?no|swe_?number|swe_?num|person_?birth_?date|birth_?date|date_?of_?birth|dob)'
    )
