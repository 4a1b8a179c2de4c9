"""The deterministic demo-store generator: a believable catalog, stock, shoppers and histories.

`build_demo_store` writes a whole store (SQLite or PostgreSQL) from a `DemoSpec` (seed, sizes,
reference time) and the shoppers' hidden tastes to a separate truth file (format in
`tools.demo_store.truth`). Equal specs give byte-identical stores and truth files.
"""

from tools.demo_store.build import BuildResult, Progress, build_demo_store
from tools.demo_store.exceptions import (
    DemoStoreError,
    InvalidSpecError,
    StoreExistsError,
    TaxonomyError,
)
from tools.demo_store.spec import GENERATOR_VERSION, DemoSpec, catalog_version
from tools.demo_store.targets import ensure_buildable, store_exists
from tools.demo_store.truth import TRUTH_FILE_NAME, Truth, read_truth

__all__ = [
    "GENERATOR_VERSION",
    "TRUTH_FILE_NAME",
    "BuildResult",
    "DemoSpec",
    "DemoStoreError",
    "InvalidSpecError",
    "Progress",
    "StoreExistsError",
    "TaxonomyError",
    "Truth",
    "build_demo_store",
    "catalog_version",
    "ensure_buildable",
    "read_truth",
    "store_exists",
]
