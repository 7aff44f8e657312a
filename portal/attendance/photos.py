"""Photo evidence of a day's work, through the portal's one upload module.

``portal.uploads`` checks the image from its content (the name and the
browser's content type are ignored), decodes it in full under a pixel limit and
re-encodes it as a fresh JPEG without EXIF (GPS position, camera, owner), XMP
or comments. Files live under ``UPLOAD_FOLDER/attendance``, outside
``static/``, and are served only through a view that checks who asks.
"""

from __future__ import annotations

from pathlib import Path

from portal import uploads

KIND = "attendance_photo"
MAX_PHOTO_BYTES = uploads.KINDS[KIND].max_bytes
SUBDIR = "attendance"


def clean_photo(data: bytes) -> bytes:
    """Check an uploaded image from its content and return it re-encoded without metadata."""
    return uploads.accept_upload(data, KIND).data


def store_photo(data: bytes, upload_folder: str | Path) -> str:
    """Save cleaned JPEG bytes under the upload folder; return the path relative to it."""
    name = uploads.write(upload_folder, data, "jpg", SUBDIR)
    return f"{SUBDIR}/{name}"


def photo_path(relative: str, upload_folder: str | Path) -> Path | None:
    """The file of a stored photo, or None when the path would leave the upload folder."""
    if not relative.startswith(f"{SUBDIR}/"):
        return None
    return uploads.path_of(upload_folder, relative.removeprefix(f"{SUBDIR}/"), SUBDIR)
