"""Proof that no raw identifier left landing: the privacy scan of LIIA_HOME."""

from liia.privacy.scanner import Hit, ScanReport, scan_home

__all__ = ["Hit", "ScanReport", "scan_home"]
