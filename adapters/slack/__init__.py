"""The Slack adapter: slack-bolt AsyncApp in HTTP or Socket Mode, Block Kit rendering, the Messenger."""
