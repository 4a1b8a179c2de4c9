"""Importers: a τ-bench retail store, a CSV/JSON Lines catalog, interaction sequences.

Each import reads and checks its whole input first, then writes in one transaction: bad input
raises an `InputError` naming the file, line and field, and nothing is written.
"""

from tools.importers.catalog import import_catalog
from tools.importers.report import ImportReport, Progress
from tools.importers.sequences import import_sequences
from tools.importers.taubench import import_taubench

__all__ = ["ImportReport", "Progress", "import_catalog", "import_sequences", "import_taubench"]
