"""Backups of the embedded store: consistent while in use, verified before a restore changes
anything, and a restore puts back exactly what was saved."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from orchestrator.cli.app import app
from tools.exceptions import InputError
from tools.store import create_schema, make_engine, set_meta
from tools.store.backup import create_backup, read_manifest, restore_backup, verify_backup

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory with a store (open, in WAL mode), checkpoints and a model file."""
    root = tmp_path / "data"
    root.mkdir()
    engine = make_engine(f"sqlite:///{root / 'concierge.db'}")
    create_schema(engine)
    with Session(engine) as session:
        set_meta(session, "note", "saved")
        session.commit()
    engine.dispose()
    with sqlite3.connect(root / "checkpoints.db") as db:
        db.execute("CREATE TABLE checkpoints (thread TEXT)")
        db.execute("INSERT INTO checkpoints VALUES ('t1')")
    (root / "models" / "choice").mkdir(parents=True)
    (root / "models" / "choice" / "yogurt.json").write_text('{"beta": -1.5}')
    (root / "index").mkdir()
    (root / "index" / "big.bin").write_bytes(b"\0" * 1000)
    return root


def _note(root: Path) -> str:
    with sqlite3.connect(root / "concierge.db") as db:
        return str(db.execute("SELECT value FROM store_meta WHERE key = 'note'").fetchone()[0])


def _set_note(root: Path, value: str) -> None:
    with sqlite3.connect(root / "concierge.db") as db:
        db.execute("UPDATE store_meta SET value = ? WHERE key = 'note'", (value,))


def _backup(root: Path, out: Path, **kwargs: bool) -> None:
    create_backup(
        database=root / "concierge.db",
        checkpoints=root / "checkpoints.db",
        data_dir=root,
        out=out,
        now=NOW,
        **kwargs,
    )


def _restore(root: Path, archive: Path, *, force: bool = True) -> None:
    restore_backup(
        archive,
        database=root / "concierge.db",
        checkpoints=root / "checkpoints.db",
        data_dir=root,
        force=force,
    )


def test_a_backup_lists_and_checksums_the_store_checkpoints_and_models(
    data_dir: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar.gz"
    _backup(data_dir, archive)
    report = verify_backup(archive)
    names = [e.name for e in report.entries]
    assert names == ["checkpoints.db", "concierge.db", "models/choice/yogurt.json"]
    assert report.schema_version is not None and report.created_at == NOW.isoformat()
    _backup(data_dir, tmp_path / "full.tar.gz", include_derived=True)
    assert "index/big.bin" in [e.name for e in read_manifest(tmp_path / "full.tar.gz").entries]
    with pytest.raises(InputError, match="exists"):
        _backup(data_dir, archive)


def test_a_restore_puts_back_what_was_saved(data_dir: Path, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    # Written through an open WAL connection that has not checkpointed: still in the backup.
    writer = sqlite3.connect(data_dir / "concierge.db")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("UPDATE store_meta SET value = 'in the wal' WHERE key = 'note'")
    writer.commit()
    _backup(data_dir, archive)
    writer.close()

    _set_note(data_dir, "changed later")
    (data_dir / "models" / "choice" / "yogurt.json").write_text("{}")
    (data_dir / "models" / "newer.json").write_text("{}")
    assert (data_dir / "concierge.db-wal").exists()
    _restore(data_dir, archive)
    assert not (data_dir / "concierge.db-wal").exists()  # the old file's WAL went with it
    assert _note(data_dir) == "in the wal"
    assert (data_dir / "models" / "choice" / "yogurt.json").read_text() == '{"beta": -1.5}'
    assert not (data_dir / "models" / "newer.json").exists()
    assert not list(data_dir.glob(".restore-*"))


def test_a_restore_over_a_store_needs_force_and_changes_nothing_without_it(
    data_dir: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar.gz"
    _backup(data_dir, archive)
    _set_note(data_dir, "current")
    with pytest.raises(InputError, match="--force"):
        _restore(data_dir, archive, force=False)
    assert _note(data_dir) == "current"


def _tampered(archive: Path, out: Path, name: str, data: bytes) -> Path:
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            content = src.extractfile(member)
            body = data if member.name == name else (content.read() if content else b"")
            member.size = len(body)
            dst.addfile(member, io.BytesIO(body))
    return out


def test_a_damaged_or_foreign_archive_is_refused_and_changes_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar.gz"
    _backup(data_dir, archive)
    _set_note(data_dir, "current")
    bad_model = _tampered(archive, tmp_path / "m.tar.gz", "models/choice/yogurt.json", b"{}")
    with pytest.raises(InputError, match="does not match its checksum"):
        _restore(data_dir, bad_model)
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())  # type: ignore[union-attr]
    manifest["format"] = "something-else/9"
    foreign = _tampered(
        archive, tmp_path / "f.tar.gz", "manifest.json", json.dumps(manifest).encode()
    )
    with pytest.raises(InputError, match="format"):
        _restore(data_dir, foreign)
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(InputError, match="not a concierge backup"):
        _restore(data_dir, junk)
    with pytest.raises(InputError, match="no such file"):
        _restore(data_dir, tmp_path / "missing.tar.gz")
    assert _note(data_dir) == "current"
    assert (data_dir / "models" / "choice" / "yogurt.json").read_text() == '{"beta": -1.5}'


def test_the_backup_commands(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--data-dir", str(data_dir)]
    archive = str(tmp_path / "cli.tar.gz")
    made = runner.invoke(app, [*base, "backup", "create", archive, "--json"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["files"] == 3
    assert runner.invoke(app, [*base, "backup", "verify", archive]).exit_code == 0
    _set_note(data_dir, "current")
    refused = runner.invoke(app, [*base, "backup", "restore", archive])
    assert refused.exit_code == 2 and "--force" in refused.output
    done = runner.invoke(app, [*base, "backup", "restore", archive, "--force"])
    assert done.exit_code == 0, done.output
    assert _note(data_dir) == "saved"
    pg = ["--database-url", "postgresql+psycopg://127.0.0.1/test", "backup", "create", archive]
    result = runner.invoke(app, pg)
    assert result.exit_code == 2 and "pg_dump" in result.output
