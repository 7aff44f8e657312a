"""Photo evidence of a day's work: checked from its content, stripped, stored privately.

An upload is opened with Pillow (the name and the browser's content type are
ignored), must be a JPEG, PNG or WebP image of sensible size, and is re-encoded
as a fresh JPEG: EXIF (GPS position, camera, owner), XMP and comments are
dropped. Files live under UPLOAD_FOLDER, outside ``static/``, and are served
only through a view that checks who asks.
"""

from __future__ import annotations

import io
import uuid
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 6 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
SUBDIR = "attendance"


class PhotoRejected(ValueError):
    """The upload is not an acceptable photo; the message is for the user."""


def clean_photo(data: bytes) -> bytes:
    """Check an uploaded image from its content and return it re-encoded without metadata."""
    if not data:
        raise PhotoRejected("Berkas foto kosong.")
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRejected(f"Foto terlalu besar (maksimal {MAX_PHOTO_BYTES // (1024 * 1024)} MB).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                probe.verify()
            if kind not in ACCEPTED_FORMATS:
                raise PhotoRejected("Foto harus berupa gambar JPEG, PNG atau WebP.")
            if width * height > MAX_PIXELS:
                raise PhotoRejected("Resolusi foto terlalu besar.")
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                rgb = upright.convert("RGB")
    except PhotoRejected:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as error:
        raise PhotoRejected("Berkas bukan gambar yang dapat dibaca.") from error
    rgb.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    # A new image object carries no EXIF, XMP, ICC or comment unless passed explicitly.
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def store_photo(data: bytes, upload_folder: str | Path) -> str:
    """Save cleaned JPEG bytes under the upload folder; return the path relative to it."""
    folder = Path(upload_folder) / SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.jpg"
    (folder / name).write_bytes(data)
    return f"{SUBDIR}/{name}"


def photo_path(relative: str, upload_folder: str | Path) -> Path | None:
    """The file of a stored photo, or None when the path would leave the upload folder."""
    root = (Path(upload_folder) / SUBDIR).resolve()
    target = (Path(upload_folder) / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target
