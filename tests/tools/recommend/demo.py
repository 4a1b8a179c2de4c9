"""A small demo store on disk, and the recommend service over it with the stand-in encoder."""

from __future__ import annotations

from pathlib import Path

from tests.tools.recommend.fakes import fake_encode
from tools.demo_store import DemoSpec, build_demo_store
from tools.demo_store.truth import TRUTH_FILE_NAME
from tools.recommend import Encoder

REFERENCE = "2026-11-01T00:00:00+00:00"
FAKE = Encoder(encode=fake_encode, model_id="fake-bow")


def build_demo(directory: Path, *, skus: int = 1_500, shoppers: int = 300, seed: int = 7) -> Path:
    """Build `<directory>/concierge.db` (and its truth file); returns the directory."""
    build_demo_store(
        url=f"sqlite:///{directory / 'concierge.db'}",
        truth_path=directory / TRUTH_FILE_NAME,
        spec=DemoSpec(seed=seed, skus=skus, shoppers=shoppers),
    )
    return directory


def demo_url(directory: Path) -> str:
    """The SQLite URL of a demo store built by `build_demo`."""
    return f"sqlite:///{directory / 'concierge.db'}"
