"""Multiple-response questions for tests: a copy of the project's content with two of them added (no
curated question uses the format yet), and a way to make a core ask only them."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from bot.bootstrap import Core
from bot.config import Settings
from bot.quiz.bank import QuestionBank
from bot.quiz.model import Question

ROOT = Path(__file__).resolve().parents[1]
TWO = "test-multi-choose-two"  # answers 2 and 4 (indices 1, 3), each choice explained
THREE = "test-multi-choose-three"  # answers 1, 3 and 6 (indices 0, 2, 5), no explanations
RIGHT_TWO = (1, 3)

QUESTIONS = """
- id: test-multi-choose-two
  prompt: |-
    Auto Scalingグループで運用するWebアプリのスケールアウトを早めたい。アプリケーションは改修しない。
    有効な対応はどれか。2つ選択せよ。
  choices:
    - CloudWatch Logs Insights でアクセスログを集計し、手動でスケールアウトする
    - EC2インスタンスの詳細モニタリングを有効にする
    - CloudWatch Dashboard にCPU使用率のグラフを追加する
    - 1分間隔のメトリクスに基づくアラームでスケーリングポリシーを実行する
    - メトリクスを15ヶ月を超えて保持する
  answer: [1, 3]
  explanation: |-
    詳細モニタリングでメトリクスは1分間隔になり、そのメトリクスのアラームでスケールアウトを早く始められる。
  choice_explanations:
    - 人手を介すると開始はむしろ遅れる。
    - 5分間隔のメトリクスが1分間隔になる。
    - 可視化するだけでスケーリングは早まらない。
    - 1分間隔のメトリクスならアラームも早く鳴る。
    - 保存期間はスケーリングの速さと関係ない。
  notes: ["c524e0f24a34", "8829995a197a"]

- id: test-multi-choose-three
  prompt: |-
    EC2のメトリクスについて正しいものはどれか。3つ選択せよ。
  choices:
    - デフォルトは5分間隔である
    - デフォルトは10秒間隔である
    - 詳細モニタリングで1分間隔になる
    - 詳細モニタリングは Auto Scaling と併用できない
    - 詳細モニタリングは Lambda 関数にだけ使える
    - 間隔を短くするとスケールアウトを早く始められる
  answer: [0, 2, 5]
  explanation: |-
    デフォルトは5分間隔で、詳細モニタリングで1分間隔になり、スケールアウトを早められる。
  notes: ["c524e0f24a34", "8829995a197a"]
"""


def multiple_content(target: Path) -> Path:
    """The project's content copied to `target`, with the two multiple-response questions added."""
    shutil.copytree(ROOT / "content", target)
    (target / "questions" / "zz-test-multiple.yaml").write_text(QUESTIONS, encoding="utf-8")
    return target


@cache
def _folders() -> tuple[Path, Path]:
    """One content copy and one data folder (its snapshot) for the whole test run."""
    root = Path(tempfile.mkdtemp(prefix="dop-multiple-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return multiple_content(root / "content"), root / "data"


def multiple_settings(database_url: str) -> Settings:
    """Settings for a core on `database_url` whose content has the multiple-response questions."""
    content, data = _folders()
    return Settings(database_url=database_url, content_dir=content, data_dir=data)


def ask_only(core: Core, *question_ids: str) -> list[Question]:
    """Practice and the daily post (if scheduled) ask only these questions; answers still find every one."""
    questions = [q for q in core.bank.questions if q.id in question_ids]
    assert len(questions) == len(question_ids), "the multiple-response questions did not load"
    _narrow(core, questions)
    return questions


def single_answer_only(core: Core) -> Core:
    """Practice and the daily post ask only single-answer questions, for tests written around answer
    buttons; multiple-response ones are asked by the tests that use `ask_only` above."""
    _narrow(core, [q for q in core.bank.questions if len(q.answers) == 1])
    return core


def _narrow(core: Core, questions: list[Question]) -> None:
    """Practice and the daily post draw from `questions` alone; answers still find every question."""
    narrow = QuestionBank(tuple(questions))
    core.practice.bank = narrow
    if core.runner is not None:
        core.runner.jobs.bank = narrow
