"""Text embeddings (all-MiniLM-L6-v2, offline) and their on-disk cache."""

from tools.embeddings.cache import cached_embeddings, texts_fingerprint
from tools.embeddings.encoder import DIMENSION, MODEL_ID, TextEncoder, Vectors, shared_encoder

__all__ = [
    "DIMENSION",
    "MODEL_ID",
    "TextEncoder",
    "Vectors",
    "cached_embeddings",
    "shared_encoder",
    "texts_fingerprint",
]
