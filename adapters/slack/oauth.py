"""Many workspaces: the optional OAuth install flow, with slack-sdk's SQLAlchemy installation and state
stores on the bot's own database. Their tables come in through an Alembic migration like every other."""

from __future__ import annotations

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.messenger import TokenLookup

BOT_SCOPES = ("commands", "chat:write", "chat:write.public", "files:write", "users:read")
STATE_SECONDS = 600


def oauth_metadata() -> MetaData:
    """The stores' tables, as slack-sdk defines them (for migrations and the schema test)."""
    metadata = MetaData()
    AsyncSQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots")
    AsyncSQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations")
    AsyncSQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")
    return metadata


def installation_store(client_id: str, engine: AsyncEngine) -> AsyncSQLAlchemyInstallationStore:
    return AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine)


def token_lookup(store: AsyncSQLAlchemyInstallationStore) -> TokenLookup:
    """Each workspace's bot token, from the installations (what SlackMessenger posts with)."""

    async def bot_token(team: str) -> str | None:
        bot = await store.async_find_bot(enterprise_id=None, team_id=team)
        return bot.bot_token if bot is not None else None

    return bot_token


def oauth_settings(client_id: str, client_secret: str, engine: AsyncEngine) -> AsyncOAuthSettings:
    """/slack/install shows the 'Add to Slack' link; /slack/oauth_redirect stores the installation."""
    return AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=installation_store(client_id, engine),
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
    )
