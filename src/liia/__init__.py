"""LIIA Children's Social Work Workforce (CSWW) census pipeline."""

__version__ = "0.1.0"
