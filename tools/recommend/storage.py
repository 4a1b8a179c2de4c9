"""Saved recommenders: a directory with `manifest.json` (kind, format, parameters), the skus
in `items.json` and one `.npy` file per array. Files are written byte-identically for equal
models and replaced whole, so a reader never sees half a model."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tools.recommend.exceptions import ModelFileError

FORMAT = 1
MANIFEST = "manifest.json"
ITEMS = "items.json"


def _write_text(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def write_model(
    directory: Path,
    *,
    kind: str,
    params: Mapping[str, Any],
    skus: Sequence[str],
    arrays: Mapping[str, npt.NDArray[Any]],
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Write a model's manifest, skus, arrays and any extra JSON documents."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, array in sorted(arrays.items()):
        partial = directory / f"{name}.partial.npy"
        np.save(partial, np.ascontiguousarray(array), allow_pickle=False)
        os.replace(partial, directory / f"{name}.npy")
    for name, document in sorted((extra or {}).items()):
        _write_text(directory / f"{name}.json", _dumps(document))
    _write_text(directory / ITEMS, _dumps(list(skus)))
    manifest = {"format": FORMAT, "kind": kind, "params": dict(params), "arrays": sorted(arrays)}
    _write_text(directory / MANIFEST, _dumps(manifest))


def _dumps(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of a saved model; refuses missing files and unknown formats."""
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelFileError(directory, f"no {MANIFEST}: not a saved model") from exc
    except (OSError, ValueError) as exc:
        raise ModelFileError(directory, f"unreadable {MANIFEST}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelFileError(directory, f"unsupported model format (expected {FORMAT})")
    return manifest


def read_model(
    directory: Path, *, kind: str
) -> tuple[dict[str, Any], list[str], dict[str, npt.NDArray[Any]]]:
    """Parameters, skus and arrays of a saved model of this kind."""
    manifest = read_manifest(directory)
    if manifest.get("kind") != kind:
        raise ModelFileError(directory, f"holds a {manifest.get('kind')!r} model, not {kind!r}")
    try:
        skus = json.loads((directory / ITEMS).read_text(encoding="utf-8"))
        arrays = {
            name: np.load(directory / f"{name}.npy", allow_pickle=False)
            for name in manifest["arrays"]
        }
    except (OSError, ValueError, KeyError) as exc:
        raise ModelFileError(directory, f"incomplete model files: {exc}") from exc
    return dict(manifest["params"]), [str(s) for s in skus], arrays


def read_document(directory: Path, name: str) -> Any:
    """An extra JSON document saved with a model."""
    try:
        return json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFileError(directory, f"missing or unreadable {name}.json") from exc
