"""Semantic types (``types.py``) and assignability rules (``compat.py``)."""
