-- One London local authority (the seed's 33), with its sub-region and the
-- borough whose return it is counted in: Kingston (314) and Richmond (318)
-- make one joint return under 314, so 318 reports through 314.

with

las as (
    select * from {{ ref('london_las') }}
),

final as (
    select
        la_code,
        ons_code,
        la_name,
        liia_code,
        'E12000007' as region_code,
        'London' as region_name,
        case sub_region
            when 'Inner London' then 'E13000001'
            when 'Outer London' then 'E13000002'
        end as sub_region_code,
        sub_region,
        nullif(joint_return_with, '') as joint_return_with,
        case
            when nullif(joint_return_with, '') is not null
                then least(la_code, joint_return_with)
            else la_code
        end as return_la_code,
        (nullif(joint_return_with, '') is null or la_code < joint_return_with) as is_returning_la
    from las
)

select * from final
