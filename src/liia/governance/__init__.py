"""Governance: six-year destruction, the register of data assets, the audit log.

- :mod:`liia.governance.audit_log`: the append-only audit log (landing table
  ``csww.audit_log`` and ``$LIIA_HOME/audit/audit.jsonl``), hash-chained;
- :mod:`liia.governance.run_audit`: the events of one command or ``liia run``;
- :mod:`liia.governance.schedule`: which census years are due for destruction, and when;
- :mod:`liia.governance.clean_rewrite`: deleting rows from a DuckDB file so that
  their bytes are gone from it (rewrite into a fresh file);
- :mod:`liia.governance.retention_plan` / :mod:`liia.governance.retention`:
  ``liia retention``: what would go, and destroying it everywhere;
- :mod:`liia.governance.asset_register`: the register of every dataset held.
"""
