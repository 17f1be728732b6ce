"""test_detect.py — placeholder until this part of issue 10 is written."""

GROUPS = []
