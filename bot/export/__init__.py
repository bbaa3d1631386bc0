"""Exports of the question bank and a user's progress to other study tools (pure, sync)."""
