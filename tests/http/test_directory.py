"""test_directory.py — being written."""
GROUPS = []
