"""The client's pas foto and court documents (Pedoman 2.2.2, 2.2.4), and the Kepala Bapas's
letter to the Kejaksaan when the file is incomplete (2.2.2(4)). No Flask here.

Every upload goes through :func:`check_upload`, the one place a client document is
checked: the pas foto like an attendance photo (opened from its content, re-encoded,
metadata dropped), court documents like Rencana Kerja evidence (PDF, PNG or JPEG by
their first bytes).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from portal import audit, uploads
from portal.clients.record import COMPLETION_LETTER
from portal.clients.validation import DOCUMENT_CHECKS
from portal.models import Client, ClientDocument, LetterNumber, User
from portal.queries import of_client
from portal.refusals import Refused
from portal.statuses import ClientStatus
from portal.supervision import numbering

DOCUMENT_KINDS: dict[str, str] = {
    "pas_foto": "Pas foto",
    "putusan": "Petikan/salinan putusan",
    "surat_eksekusi": "Surat eksekusi",
}
COURT_KINDS: tuple[str, ...] = ("putusan", "surat_eksekusi")
SUBFOLDER = "client_documents"


def check_upload(kind: str, filename: str, data: bytes, max_bytes: int) -> uploads.Accepted:
    """Check one uploaded client document from its content (the single entry point)."""
    purpose = "client_photo" if kind == "pas_foto" else "court_document"
    try:
        return uploads.accept_upload(data, purpose, filename=filename, max_bytes=max_bytes)
    except Refused as err:
        raise Refused.on_field("file", str(err)) from err


def upload_document(
    client: Client,
    kind: str,
    filename: str,
    data: bytes,
    checks: dict[str, Any],
    actor: User,
    upload_folder: str | Path,
    max_bytes: int,
) -> ClientDocument:
    """Store a checked document of the client; court documents with their 2.2.2 checks."""
    if client.status == ClientStatus.CLOSED:
        raise Refused.on_field("kind", "Perkara klien sudah ditutup.")
    if kind not in DOCUMENT_KINDS:
        raise Refused.on_field("kind", "Pilih jenis dokumen.")
    unknown = [k for k in checks if k not in DOCUMENT_CHECKS]
    if unknown:
        raise Refused.on_field("checks", "Pemeriksaan dokumen tidak dikenal.")
    checked = check_upload(kind, filename, data, max_bytes)
    folder = Path(upload_folder) / SUBFOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{checked.extension}"
    (folder / stored).write_bytes(checked.data)
    document = ClientDocument(
        client_id=client.id,
        kind=kind,
        stored_name=stored,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        checks={k: True for k, v in checks.items() if v} if kind in COURT_KINDS else {},
        uploaded_by_id=actor.id,
    )
    return audit.saved(
        document, "client_document_uploaded", actor, about=client, id_key="document_id", kind=kind
    )


def documents_of(client: Client) -> list[ClientDocument]:
    """The client's documents, newest first."""
    return of_client(ClientDocument, client.id, "created_at")


class Filed(Protocol):
    """A document of the file as the checks read it: a record, or a row of his record's."""

    @property
    def kind(self) -> str: ...

    @property
    def checks(self) -> dict[str, Any]: ...


D = TypeVar("D", bound=Filed)


def latest(documents: Sequence[D], kind: str) -> D | None:
    """The newest document of a kind (documents newest first)."""
    return next((d for d in documents if d.kind == kind), None)


def file_gaps(documents: Sequence[Filed]) -> list[str]:
    """What keeps the file from being complete and valid (Pedoman 2.2.2), one line each."""
    gaps = []
    for kind in COURT_KINDS:
        document = latest(documents, kind)
        label = DOCUMENT_KINDS[kind]
        if document is None:
            gaps.append(f"{label} belum diterima.")
            continue
        missing = [text for key, text in DOCUMENT_CHECKS.items() if not document.checks.get(key)]
        if missing:
            gaps.append(f"{label} belum sah: " + "; ".join(t.lower() for t in missing) + ".")
    return gaps


def document_path(upload_folder: str | Path, document: ClientDocument) -> Path:
    """Where the file is stored (the name comes from the database, not the user)."""
    return Path(upload_folder) / SUBFOLDER / Path(document.stored_name).name


def view_document(client: Client, document: ClientDocument, actor: User) -> None:
    """Record that ``actor`` opened a document of the client (NK Pasal 9)."""
    audit.record("client_viewed", "client", client.id, user=actor, document_id=document.id)


def photo_data_uri(client: Client, upload_folder: str | Path) -> str | None:
    """The newest pas foto as a data URI for printed forms, or None."""
    photo = latest(documents_of(client), "pas_foto")
    if photo is None:
        return None
    path = document_path(upload_folder, photo)
    if not path.is_file():
        return None
    return "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def request_completion(client: Client, actor: User) -> LetterNumber:
    """The Kepala Bapas's letter asking the Kejaksaan to complete the file (2.2.2(4))."""
    gaps = file_gaps(documents_of(client))
    if not gaps:
        raise Refused.on_field(
            "letter", "Berkas klien sudah lengkap dan sah: tidak perlu surat kelengkapan."
        )
    return numbering.number_letter(
        client,
        COMPLETION_LETTER,
        actor,
        f"Permintaan kelengkapan berkas a.n. {client.code}",
        details=gaps,
    )
