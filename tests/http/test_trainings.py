"""test_trainings.py — being written."""
GROUPS = []
