"""Which service a named feature belongs to ('Capacity Provider Reservation' → ECS)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from bot.quiz.drafts import Draft, NotesView
from bot.quiz.model import QuestionKind
from bot.quiz.text import looks_like_label

_LATIN = re.compile(r"[A-Za-z]{2,}")
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_RELATION = ("との", "統合", "連携", "比較", "移行", "対応")


def feature_drafts(view: NotesView) -> Iterator[Draft]:
    labels = Counter(t.text for deck, s in view.services for t in view.facts(deck, s))
    for deck, service in view.services:
        for topic in view.facts(deck, service):
            label = topic.text
            if (
                labels[label] > 1
                or label in view.config.generic_labels
                or label in view.config.not_features
                or not looks_like_label(label)
                or not _LATIN.search(label)
                or _HIRAGANA.search(label)  # 'Lambdaの設定方法' describes a task, not a named feature
                or any(word in label for word in _RELATION)
                or view.mentions_service(label)  # names its own or another service: no question left
                or not view.facts(deck, topic)
            ):
                continue
            yield Draft(
                kind=QuestionKind.FEATURE,
                key="feature",
                deck=deck,
                source=topic,
                prompt=f"「{label}」はどのAWSサービスの機能・設定か。",
                answer=service.text,
                distractors=tuple(view.distractor_services(service.text)),
                choice_type="service",
            )
