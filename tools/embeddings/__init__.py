"""Text embeddings (all-MiniLM-L6-v2, offline), the short product text they are computed from,
and their per-text cache on disk."""

from tools.embeddings.cache import CountProgress, EmbeddingCache, cached_embeddings, text_key
from tools.embeddings.encoder import DIMENSION, MODEL_ID, TextEncoder, Vectors, shared_encoder
from tools.embeddings.progress import EncodingProgress
from tools.embeddings.text import item_summary

__all__ = [
    "DIMENSION",
    "MODEL_ID",
    "CountProgress",
    "EmbeddingCache",
    "EncodingProgress",
    "TextEncoder",
    "Vectors",
    "cached_embeddings",
    "item_summary",
    "shared_encoder",
    "text_key",
]
