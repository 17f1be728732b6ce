"""test_vault.py — the evidence vault (issue 11): placeholder."""

GROUPS = []
