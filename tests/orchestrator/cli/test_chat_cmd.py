"""`concierge chat` reads a conversation from standard input and streams the replies."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from config import Settings
from orchestrator.cli.app import app
from tests.orchestrator.demo import SHOPPER, rows


def _chat(settings: Settings, lines: str, *args: str) -> str:
    result = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(settings.data_dir),
            "--database-url",
            settings.resolved_database_url,
            "chat",
            *args,
        ],
        input=lines,
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_piped_conversation_gets_one_reply_per_line(demo_settings: Settings) -> None:
    out = _chat(
        demo_settings,
        "sneakers\n\nany deal on the second one?\n/quit\nnot read\n",
        "--shopper",
        SHOPPER,
        "--thread",
        "cli-test",
    )
    assert out.count("\n") >= 3 and "Sneakers" in out
    assert "$" in out.splitlines()[-1]
    threads = rows(demo_settings, "SELECT DISTINCT thread_id FROM executions")
    assert ("cli-test",) in threads


def test_a_guest_chat_starts_a_thread_of_its_own(demo_settings: Settings) -> None:
    out = _chat(demo_settings, "a gift for my sister\n")
    assert "sister" in out


def test_chat_without_a_store_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "chat"], input="hello\n")
    assert result.exit_code == 2
    assert "no store at" in result.output and "concierge init" in result.output
