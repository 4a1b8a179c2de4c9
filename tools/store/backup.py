"""Backup and restore of the embedded store: one archive with the databases and model files.

An archive (`.tar.gz`) holds `manifest.json` (format, time, schema version, SHA-256 and size of
every file), a consistent copy of the store and of the conversation checkpoints (SQLite's online
backup, so a running server need not stop), and the trained model files under `models/`. Search
indexes and cached embeddings are derived from the catalog and rebuilt on first use; they are
included only when asked (`include_derived`), to spare the rebuild.

Restoring verifies every file against the manifest and every database's integrity before anything
in the data directory changes; then each file replaces its target in one rename, and `models/`
becomes the archive's. A bad archive changes nothing. Stop the server before restoring.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tools.exceptions import InputError

FORMAT = "concierge-backup/1"
STORE = "concierge.db"
CHECKPOINTS = "checkpoints.db"
MODELS = "models"
DERIVED = ("index", "embeddings")


@dataclass(frozen=True)
class BackupEntry:
    """One file of an archive."""

    name: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class BackupReport:
    """What an archive holds."""

    path: str
    created_at: str
    schema_version: str | None
    entries: list[BackupEntry] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        """The size of every file, uncompressed."""
        return sum(e.bytes for e in self.entries)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "path": self.path,
            "created_at": self.created_at,
            "schema_version": self.schema_version,
            "files": len(self.entries),
            "total_bytes": self.total_bytes,
            "entries": [e.__dict__ for e in self.entries],
        }


def create_backup(
    *,
    database: Path,
    checkpoints: Path,
    data_dir: Path,
    out: Path,
    now: datetime,
    include_derived: bool = False,
) -> BackupReport:
    """Write an archive of the store (and checkpoints, models) to `out`, atomically."""
    if not database.is_file():
        raise InputError(f"no store at {database}: nothing to back up")
    if out.exists():
        raise InputError(f"{out} exists: choose another file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as scratch:
        staged = Path(scratch)
        files: dict[str, Path] = {STORE: _snapshot(database, staged / STORE)}
        if checkpoints.is_file():
            files[CHECKPOINTS] = _snapshot(checkpoints, staged / CHECKPOINTS)
        folders = (MODELS, *DERIVED) if include_derived else (MODELS,)
        for folder in folders:
            for path in _files_under(data_dir / folder):
                files[path.relative_to(data_dir).as_posix()] = path
        entries = [
            BackupEntry(name, _sha256(path), path.stat().st_size) for name, path in files.items()
        ]
        report = BackupReport(
            path=str(out),
            created_at=now.isoformat(),
            schema_version=_schema_version(files[STORE]),
            entries=sorted(entries, key=lambda e: e.name),
        )
        partial = staged / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            manifest = json.dumps({"format": FORMAT, **report.as_dict()}, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(manifest)
            archive.addfile(info, io.BytesIO(manifest))
            for entry in report.entries:
                archive.add(files[entry.name], arcname=entry.name, recursive=False)
        os.replace(partial, out)
    return report


def read_manifest(archive_path: Path) -> BackupReport:
    """The manifest of an archive, checked for its format; files are not verified here."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            raw = json.loads(member.read())
    except FileNotFoundError as exc:
        raise InputError(f"{archive_path}: no such file") from exc
    except (tarfile.TarError, KeyError, json.JSONDecodeError, OSError, EOFError) as exc:
        raise InputError(f"{archive_path}: not a concierge backup ({exc})") from exc
    if raw.get("format") != FORMAT:
        raise InputError(f"{archive_path}: format {raw.get('format')!r}, expected {FORMAT!r}")
    try:
        entries = [BackupEntry(e["name"], e["sha256"], int(e["bytes"])) for e in raw["entries"]]
        return BackupReport(
            path=str(archive_path),
            created_at=str(raw["created_at"]),
            schema_version=raw.get("schema_version"),
            entries=entries,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{archive_path}: manifest.json field {exc} is missing or wrong") from exc


def verify_backup(archive_path: Path) -> BackupReport:
    """Check every file of an archive against its manifest and every database's integrity."""
    report = read_manifest(archive_path)
    with tempfile.TemporaryDirectory(prefix=".verify-") as scratch:
        _extract_verified(archive_path, report, Path(scratch))
    return report


def restore_backup(
    archive_path: Path, *, database: Path, checkpoints: Path, data_dir: Path, force: bool = False
) -> BackupReport:
    """Replace the store (and checkpoints, models) with an archive's, once it is verified."""
    report = read_manifest(archive_path)
    if database.exists() and not force:
        raise InputError(f"a store exists at {database}: restore over it with --force")
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".restore-") as scratch:
        staged = Path(scratch)
        _extract_verified(archive_path, report, staged)
        targets = {STORE: database, CHECKPOINTS: checkpoints}
        if (data_dir / MODELS).is_dir():
            # The models become the archive's: none newer than the store they were trained on.
            os.replace(data_dir / MODELS, staged / "replaced-models")
        for entry in report.entries:
            target = targets.get(entry.name, data_dir / entry.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            if entry.name in targets:
                _drop_journal(target)
            os.replace(staged / entry.name, target)
        if CHECKPOINTS not in {e.name for e in report.entries} and checkpoints.exists():
            # Threads of another store would point at products and offers it never had.
            _drop_journal(checkpoints)
            checkpoints.unlink()
    return report


def _extract_verified(archive_path: Path, report: BackupReport, into: Path) -> None:
    expected = {e.name: e for e in report.entries}
    with tarfile.open(archive_path, "r:gz") as archive:
        names = {m.name for m in archive.getmembers() if m.isfile()} - {"manifest.json"}
        if names != set(expected):
            missing, extra = set(expected) - names, names - set(expected)
            raise InputError(
                f"{archive_path}: files differ from the manifest "
                f"(missing {sorted(missing)}, unlisted {sorted(extra)})"
            )
        archive.extractall(into, members=[archive.getmember(n) for n in expected], filter="data")
    for entry in report.entries:
        path = into / entry.name
        if path.stat().st_size != entry.bytes or _sha256(path) != entry.sha256:
            raise InputError(f"{archive_path}: {entry.name} does not match its checksum")
        if entry.name in (STORE, CHECKPOINTS):
            _check_integrity(path, archive_path)


def _snapshot(source: Path, target: Path) -> Path:
    """A consistent copy of a live SQLite database (WAL included)."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def _check_integrity(path: Path, archive_path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            (result,) = db.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{archive_path}: {path.name} is not a SQLite database ({exc})") from exc
    if result != "ok":
        raise InputError(f"{archive_path}: {path.name} fails its integrity check: {result}")


def _schema_version(store: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
            row = db.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return None if row is None else str(row[0])


def _drop_journal(database: Path) -> None:
    """Remove a database's WAL and shared-memory files, which belong to the file being replaced."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def _files_under(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
