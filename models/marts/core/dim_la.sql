-- One local authority: the London seed's 33, with sub-region and the borough
-- whose return each is counted in (Kingston 314 and Richmond 318 make one joint
-- return under 314, so 318 reports through 314), then any participating
-- authority of LIIA_AUTHORITIES_FILE the seed does not hold. Those have no
-- sub-region, so London's area rows (london_area_rows) leave them out.

with

las as (
    select * from {{ ref('london_las') }}
),

configured as (
    select * from {{ source('landing', 'participating_authorities') }}
),

london as (
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
),

elsewhere as (
    select
        configured.la_code,
        cast(null as string) as ons_code,
        configured.la_name,
        cast(null as string) as liia_code,
        cast(null as string) as region_code,
        configured.region as region_name,
        cast(null as string) as sub_region_code,
        cast(null as string) as sub_region,
        cast(null as string) as joint_return_with,
        configured.la_code as return_la_code,
        true as is_returning_la
    from configured
    where configured.la_code not in (select london.la_code from london)
),

final as (
    select * from london
    union all
    select * from elsewhere
)

select * from final
