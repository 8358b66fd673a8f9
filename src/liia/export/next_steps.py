"""What a borough data officer should do about each quality rule's findings.

One line per rule of seeds/dq_rules.csv, shown under the rule in the pack's
report and in report.xlsx. A rule added to the seed without a line here gets
the line of its category, so no rule is ever shown without one.
"""

from __future__ import annotations

from liia.indicator_catalogue import catalogue

# A working year: the days per FTE of the absence rate (the indicator catalogue).
_DAYS_PER_FTE = catalogue().days_per_fte

NEXT_STEPS = {
    "FMT_REQUIRED": (
        "Add the missing item to each record listed in your system, then resend the return."
    ),
    "FMT_SWE_INVALID": "Correct the SWE number from Social Work England's register and resend.",
    "FMT_SWE_NORMALISED": (
        "Nothing to resend; store SWE numbers without spaces, in capitals, next time."
    ),
    "FMT_BIRTH_DATE": "Correct the birth date (YYYY-MM-DD) in your HR system and resend.",
    "FMT_TYPE": "Replace the text in the numeric item with a number and resend.",
    "FMT_CODE": "Use a code from DfE's code list for the item (see the CSWW guide) and resend.",
    "FMT_RANGE": (
        "Check the value (FTE 0 to 1, no negative counts) against your records and resend."
    ),
    "FMT_DECIMALS": (
        "Give the value with no more decimal places than DfE allows; it is not used until resent."
    ),
    "FMT_DATE": "Correct the date (YYYY-MM-DD) and resend.",
    "FMT_REFERENCE_DATE": (
        "Check this is the right year's return; resend it with ReferenceDate 30 September."
    ),
    "FMT_IDENTIFIER_IN_TEXT": "Take the SWE number or birth date out of the free text and resend.",
    "FMT_LOAD": "Check the part of the file named; the rest was loaded, resend if it held data.",
    "CMP_MANDATORY": (
        "Fill in the mandatory item for the records listed, or record why it is unknown."
    ),
    "CMP_LA_LEVEL": "Complete the LA-level items (vacancies, agency FTE and headcount) and resend.",
    "PAIR_START": (
        "Give RoleStartDate and StartOrigin together, or neither, for each record listed."
    ),
    "PAIR_LEAVER": "Give RoleEndDate, ReasonLeave and LeaverDestination together for each leaver.",
    "LOG_END_BEFORE_START": "Check both role dates in your HR system; one of them is wrong.",
    "LOG_END_OUTSIDE_YEAR": "Check the end date: a leaver belongs to the census year they left in.",
    "LOG_START_AFTER_REFERENCE": (
        "Remove the worker if they started after 30 September, or fix the date."
    ),
    "LOG_LEAVER_FTE30": "Set FTE30 to 0 for a worker who had left by 30 September.",
    "LOG_AGE_RANGE": "Check the birth date: an age under 18 or over 80 is usually a typing error.",
    "LOG_CASES_NO_CASE_ROLE": "Check the OrgRole or the case count: one of them is out of date.",
    "LOG_ABSENT_NO_REASON": "Add the ReasonAbsence for each absent worker listed.",
    "LOG_DAYS_LOST_HIGH": (
        f"Check the working days lost: more than {_DAYS_PER_FTE} is more than a working year."
    ),
    "LOG_DUPLICATE_SWE": (
        "Merge or remove the duplicate records (each pair is listed once) and resend."
    ),
    "LOG_AGENCY_COVER": "Check NoAgencyFTE against the agency workers in post at 30 September.",
}
BY_CATEGORY = {
    "format": "Correct the value in your system so it matches DfE's specification, and resend.",
    "completeness": "Fill in the missing item and resend.",
    "pair": "Give the items of the pair together, or neither, and resend.",
    "logic": "Check the values against your records; one of them is wrong.",
}
DEFAULT = "Check the records listed against your HR system."


def next_step(rule_id: str, category: str | None = None) -> str:
    """The one line telling an officer what to do about a rule's findings."""
    return NEXT_STEPS.get(rule_id) or BY_CATEGORY.get(category or "", DEFAULT)
