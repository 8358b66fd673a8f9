-- matches_item_pattern: the seed's patterns as constants give exactly what
-- matching the pattern column gives, for awkward values and for a pattern the
-- seed does not hold (the slow path).
-- depends_on: {{ ref('csww_item_formats') }}
with

cases as (
    select t.*
    from (
        values
        ('1.5', '-?[0-9]+(\.[0-9]+)?', true),
        ('-3', '-?[0-9]+(\.[0-9]+)?', true),
        ('1.5.2', '-?[0-9]+(\.[0-9]+)?', false),
        ('1.', '-?[0-9]+(\.[0-9]+)?', false),
        (' 1', '-?[0-9]+(\.[0-9]+)?', false),
        ('1e3', '-?[0-9]+(\.[0-9]+)?', false),
        ('12', '-?[0-9]+', true),
        ('1.0', '-?[0-9]+', false),
        ('١٢', '-?[0-9]+', false),
        ('2024-09-30', '[0-9]{4}-[0-9]{2}-[0-9]{2}', true),
        ('2024-9-30', '[0-9]{4}-[0-9]{2}-[0-9]{2}', false),
        ('x2024-09-30', '[0-9]{4}-[0-9]{2}-[0-9]{2}', false),
        ('', '-?[0-9]+', false),
        ('abc', '[a-c]+', true),
        ('abd', '[a-c]+', false)
    ) as t (item_value, pattern, expected)
)

select
    item_value,
    pattern,
    expected,
    {{ matches_item_pattern('item_value', 'pattern') }} as actual
from cases
where actual is distinct from expected
