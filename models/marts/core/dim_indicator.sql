-- One DfE workforce indicator of the catalogue (vars.dfe_indicators and days_per_fte
-- in dbt_project.yml; docs/methodology.md#indicators): its formula, DfE's precision and
-- whether DfE publishes it. Rendered from the catalogue the marts compute with, so
-- what a reviewer reads here is what fct_la_indicators does.

with

catalogue as (
    select t.*
    from (
        values
        {%- for entry in dfe_indicators() %}
            (
                '{{ entry.name }}',
                {{ loop.index }},
                {%- if 'numerator' in entry %}
                    'rate',
                    '{{ entry.numerator }}',
                    '{{ entry.denominator }}',
                    {{ entry.get('scale', 1) }},
                    '{{ dfe_formula(entry) }}',
                {%- else %}
                    'base_figure',
                    null,
                    null,
                    null,
                    null,
                {%- endif %}
                {{ entry.decimals }},
                {{ 'true' if entry.published else 'false' }}
            ){% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as t (
        indicator,
        indicator_order,
        indicator_type,
        numerator,
        denominator,
        scale,
        formula,
        decimals,
        is_published
    )
),

final as (
    select
        cast(indicator as string) as indicator,
        cast(indicator_order as integer) as indicator_order,
        cast(indicator_type as string) as indicator_type,
        cast(numerator as string) as numerator,
        cast(denominator as string) as denominator,
        cast(scale as integer) as scale,
        cast(formula as string) as formula,
        cast(decimals as integer) as decimals,
        cast(is_published as boolean) as is_published
    from catalogue
)

select * from final
