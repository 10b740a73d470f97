"""Project-wide pytest configuration."""

# `python -m evalkit` runs the command line on import; doctest collection must skip it.
collect_ignore = ["evalkit/__main__.py"]
