-- One code of one CSWW code set (DfE item codes and their labels).

with

codes as (
    select * from {{ ref('csww_code_sets') }}
),

final as (
    select
        code_set || ':' || code as csww_code_key,
        code_set,
        code,
        label
    from codes
)

select * from final
