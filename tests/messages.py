"""Assertions on evalkit's error messages, shared by the test modules."""

from __future__ import annotations

import re

import pytest

from evalkit.errors import ParameterError


def raises(message: str):
    """pytest.raises for a ParameterError whose whole message is ``message``."""
    return pytest.raises(ParameterError, match="^" + re.escape(message) + "$")


def refuses_bad_ci_and_vcov(func: str, call) -> None:
    """``call(ci=...)`` and ``call(vcov=...)`` name ``func`` and the parameter."""
    for ci in (1.5, 0):
        with raises(f"{func}: parameter 'ci' must be a number in (0, 1), got {ci!r}"):
            call(ci=ci)
    with raises(f"{func}: parameter 'vcov' must be one of ('CR1', 'CR2'), got 'HC1'"):
        call(vcov="HC1")
