"""One BLAS thread for request-time scoring: on a small, shared machine a matrix-vector
product split across threads waits for cores and runs several times slower."""

from __future__ import annotations

import importlib
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _controller() -> Any:
    return importlib.import_module("threadpoolctl").ThreadpoolController()


def one_blas_thread() -> AbstractContextManager[Any]:
    """A context in which BLAS calls use a single thread."""
    limited: AbstractContextManager[Any] = _controller().limit(limits=1, user_api="blas")
    return limited
