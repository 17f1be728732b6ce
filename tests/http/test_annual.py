"""test_annual.py — placeholder until the annual part of issue 9 is written."""

GROUPS = []
