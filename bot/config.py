"""Settings from the environment (pydantic-settings). Read when asked, never at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.environment import content_path, default_data_dir


class Settings(BaseSettings):
    """Everything the bot can be told from outside. Unset values fall back to sensible defaults."""

    model_config = SettingsConfigDict(env_prefix="DOP_", extra="ignore", env_file=None)

    locale: Literal["ja", "en"] = "ja"
    content_dir: Path | None = None
    data_dir: Path | None = None
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "DOP_DATABASE_URL")
    )
    log_level: str = "INFO"
    timezone: str = "Asia/Tokyo"  # for channels without a schedule of their own (the console)
    catch_up_minutes: int = 120  # after downtime, a post missed by less than this is sent late
    send_rate: float = 20.0  # scheduled messages per second across all channels

    # Platforms: tokens are secrets (never printed, never logged); each adapter runs only if configured.
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(default=None, validation_alias="SLACK_API_URL")
    slack_admins: str = Field(default="", validation_alias="SLACK_ADMIN_USERS")  # comma-separated user ids
    slack_client_id: str | None = Field(
        default=None, validation_alias="SLACK_CLIENT_ID"
    )  # OAuth: many workspaces
    slack_client_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_CLIENT_SECRET")
    port: int = Field(default=3000, validation_alias="PORT")
    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
    discord_application_id: int | None = Field(default=None, validation_alias="DISCORD_APPLICATION_ID")
    # Empty: one gateway connection. "auto": as many shards as Discord recommends. A number: that many.
    discord_shards: str = Field(default="", validation_alias="DISCORD_SHARDS")
    discord_guild_id: int | None = Field(default=None, validation_alias="DISCORD_GUILD_ID")  # sync target
    discord_api_url: str | None = Field(default=None, validation_alias="DISCORD_API_URL")  # a stand-in
    discord_gateway_url: str | None = Field(default=None, validation_alias="DISCORD_GATEWAY_URL")

    def content_path(self) -> Path:
        """DOP_CONTENT_DIR, else ./content when run from a checkout, else the project's own."""
        return content_path(self.content_dir)

    def data_path(self) -> Path:
        """Where local state lives: DOP_DATA_DIR or the platform's user data directory."""
        return self.data_dir if self.data_dir is not None else default_data_dir()

    def database(self) -> str:
        """DATABASE_URL, or a SQLite file under the data directory (no configuration needed)."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_path() / 'dop-bot.sqlite3'}"


def load_settings() -> Settings:
    """Read the environment now."""
    return Settings()
