"""test_workgroup.py — placeholder until this part of issue 10 is written."""

GROUPS = []
