"""Streaks and reports: pure functions of answer rows (the storage layer feeds them)."""
