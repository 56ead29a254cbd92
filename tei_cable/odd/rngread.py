"""Deprecated: moved to :mod:`tei_cable.relaxng.read` (importing it from here warns)."""

from .._moved import moved

__getattr__ = moved(__name__, "tei_cable.relaxng.read")
