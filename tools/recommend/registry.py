"""Every recommender implementation by kind, and loading a saved one without knowing its kind."""

from __future__ import annotations

from pathlib import Path

from tools.recommend.base import Recommender
from tools.recommend.content import ContentRecommender
from tools.recommend.cooccurrence import CooccurrenceRecommender
from tools.recommend.exceptions import ModelFileError
from tools.recommend.learned import EmbeddingRecommender
from tools.recommend.popularity import PopularityRecommender
from tools.recommend.storage import read_manifest
from tools.sequential.recommender import SequentialRecommender

RECOMMENDERS: dict[str, type[Recommender]] = {
    cls.kind: cls
    for cls in (
        PopularityRecommender,
        CooccurrenceRecommender,
        ContentRecommender,
        EmbeddingRecommender,
        SequentialRecommender,
    )
}


def load_recommender(directory: Path) -> Recommender:
    """The recommender saved in `directory`, whatever its kind."""
    kind = read_manifest(directory).get("kind")
    cls = RECOMMENDERS.get(str(kind))
    if cls is None:
        raise ModelFileError(directory, f"unknown recommender kind {kind!r}")
    return cls.load(directory)
