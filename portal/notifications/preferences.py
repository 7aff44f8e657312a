"""A user's contact details and the channel he chose for each kind of notification."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from portal import audit
from portal.extensions import db
from portal.models import NotificationPreference, User
from portal.notifications import kinds
from portal.refusals import Refused

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
# Indonesian numbers as a gateway takes them: +62 or 0, then 8 to 13 digits (mobile: 8...).
PHONE_RE = re.compile(r"^(\+62|62|0)8\d{7,11}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass
class Settings:
    """What the settings page sends: contact details, a channel per kind, the digest time."""

    email: str
    phone: str
    channels: dict[str, str]
    digest_time: str = "07:00"


def normalise_phone(phone: str) -> str:
    """Spaces, dashes and dots removed: ``0812-3456-7890`` → ``081234567890``."""
    return re.sub(r"[\s\-.()]", "", phone or "")


def choices_of(user: User) -> tuple[dict[str, str], str]:
    """The user's channel per kind (the default where he chose none) and his digest time."""
    rows = {
        p.kind: p
        for p in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    channels = {k: rows[k].channel if k in rows else kinds.DEFAULT_CHANNEL for k in kinds.KINDS}
    digest = next((p.digest_time for p in rows.values()), "07:00")
    return channels, digest


def save_settings(user: User, settings: Settings) -> None:
    """Check and save the contact details and the channels; refuse with messages per field."""
    fields: dict[str, list[str]] = {}
    email = (settings.email or "").strip().lower()
    phone = normalise_phone(settings.phone)
    if email and (len(email) > 200 or not EMAIL_RE.match(email)):
        fields["email"] = ["Alamat e-mail tidak valid (contoh: nama@ngawikab.go.id)."]
    elif email:
        other = db.session.scalar(
            select(User.id).where(func.lower(User.email) == email, User.id != user.id)
        )
        if other is not None:
            fields["email"] = ["Alamat e-mail ini sudah dipakai akun lain."]
    if phone and not PHONE_RE.match(phone):
        fields["phone"] = ["Nomor HP tidak valid (contoh: 081234567890 atau +6281234567890)."]
    if not TIME_RE.match(settings.digest_time or ""):
        fields["digest_time"] = ["Isi jam ringkasan dengan format JJ:MM, misalnya 07:00."]
    for kind, channel in settings.channels.items():
        if kind not in kinds.KINDS or channel not in kinds.CHANNELS:
            fields[f"channel_{kind}"] = ["Pilih salah satu saluran."]
        elif channel in (kinds.EMAIL, kinds.DIGEST) and not email:
            fields[f"channel_{kind}"] = ["Isi alamat e-mail untuk menerima lewat e-mail."]
        elif channel == kinds.GATEWAY and not phone:
            fields[f"channel_{kind}"] = ["Isi nomor HP untuk menerima lewat WhatsApp/SMS."]
    if fields:
        raise Refused(fields)
    user.email = email or None
    user.phone = phone
    existing = {
        p.kind: p
        for p in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    for kind, channel in settings.channels.items():
        pref = existing.get(kind)
        if pref is None:
            pref = NotificationPreference(user_id=user.id, kind=kind)
            db.session.add(pref)
        pref.channel = channel
        pref.digest_time = settings.digest_time
    db.session.flush()
    audit.record("notification_settings_changed", "user", user.id, user=user)
