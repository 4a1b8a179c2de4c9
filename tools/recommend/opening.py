"""Opening the engine over a store: training data from it, a fitted engine cached in the data
directory (refitted when products, events or a trained embedding model change), and the
text encoder that embeds the catalog."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from tools.profiles import all_events
from tools.recommend.catalog import load_catalog
from tools.recommend.data import TrainingData
from tools.recommend.engine import RecommendationEngine
from tools.recommend.exceptions import ModelFileError
from tools.recommend.fit import Encoder, EngineConfig, fit_engine
from tools.recommend.learned import EmbeddingRecommender
from tools.recommend.persist import load_engine, save_engine
from tools.store import Event, Product, Shopper

LEARNED_DIR = Path("models") / "embeddings"
ENGINE_DIR = Path("models") / "recommend"


def training_data(session: Session, *, before: datetime | None = None) -> TrainingData:
    """The whole store as training data: catalog, events (before a time) and loyalty tiers."""
    rows = session.connection().execute(select(col(Shopper.id), col(Shopper.loyalty_tier)))
    tiers = {str(shopper): str(tier) for shopper, tier in rows}
    return TrainingData(
        catalog=load_catalog(session),
        events=all_events(session, before=before),
        tiers=tiers,
    )


def store_fingerprint(session: Session, *, learned: Path | None = None) -> str:
    """Changes whenever products, events or a trained embedding model change."""
    events = (
        session.connection()
        .execute(select(func.count(), func.max(col(Event.id)), func.max(col(Event.occurred_at))))
        .one()
    )
    products = (
        session.connection()
        .execute(
            select(
                func.count(), func.sum(col(Product.list_price_cents)), func.max(col(Product.sku))
            )
        )
        .one()
    )
    hasher = hashlib.sha256(f"{tuple(events)}|{tuple(products)}".encode())
    manifest = None if learned is None else learned / "manifest.json"
    if manifest is not None and manifest.is_file():
        hasher.update(manifest.read_bytes())
    return hasher.hexdigest()[:16]


def open_engine(
    db: Engine,
    *,
    data_dir: Path,
    encoder: Encoder | None = None,
    config: EngineConfig = EngineConfig(),
) -> RecommendationEngine:
    """The engine fitted on the store: read from `data_dir` if fitted before, else fitted."""
    learned_dir = data_dir / LEARNED_DIR
    with Session(db) as session:
        key = store_fingerprint(session, learned=learned_dir)
        target = data_dir / ENGINE_DIR / f"{key}-{encoder.model_id if encoder else 'none'}"
        data = training_data(session)
    if (target / "manifest.json").is_file():
        try:
            return load_engine(target, catalog=data.catalog)
        except ModelFileError:
            pass
    learned = None
    if (learned_dir / "manifest.json").is_file():
        learned = EmbeddingRecommender.load(learned_dir)
    engine = fit_engine(data, config=config, encoder=encoder, learned=learned)
    save_engine(engine, target)
    return engine


def text_encoder(data_dir: Path) -> Encoder:
    """The all-MiniLM-L6-v2 encoder (loaded on first use) with its cache under `data_dir`."""
    from tools.embeddings import MODEL_ID, shared_encoder

    return Encoder(
        encode=shared_encoder().encode, model_id=MODEL_ID, cache_dir=data_dir / "embeddings"
    )
