"""Every file the portal takes goes through here: checked whole, cleaned, stored privately.

One call for every upload form and API::

    accepted = accept_upload(data, kind="evidence", filename=storage.filename)
    name = store(upload_folder, accepted, "workplan")       # random name, outside static/
    ...
    return serve(path_of(upload_folder, name, "workplan"), accepted.content_type, label)

A ``kind`` says what the portal takes for that purpose (``KINDS``): attendance
and client photos, Rencana Kerja evidence, the Litmas PDF, scanned addenda and
court documents. The file's name and the browser's content type are ignored;
the type comes from parsing the whole file:

- images are opened with Pillow, ``verify()``-ed, then decoded in full
  (``load()``) under a pixel limit (decompression bombs refused before decoding),
  and re-encoded from the pixels alone, so EXIF (GPS position, camera, owner),
  XMP, ICC profiles and comments are gone, and so is anything appended to the
  file;
- PDFs must be PDFs through and through: ``%PDF-`` at byte 0, nothing but
  whitespace after the last ``%%EOF``, no HTML or script markup anywhere in
  the bytes (a PDF/HTML polyglot), parsed completely with pypdf (strict), not
  encrypted, and refused when any object reachable from the document carries
  JavaScript (``/JS``, ``/JavaScript``, including an ``/OpenAction`` or ``/AA``
  running it), embedded or attached files, launch/import actions, XFA forms or
  rich media. PDFs are kept byte for byte (a signed court document keeps its
  signature).

Stored files are served only as downloads (``Content-Disposition: attachment``),
with ``nosniff`` and a sandboxing Content-Security-Policy. No Flask import at
module level: domain services call ``accept_upload`` and ``store``; views call
``serve``.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageOps, UnidentifiedImageError

from portal.refusals import Refused

if TYPE_CHECKING:
    from werkzeug.wrappers import Response

MB = 1024 * 1024
# Pixels decoded at most (a 12,000 x 12,000 image is 144 million): refused before decoding.
MAX_PIXELS = 40_000_000
# Objects of one PDF walked at most; a larger one is refused rather than half-checked.
MAX_PDF_OBJECTS = 200_000

IMAGE_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "jpg"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


@dataclass(frozen=True)
class Kind:
    """What one purpose takes: PDFs and/or images, how big, how large images are kept."""

    label: str
    pdf: bool
    images: bool
    max_bytes: int
    max_side: int  # images are scaled down to fit this many pixels a side
    photo: bool = False  # always stored as JPEG (a photo); otherwise PNG stays PNG


KINDS: dict[str, Kind] = {
    "attendance_photo": Kind("Foto kehadiran", False, True, 6 * MB, 1600, photo=True),
    "client_photo": Kind("Foto klien", False, True, 6 * MB, 1600, photo=True),
    "evidence": Kind("Berkas bukti", True, True, 8 * MB, 4000),
    "litmas": Kind("Laporan Litmas", True, False, 8 * MB, 0),
    "addendum_scan": Kind("Pindaian adendum", True, True, 8 * MB, 4000),
    "court_document": Kind("Dokumen pengadilan", True, True, 8 * MB, 4000),
}


@dataclass(frozen=True)
class Accepted:
    """A file that passed every check, in the form to store (images re-encoded)."""

    original_name: str
    data: bytes
    extension: str  # pdf, jpg, png
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        """Bytes stored."""
        return len(self.data)


def accept_upload(
    data: bytes, kind: str, filename: str = "", max_bytes: int | None = None
) -> Accepted:
    """Check an uploaded file for ``kind`` from its content; raise ``Refused``.

    ``max_bytes`` lowers (never raises) the kind's own limit, e.g. to the
    deployment's ``MAX_CONTENT_LENGTH``.
    """
    rule = KINDS[kind]
    label = Path(filename or "berkas").name[:200] or "berkas"
    limit = min(rule.max_bytes, max_bytes) if max_bytes else rule.max_bytes
    if not data:
        raise Refused(message=f"Berkas {label} kosong.")
    if len(data) > limit:
        raise Refused(message=f"Berkas {label} terlalu besar (maksimal {limit // MB} MB).")
    wanted = _wanted(rule)
    if data.startswith(b"%PDF-"):
        if not rule.pdf:
            raise Refused(message=f"{rule.label} harus berupa {wanted}.")
        _check_pdf(data, label)
        return _accepted(label, data, "pdf")
    if not rule.images:
        raise Refused(message=f"{rule.label} harus berupa {wanted}.")
    cleaned, ext = _clean_image(data, label, rule, wanted)
    return _accepted(label, cleaned, ext)


def _wanted(rule: Kind) -> str:
    if rule.pdf and rule.images:
        return "PDF, PNG atau JPEG"
    return "PDF" if rule.pdf else "gambar JPEG, PNG atau WebP"


def _accepted(label: str, data: bytes, ext: str) -> Accepted:
    return Accepted(label, data, ext, CONTENT_TYPES[ext], hashlib.sha256(data).hexdigest())


# --- images -------------------------------------------------------------------------------


def _clean_image(data: bytes, label: str, rule: Kind, wanted: str) -> tuple[bytes, str]:
    """Decode the whole image under the pixel limit and re-encode it without metadata."""
    unreadable = Refused(
        message="Berkas bukan gambar yang dapat dibaca."
        if rule.photo
        else f"Berkas {label} bukan {wanted} yang dapat dibaca."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt not in IMAGE_FORMATS:
                    raise unreadable
                if width * height > MAX_PIXELS:
                    raise Refused(message=f"Resolusi gambar {label} terlalu besar.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                keep_alpha = not rule.photo and IMAGE_FORMATS[fmt] == "png"
                mode = "RGBA" if keep_alpha and _has_alpha(upright) else "RGB"
                pixels = upright.convert(mode)
    except Refused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise Refused(message=f"Resolusi gambar {label} terlalu besar.") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise unreadable from error
    pixels.thumbnail((rule.max_side, rule.max_side))
    # A new image carries no EXIF, XMP, ICC profile or comment unless given one.
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if rule.photo or IMAGE_FORMATS[fmt] == "jpg":
        clean.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        return out.getvalue(), "jpg"
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue(), "png"


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


# --- PDF ----------------------------------------------------------------------------------

# Markup that makes a browser (or a lax viewer) treat the bytes as something else.
_MARKUP = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype|\?xml-stylesheet)", re.I)
# Dictionary keys and action types that run code or carry other files.
_FORBIDDEN_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EmbeddedFiles": "berkas tersemat",
    "/EmbeddedFile": "berkas tersemat",
    "/XFA": "formulir XFA",
    "/RichMedia": "media aktif",
}
_FORBIDDEN_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "perintah menjalankan program",
    "/ImportData": "impor data",
    "/SubmitForm": "pengiriman formulir",
    "/GoToE": "berkas tersemat",
}


def _check_pdf(data: bytes, label: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    damaged = Refused(message=f"PDF {label} rusak atau tidak lengkap.")
    end = data.rfind(b"%%EOF")
    if end < 0 or data[end + 5 :].strip(b" \t\r\n\x00\x0c"):
        raise damaged
    if _MARKUP.search(data):
        raise Refused(message=f"PDF {label} juga berisi kode halaman web; tidak diterima.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=True)
            if reader.is_encrypted:
                raise Refused(message=f"PDF {label} terkunci sandi; unggah versi tanpa sandi.")
            if len(reader.pages) == 0:
                raise damaged
            found = _active_content(reader.trailer)
    except Refused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
        raise damaged from err
    except Exception as err:  # noqa: BLE001 - any parser failure means we cannot vouch for it
        raise damaged from err
    if found:
        raise Refused(message=f"PDF {label} berisi {found}; tidak diterima.")


def _active_content(root: Any) -> str | None:
    """Walk every object reachable from the trailer; name the first forbidden thing found."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root]
    walked = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        walked += 1
        if walked > MAX_PDF_OBJECTS:
            return "terlalu banyak objek"
        if isinstance(item, DictionaryObject):  # streams are dictionaries too
            for name, what in _FORBIDDEN_KEYS.items():
                if name in item:
                    return what
            action = item.get("/S")
            if action in _FORBIDDEN_ACTIONS:
                return _FORBIDDEN_ACTIONS[action]
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


# --- storage and serving ------------------------------------------------------------------


def store(upload_folder: str | Path, accepted: Accepted, subfolder: str) -> str:
    """Write an accepted file under a random name in ``subfolder``; return that name."""
    return write(upload_folder, accepted.data, accepted.extension, subfolder)


def write(upload_folder: str | Path, data: bytes, extension: str, subfolder: str) -> str:
    """Write bytes that ``accept_upload`` produced under a random name; return that name."""
    folder = Path(upload_folder) / subfolder
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{extension}"
    (folder / name).write_bytes(data)
    return name


def path_of(upload_folder: str | Path, stored_name: str, subfolder: str) -> Path | None:
    """The stored file, or None when missing or when the name would leave its folder."""
    root = (Path(upload_folder) / subfolder).resolve()
    target = (root / stored_name).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target


def remove(upload_folder: str | Path, stored_names: list[str], subfolder: str) -> None:
    """Delete stored files (when saving the record fails after writing them)."""
    for name in stored_names:
        path = path_of(upload_folder, name, subfolder)
        if path is not None:
            path.unlink(missing_ok=True)


def serve(path: Path, content_type: str, download_name: str) -> Response:
    """Send a stored file as a download only: never rendered or run by the browser."""
    from flask import send_file

    response = send_file(
        path,
        mimetype=content_type,
        as_attachment=True,
        download_name=download_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
