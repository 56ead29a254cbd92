"""Deprecated: moved to :mod:`tei_cable.schemas` (importing it from here warns)."""

from .._moved import moved

__getattr__ = moved(__name__, "tei_cable.schemas")
