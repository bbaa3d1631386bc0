"""The use cases: one module per family of /dop subcommands, each turning a request into Reply values
over the layers below (notes, search, quiz, storage). The dispatcher and the adapters call them; they
never call an adapter.

- lookup: ask, topics, help, and the passage a share button posts
- practice: quiz, review, answer (personal practice, FSRS)
- daily: what a click on a channel's daily question does
- stats: stats and report (streaks, the weekly report, its chart)
- schedule: subscribe, unsubscribe, pause, resume, schedule
"""
