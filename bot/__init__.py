"""dop-bot core: parsed notes, search, quiz engine, streaks and reports. Platform-neutral."""
