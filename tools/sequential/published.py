"""Published full-ranking results on Amazon Beauty under the same protocol (from
`../shared/data/README.md`), shown beside a run on that file only."""

from __future__ import annotations

from tools.sequential.data import SequenceData

BEAUTY_USERS, BEAUTY_ITEMS, BEAUTY_INTERACTIONS = 22_363, 12_101, 198_502
_KEYS = ("HR@5", "NDCG@5", "HR@10", "NDCG@10", "HR@20", "NDCG@20")
_ROWS: tuple[tuple[str, str, tuple[float | None, ...]], ...] = (
    ("PopRec", "S3-Rec repo all_rank.png", (0.0080, 0.0044, 0.0152, 0.0068, 0.0217, 0.0084)),
    ("GRU4Rec", "S3-Rec repo all_rank.png", (0.0164, 0.0099, 0.0283, 0.0137, 0.0479, 0.0187)),
    ("Caser", "S3-Rec repo all_rank.png", (0.0205, 0.0131, 0.0347, 0.0176, 0.0556, 0.0229)),
    ("BERT4Rec", "S3-Rec repo all_rank.png", (0.0203, 0.0124, 0.0347, 0.0170, 0.0599, 0.0233)),
    ("SASRec", "S3-Rec repo all_rank.png", (0.0387, 0.0249, 0.0605, 0.0318, 0.0902, 0.0394)),
    ("S3-Rec", "S3-Rec repo all_rank.png", (0.0387, 0.0244, 0.0647, 0.0327, 0.0994, 0.0414)),
    ("ICLRec", "salesforce/ICLRec README", (0.0500, 0.0326, 0.0744, 0.0403, 0.1058, 0.0483)),
    ("DuoRec", "FEARec paper (secondary)", (0.0546, 0.0352, 0.0845, 0.0443, None, None)),
)


def is_beauty(data: SequenceData) -> bool:
    """Whether the data is the Amazon Beauty 5-core file the published rows are for."""
    return (len(data.users), data.n_items, data.n_interactions) == (
        BEAUTY_USERS,
        BEAUTY_ITEMS,
        BEAUTY_INTERACTIONS,
    )


def published_rows() -> list[tuple[str, str, dict[str, float | None]]]:
    """(model, source, metrics) of every published row."""
    return [(name, source, dict(zip(_KEYS, values, strict=True))) for name, source, values in _ROWS]
