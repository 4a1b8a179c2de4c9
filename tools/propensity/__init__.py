"""Session purchase propensity: features of a session, a boosted-tree model, and its training."""

from tools.propensity.dataset import SessionTable, load_sessions
from tools.propensity.events import (
    PageStats,
    page_stats_from_events,
    session_features_from_events,
)
from tools.propensity.features import FEATURE_NAMES, SessionFeatures, feature_matrix
from tools.propensity.model import (
    PropensityModel,
    load_model,
    predict_matrix,
    predict_proba,
    save_model,
)

__all__ = [
    "FEATURE_NAMES",
    "PageStats",
    "PropensityModel",
    "SessionFeatures",
    "SessionTable",
    "feature_matrix",
    "load_model",
    "load_sessions",
    "page_stats_from_events",
    "predict_matrix",
    "predict_proba",
    "save_model",
    "session_features_from_events",
]
