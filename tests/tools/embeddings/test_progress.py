from __future__ import annotations

import logging

import pytest

from tools.embeddings import EncodingProgress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_lines_show_a_bar_the_rate_and_the_time_left() -> None:
    clock, lines = Clock(), list[str]()
    progress = EncodingProgress(lines.append, label="embedding", clock=clock)
    progress(0, 1000)
    clock.now += 2.0
    progress(500, 1000)
    assert lines[-1] == (
        "embedding ━━━━━━━━━━━━──────────── 500/1,000 texts · 250 texts/s · 2s left"
    )
    clock.now += 2.0
    progress(1000, 1000)
    assert lines[-1] == "embedding ━━━━━━━━━━━━━━━━━━━━━━━━ 1,000/1,000 texts · 250 texts/s"
    assert progress.summary() == {"encoded_texts": 1000, "encode_s": 4.0, "texts_per_s": 250.0}


def test_without_a_reporter_lines_are_logged_now_and_then(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    progress = EncodingProgress(every_s=10.0, clock=clock)
    with caplog.at_level(logging.INFO, logger="tools.embeddings.progress"):
        for done in range(0, 101, 5):
            clock.now += 1.0
            progress(done, 100)
    assert len(caplog.records) == 3  # the first, one ten seconds later, and the last
    assert caplog.records[-1].getMessage().startswith("embedding ━")


def test_nothing_encoded_reads_as_zero() -> None:
    assert EncodingProgress().summary() == {"encoded_texts": 0, "encode_s": 0.0, "texts_per_s": 0.0}
