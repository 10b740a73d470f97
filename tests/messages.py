"""Assertions on evalkit's error messages, shared by the test modules."""

from __future__ import annotations

import re

import pytest

from evalkit.errors import ParameterError


def raises(message: str):
    """pytest.raises for a ParameterError whose whole message is ``message``."""
    return pytest.raises(ParameterError, match="^" + re.escape(message) + "$")
