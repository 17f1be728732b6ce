"""test_newsletter.py — placeholder until the newsletter part of issue 9 is written."""

GROUPS = []
