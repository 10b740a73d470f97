"""Worded conclusions, one module per level, in both languages."""
