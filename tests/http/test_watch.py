"""test_watch.py — placeholder until the watch part of issue 9 is written."""

GROUPS = []
