"""The schedule: subscriptions, the daily post, the reveal and the weekly report, exactly once."""
