"""Many workspaces: the optional OAuth install flow, with slack-sdk's SQLAlchemy installation and state
stores on the bot's own database. Their tables come in through an Alembic migration like every other."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.authorization.async_authorize import AsyncAuthorize, AsyncInstallationStoreAuthorize
from slack_bolt.authorization.authorize_result import AuthorizeResult
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import MetaData
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.messenger import TokenLookup

log = logging.getLogger(__name__)
AUTHORIZE_WAIT = 1.5  # seconds: Slack wants the request acknowledged within 3, after authorize has run
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


class OutageTolerantAuthorize(AsyncAuthorize):
    """Bolt's installation lookup, which runs before any listener, made to survive the database:
    when the store cannot answer within AUTHORIZE_WAIT, the request goes on without a token. The
    listener still acknowledges it and answers through `response_url` (which needs no token), so a
    lookup gets its normal reply and anything that needs the database the plain "try again"."""

    def __init__(self, inner: AsyncAuthorize, wait: float = AUTHORIZE_WAIT) -> None:
        self.inner = inner  # (AsyncAuthorize.__init__ sets nothing)
        self.wait = wait

    async def __call__(self, **request: Any) -> AuthorizeResult | None:
        try:
            async with asyncio.timeout(self.wait):
                result: AuthorizeResult | None = await self.inner(**request)
                return result
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            log.warning(
                "slack: installation lookup failed (%s); answering without a token", type(exc).__name__
            )
            return AuthorizeResult(
                enterprise_id=request.get("enterprise_id"),
                team_id=request.get("team_id"),
                user_id=request.get("user_id"),
            )


def outage_tolerant_authorize(
    settings: AsyncOAuthSettings, logger: logging.Logger
) -> OutageTolerantAuthorize:
    """What build_app hands Bolt as `authorize` in OAuth mode (beside the OAuth settings)."""
    assert settings.installation_store is not None
    inner = AsyncInstallationStoreAuthorize(
        logger=logger,
        installation_store=settings.installation_store,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
    )
    return OutageTolerantAuthorize(inner)
