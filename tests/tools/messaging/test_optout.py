from __future__ import annotations

import pytest

from tools.messaging import detect_opt_out


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop.",
        " Stop ",
        "UNSUBSCRIBE",
        "cancel",
        "End",
        "quit!",
        "STOPALL",
        "opt-out",
        "Opt out",
        "Please unsubscribe me",
        "stop texting me please",
        "Don't contact me again",
        "take me off your list",
        "Remove me from this list",
        "please stop",
    ],
)
def test_opt_out_requests_are_detected(text: str) -> None:
    assert detect_opt_out(text).opted_out


@pytest.mark.parametrize(
    "text",
    [
        "I can't stop buying this cream",
        "cancel my order",
        "when does the sale end?",
        "stop by the store",
        "",
        "Is it vegan?",
        "stopwatch",
        "the endless summer collection",
    ],
)
def test_ordinary_messages_are_not_opt_outs(text: str) -> None:
    assert not detect_opt_out(text).opted_out


def test_the_matched_words_are_reported() -> None:
    assert detect_opt_out("STOP").keyword == "stop"
    assert detect_opt_out("pls unsubscribe me").keyword == "unsubscribe"
