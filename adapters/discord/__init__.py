"""The Discord adapter (discord.py 2.7): slash commands, buttons, embeds, the Messenger."""
