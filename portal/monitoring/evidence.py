"""Evidence files of progress reports, through the portal's one upload module.

``portal.uploads`` (kind ``evidence``) takes PDFs checked whole and images
re-encoded without metadata. Files are stored under ``UPLOAD_FOLDER/workplan/``
(outside static/) with a random name; the original name is kept only as a
label. The client's Litmas PDF is stored the same way under
``UPLOAD_FOLDER/litmas/`` (kind ``litmas``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal import uploads
from portal.refusals import Refused

MAX_FILES = 5
SUBFOLDER = "workplan"
KIND = "evidence"

CheckedFile = uploads.Accepted


@dataclass(frozen=True)
class Upload:
    """A file as the route received it: its name as sent and its bytes."""

    filename: str
    data: bytes

    @classmethod
    def of(cls, sent: Any) -> Upload | None:
        """What a form's file input sent (werkzeug's ``FileStorage``); None when no file came."""
        return cls(sent.filename or "", sent.read()) if sent and (sent.filename or "") else None


def check_file(original_name: str, data: bytes, max_bytes: int, kind: str = KIND) -> CheckedFile:
    """Accept a file for ``kind`` up to ``max_bytes``; raise Refused otherwise."""
    return uploads.accept_upload(data, kind, filename=original_name, max_bytes=max_bytes)


def store(upload_folder: str | Path, checked: CheckedFile, subfolder: str = SUBFOLDER) -> str:
    """Write the file under a random name; return that stored name."""
    return uploads.store(upload_folder, checked, subfolder)


def path_of(upload_folder: str | Path, stored_name: str, subfolder: str = SUBFOLDER) -> Path:
    """Where a stored evidence file lives (the name comes from the database, not the user)."""
    return Path(upload_folder) / subfolder / Path(stored_name).name


def remove(upload_folder: str | Path, stored_names: list[str], subfolder: str = SUBFOLDER) -> None:
    """Delete stored files (used when saving the report fails after writing them)."""
    uploads.remove(upload_folder, stored_names, subfolder)


def check_uploads(
    errors: dict[str, list[str]],
    name: str,
    sent: Iterable[Upload | None],
    max_bytes: int,
    kind: str = KIND,
) -> list[CheckedFile]:
    """Check every file sent in the form field ``name`` (empty inputs are no file).

    A refused file, or more than ``MAX_FILES``, adds its message to ``errors[name]``
    so the form shows it next to the field with the others.
    """
    real = [u for u in sent if u is not None and (u.filename or u.data)]
    if len(real) > MAX_FILES:
        errors[name] = [f"Paling banyak {MAX_FILES} berkas bukti."]
        return []
    checked: list[CheckedFile] = []
    for up in real:
        try:
            checked.append(check_file(up.filename, up.data, max_bytes, kind))
        except Refused as err:
            errors.setdefault(name, []).append(str(err))
    return checked


@dataclass
class Stored:
    """The files written while one record is saved."""

    upload_folder: str | Path
    subfolder: str
    names: list[str] = field(default_factory=list)

    def store(self, checked: CheckedFile) -> str:
        """Write the file under a random name; return that stored name."""
        name = store(self.upload_folder, checked, self.subfolder)
        self.names.append(name)
        return name


@contextmanager
def stored(upload_folder: str | Path, subfolder: str = SUBFOLDER) -> Iterator[Stored]:
    """Store files inside the block; if saving the record fails, they are removed again."""
    files = Stored(upload_folder, subfolder)
    try:
        yield files
    except Exception:
        remove(upload_folder, files.names, subfolder)
        raise
