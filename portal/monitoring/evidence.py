"""Evidence files of progress reports, through the portal's one upload module.

``portal.uploads`` (kind ``evidence``) takes PDFs checked whole and images
re-encoded without metadata. Files are stored under ``UPLOAD_FOLDER/workplan/``
(outside static/) with a random name; the original name is kept only as a
label. The client's Litmas PDF is stored the same way under
``UPLOAD_FOLDER/litmas/`` (kind ``litmas``).
"""

from __future__ import annotations

from pathlib import Path

from portal import uploads

MAX_FILES = 5
SUBFOLDER = "workplan"
KIND = "evidence"

CheckedFile = uploads.Accepted


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
