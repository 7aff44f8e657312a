"""The client's pas foto and court documents (Pedoman 2.2.2 and 2.2.4)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.base import ClientRecord, UTCDateTime, utcnow
from portal.models.user import User


class ClientDocument(ClientRecord, Model):
    """One uploaded file of a client: pas foto, petikan/salinan putusan or surat eksekusi.

    Court documents carry the registration officer's authenticity checks of Pedoman
    2.2.2(2); the file lives under UPLOAD_FOLDER with a random name.
    """

    __tablename__ = "client_document"

    # pas_foto, putusan, surat_eksekusi
    kind: Mapped[str] = mapped_column(String(20))
    stored_name: Mapped[str] = mapped_column(String(80))
    original_name: Mapped[str] = mapped_column(String(200), default="")
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # {"issuer": true, "identity": true, ...}: Pedoman 2.2.2(2) for court documents.
    checks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()
