"""The London workforce report: a static site built only from the suppressed extracts.

``liia report`` (and ``liia run``, after the analyst export) writes
``exports/report/``: ``index.html`` and one page per theme, inline SVG charts
each with its table beside it. Inputs: the aggregated extracts in
``exports/analyst/`` and DfE's published figures (public). See
``liia.report.build``.
"""
