"""Evidence files of progress reports: type checked from the content, size limited.

Files are stored under ``UPLOAD_FOLDER/workplan/`` (outside static/) with a random
name; the original name is kept only as a label. No Flask import here. The client's
Litmas PDF goes through the same checks into ``UPLOAD_FOLDER/litmas/``.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_FILES = 5
SUBFOLDER = "workplan"

# extension: (content type, magic bytes at offset 0)
KINDS: dict[str, tuple[str, bytes]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
}


class EvidenceError(ValueError):
    """A refused file, with the message the user reads."""


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, ready to store."""

    original_name: str
    data: bytes
    extension: str
    content_type: str
    sha256: str


def sniff(data: bytes) -> str | None:
    """The file's kind from its first bytes (pdf, png, jpg), or None."""
    for ext, (_, magic) in KINDS.items():
        if data.startswith(magic):
            return ext
    return None


def check_file(original_name: str, data: bytes, max_bytes: int) -> CheckedFile:
    """Accept a PDF, PNG or JPEG up to ``max_bytes``; raise EvidenceError otherwise."""
    label = Path(original_name or "berkas").name[:200]
    if not data:
        raise EvidenceError(f"Berkas {label} kosong.")
    if len(data) > max_bytes:
        raise EvidenceError(
            f"Berkas {label} terlalu besar (maksimal {max_bytes // (1024 * 1024)} MB)."
        )
    ext = sniff(data)
    if ext is None:
        raise EvidenceError(f"Berkas {label} bukan PDF, PNG atau JPEG.")
    if ext in ("png", "jpg"):
        try:
            with Image.open(io.BytesIO(data)) as img:
                img.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as err:
            raise EvidenceError(f"Gambar {label} rusak atau tidak dapat dibaca.") from err
    elif b"%%EOF" not in data[-2048:]:
        raise EvidenceError(f"PDF {label} tidak lengkap atau rusak.")
    return CheckedFile(label, data, ext, KINDS[ext][0], hashlib.sha256(data).hexdigest())


def store(upload_folder: str | Path, checked: CheckedFile, subfolder: str = SUBFOLDER) -> str:
    """Write the file under a random name; return that stored name."""
    folder = Path(upload_folder) / subfolder
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{checked.extension}"
    (folder / name).write_bytes(checked.data)
    return name


def path_of(upload_folder: str | Path, stored_name: str, subfolder: str = SUBFOLDER) -> Path:
    """Where a stored evidence file lives (the name comes from the database, not the user)."""
    return Path(upload_folder) / subfolder / Path(stored_name).name


def remove(upload_folder: str | Path, stored_names: list[str], subfolder: str = SUBFOLDER) -> None:
    """Delete stored files (used when saving the report fails after writing them)."""
    for name in stored_names:
        path_of(upload_folder, name, subfolder).unlink(missing_ok=True)
