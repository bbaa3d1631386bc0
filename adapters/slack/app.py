"""slack-bolt AsyncApp: one `/dop` command, answer buttons, share, App Home. Translate → dispatch →
render; every request is acked first, then answered through response_url or the Web API."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import (
    CHOICE_ACTION,
    FLAG_ACTION,
    PICK_ACTION,
    PICKS_BLOCK,
    SHARE_ACTION,
    SUBMIT_ACTION,
    fallback_text,
    render,
)
from adapters.slack.flags import FLAG_VIEW, FlagContext, flag_modal, reason_of
from adapters.slack.payload import Field, id_at, on_error, requires, selected_values, text_at
from bot.bootstrap import Core
from bot.dispatcher import Requester
from bot.replies import Reply, ReplyKind, with_picks
from bot.usecases.lookup import share_reply
from bot.usecases.schedule import changes_schedule

log = logging.getLogger(__name__)
PLATFORM = "slack"
_CHOICE_PATTERN = re.compile("^" + CHOICE_ACTION.replace("{index}", r"\d+") + "$")
# What each listener reads without a fallback; a payload without it gets 400 before the listener runs.
_USER, _CHANNEL = Field(("user", "id"), "id"), Field(("channel", "id"), "id")
_VALUE, _ACTION_TS = Field(("actions", 0, "value")), Field(("actions", 0, "action_ts"), "id")
_ANSWER_TO = Field(("response_url",), "url")
_NAME = 200  # the longest display name the database keeps


@dataclass
class SlackConfig:
    """Single-workspace token mode (bot_token), or the OAuth install flow (client_id + client_secret)."""

    bot_token: str | None = field(repr=False)
    signing_secret: str = field(repr=False)
    api_url: str | None = None
    admins: frozenset[str] = frozenset()  # user ids allowed to manage schedules besides workspace admins
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)

    @property
    def oauth(self) -> bool:
        return bool(self.client_id and self.client_secret)


def web_client(config: SlackConfig) -> AsyncWebClient:
    token = None if config.oauth else config.bot_token  # with OAuth each workspace brings its own
    client = AsyncWebClient(token=token, base_url=config.api_url or AsyncWebClient.BASE_URL)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))  # honours Retry-After
    return client


async def _can_manage(client: AsyncWebClient, user_id: str, config: SlackConfig) -> bool:
    if user_id in config.admins:
        return True
    try:
        info = await client.users_info(user=user_id)
    except Exception:  # the platform's verdict is unknown: the safe answer is no
        log.warning("users.info failed for %s; treating as not an admin", user_id)
        return False
    user = info.get("user") or {}
    return bool(user.get("is_admin") or user.get("is_owner"))


def _reply_payload(reply: Reply, share_label: str | None) -> dict[str, Any]:
    return {
        "blocks": render(reply, share_label=share_label),
        "text": fallback_text(reply),
        "response_type": "ephemeral" if reply.private else "in_channel",
    }


def _interacting(body: dict[str, Any], channel_id: str | None) -> Requester:
    """Who clicked a button or submitted a modal, from the interaction payload."""
    return Requester(
        platform=PLATFORM,
        user_id=body["user"]["id"],
        channel_id=channel_id,
        display_name=text_at(body, "user", "username", limit=_NAME)
        or text_at(body, "user", "name", limit=_NAME),
        workspace_id=id_at(body, "team", "id") or "default",
    )


def build_app(core: Core, config: SlackConfig, client: AsyncWebClient | None = None) -> AsyncApp:
    """The Bolt app wired to the core's dispatcher; no network at build time."""
    client = client or web_client(config)
    if config.oauth and core.db is not None:
        # slack-sdk's OAuth stores load only in OAuth mode
        from adapters.slack.oauth import oauth_settings, outage_tolerant_authorize

        assert config.client_id is not None and config.client_secret is not None
        settings = oauth_settings(config.client_id, config.client_secret, core.db.engine)
        app = AsyncApp(
            client=client,
            signing_secret=config.signing_secret,
            oauth_settings=settings,
            # Bolt takes an AsyncAuthorize instance as it is (an isinstance check); its hint names functions.
            authorize=outage_tolerant_authorize(settings, log),  # type: ignore[arg-type]
            raise_error_for_unhandled_request=True,
        )
    else:
        app = AsyncApp(
            client=client, signing_secret=config.signing_secret, raise_error_for_unhandled_request=True
        )
    app.error(on_error)
    share_label = core.dispatcher.messages_for(Requester(PLATFORM, "-"))("reply.share")

    @app.command("/dop", middleware=[requires(Field(("user_id",), "id"), _ANSWER_TO)])
    async def dop(ack: Any, command: dict[str, Any], respond: Any, client: AsyncWebClient) -> None:
        await ack()  # within 3 s, before any work
        text = str(command.get("text") or "")
        # Only schedule changes need the admin check (a users.info call), so other commands stay fast.
        manage = await _can_manage(client, command["user_id"], config) if changes_schedule(text) else False
        requester = Requester(
            platform=PLATFORM,
            user_id=command["user_id"],
            channel_id=id_at(command, "channel_id"),
            display_name=text_at(command, "user_name", limit=_NAME),
            workspace_id=id_at(command, "team_id") or "default",
            can_manage=manage,
        )
        for reply in await core.dispatcher.handle(text, requester):
            if reply.attachment is not None and not reply.attachment.mime.startswith("image/"):
                reply = await send_file(client, requester, reply)
            await respond(**_reply_payload(reply, share_label))

    async def send_file(client: AsyncWebClient, requester: Requester, reply: Reply) -> Reply:
        """A file for the person alone (`/dop export`): an ephemeral message cannot carry one, so it goes
        to their DM with the bot, and the reply says so; if Slack refuses, the reply says that instead."""
        assert reply.attachment is not None
        messages = core.dispatcher.messages_for(requester)
        try:
            opened = await client.conversations_open(users=requester.user_id)
            await client.files_upload_v2(
                channel=opened["channel"]["id"],
                content=reply.attachment.data,
                filename=reply.attachment.filename,
                title=reply.attachment.filename,
            )
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            # Slack refused (a missing scope, a closed DM) or could not be reached: no bug of ours.
            cause = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
            log.warning(
                "could not send %s to the DM of %s: %s", reply.attachment.filename, requester.user_id, cause
            )
            return Reply(body=messages("slack.file_failed"), kind=ReplyKind.PROBLEM)
        except Exception as exc:  # our own bug: the log gets the traceback, the person an id to quote
            return core.dispatcher.apology(requester, exc, "slack file upload")
        return replace(reply, body=f"{reply.body}\n{messages('slack.file_in_dm')}", attachment=None)

    async def answer(body: dict[str, Any], action: dict[str, Any], value: str, respond: Any) -> None:
        """`/dop answer <value>` for the person who clicked; the feedback is theirs alone."""
        user = body["user"]["id"]
        requester = _interacting(body, id_at(body, "channel", "id"))
        # The event id makes a retried delivery of a click already handled get no second reply.
        event_id = f"{user}:{action['action_ts']}"
        for reply in await core.dispatcher.handle(f"/dop answer {value}", requester, event_id=event_id):
            payload = _reply_payload(reply, None)
            payload["response_type"] = "ephemeral"  # feedback goes to the one who clicked
            await respond(replace_original=False, **payload)

    clicked = requires(_USER, _ACTION_TS, _VALUE, _ANSWER_TO)

    @app.action({"action_id": _CHOICE_PATTERN}, middleware=[clicked])
    async def choice(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        await answer(body, action, action["value"], respond)

    @app.action(SUBMIT_ACTION, middleware=[clicked])
    async def submit(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        """A multiple-response answer: the ticked choices come with the click, in `state.values`."""
        await ack()
        ticked = selected_values(body, PICKS_BLOCK, PICK_ACTION)
        await answer(body, action, with_picks(action["value"], ticked), respond)

    @app.action(PICK_ACTION)
    async def tick(ack: Any) -> None:
        """A tick alone answers nothing (an input block sends none; this is in case one comes)."""
        await ack()

    @app.action(SHARE_ACTION, middleware=[requires(_USER, _VALUE, _CHANNEL)])
    async def share(ack: Any, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        messages = core.dispatcher.messages_for(Requester(PLATFORM, body["user"]["id"]))
        reply = share_reply(core.engine, messages, action["value"])
        if reply is None:
            return
        await client.chat_postMessage(
            channel=body["channel"]["id"], blocks=render(reply), text=fallback_text(reply)
        )

    @app.action(FLAG_ACTION, middleware=[requires(_USER, _VALUE, Field(("trigger_id",), "id"))])
    async def flag(ack: Any, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        context = FlagContext(
            action["value"], id_at(body, "channel", "id"), Field(("response_url",), "url").of(body)
        )
        messages = core.dispatcher.messages_for(Requester(PLATFORM, body["user"]["id"]))
        try:  # at once: the trigger_id is good for 3 seconds
            await client.views_open(trigger_id=body["trigger_id"], view=flag_modal(context, messages))
        except SlackApiError as exc:
            log.warning("views.open for a report failed: %s", exc.response.get("error"))

    @app.view(FLAG_VIEW, middleware=[requires(_USER, Field(("view", "private_metadata"), limit=3000))])
    async def flag_submitted(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()  # closes the modal; the thank-you follows
        context = FlagContext.load(view["private_metadata"])
        if context is None:
            return
        user = body["user"]["id"]
        requester = _interacting(body, context.channel_id)
        replies = await core.dispatcher.handle(
            f"/dop flag {context.question_id} {reason_of(view)}", requester
        )
        for reply in replies:
            payload = _reply_payload(reply, None)
            if context.response_url is not None:
                payload["response_type"] = "ephemeral"  # only the reporter sees the thank-you
                await AsyncRespond(response_url=context.response_url)(replace_original=False, **payload)
            elif context.channel_id is not None:
                await client.chat_postEphemeral(
                    channel=context.channel_id, user=user, blocks=payload["blocks"], text=payload["text"]
                )

    @app.event(
        "app_home_opened", middleware=[requires(Field(("event", "user"), "id"), Field(("event_id",), "id"))]
    )
    async def home(event: dict[str, Any], client: AsyncWebClient, body: dict[str, Any]) -> None:
        if core.stats is None:
            return
        requester = Requester(PLATFORM, event["user"], workspace_id=id_at(body, "team_id") or "default")
        # Through the dispatcher: a retried event gets nothing, a database outage the plain message.
        replies = await core.dispatcher.handle("stats", requester, event_id=str(body.get("event_id")))
        for reply in replies[:1]:
            await client.views_publish(user_id=event["user"], view={"type": "home", "blocks": render(reply)})

    return app
