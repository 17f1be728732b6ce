"""test_vault_verify.py — bundles and `vigie verify` (issue 11): placeholder."""

GROUPS = []
