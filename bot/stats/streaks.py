"""Streaks count consecutive question days, not calendar days: a weekend or a paused day without a
question never breaks one. A post still open today does not break a streak until it closes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Streaks:
    current: int = 0
    longest: int = 0
    current_correct: int = 0
    longest_correct: int = 0


@dataclass(frozen=True)
class DayOutcome:
    """What one user did with one question day: answered or not, and rightly or not."""

    answered: bool
    correct: bool = False


def advance(state: Streaks, day: DayOutcome) -> Streaks:
    """The streaks after one more closed question day."""
    current = state.current + 1 if day.answered else 0
    current_correct = state.current_correct + 1 if day.answered and day.correct else 0
    return Streaks(
        current=current,
        longest=max(state.longest, current),
        current_correct=current_correct,
        longest_correct=max(state.longest_correct, current_correct),
    )


def with_open_day(state: Streaks, open_day: DayOutcome | None) -> Streaks:
    """What to show while today's question is still open: an answer already counts, no answer
    yet costs nothing."""
    if open_day is None or not open_day.answered:
        return state
    return advance(state, open_day)
