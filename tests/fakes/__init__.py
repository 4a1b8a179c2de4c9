"""Fakes of external services the tests run against (local, real protocols)."""
