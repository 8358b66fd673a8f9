{#- The CSWW worker items landed as columns of landing.csww.workers, in DfE
    schema order, and whether each may repeat (landed as varchar[]). Must match
    liia.csww_schema.ALL_WORKER_ITEMS / REPEATED_WORKER_ITEMS (a Python test
    checks it); personal items are the ones staging never publishes raw. -#}
{% macro csww_worker_items() -%}
    {{ return([
        {'name': 'AgencyWorker', 'repeated': false, 'personal': false},
        {'name': 'SWENo', 'repeated': false, 'personal': true},
        {'name': 'FTE', 'repeated': false, 'personal': false},
        {'name': 'PersonBirthDate', 'repeated': false, 'personal': true},
        {'name': 'GenderCurrent', 'repeated': false, 'personal': false},
        {'name': 'Ethnicity', 'repeated': false, 'personal': false},
        {'name': 'QualInst', 'repeated': true, 'personal': false},
        {'name': 'QualLevel', 'repeated': false, 'personal': false},
        {'name': 'StepUpGrad', 'repeated': false, 'personal': false},
        {'name': 'OrgRole', 'repeated': false, 'personal': false},
        {'name': 'RoleStartDate', 'repeated': false, 'personal': false},
        {'name': 'StartOrigin', 'repeated': false, 'personal': false},
        {'name': 'RoleEndDate', 'repeated': false, 'personal': false},
        {'name': 'LeaverDestination', 'repeated': false, 'personal': false},
        {'name': 'ReasonLeave', 'repeated': false, 'personal': false},
        {'name': 'FTE30', 'repeated': false, 'personal': false},
        {'name': 'Cases30', 'repeated': false, 'personal': false},
        {'name': 'WorkingDaysLost', 'repeated': false, 'personal': false},
        {'name': 'ContractWeeks', 'repeated': true, 'personal': false},
        {'name': 'FrontlineGrad', 'repeated': false, 'personal': false},
        {'name': 'Absat30Sept', 'repeated': true, 'personal': false},
        {'name': 'ReasonAbsence', 'repeated': true, 'personal': false},
        {'name': 'CFKSSstatus', 'repeated': true, 'personal': false},
        {'name': 'Sex', 'repeated': false, 'personal': false},
        {'name': 'BaseSalary', 'repeated': false, 'personal': false},
        {'name': 'RRPayments', 'repeated': false, 'personal': false},
        {'name': 'OtherPayments', 'repeated': false, 'personal': false},
    ]) }}
{%- endmacro %}
