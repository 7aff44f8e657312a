"""The main menu, as data: each entry names the action that shows it."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user

from portal import policy


@dataclass(frozen=True)
class NavItem:
    """One menu entry: label, endpoint, the policy action that shows it, an icon."""

    label: str
    endpoint: str
    action: str
    icon: str = "circle"
    group: str = ""  # items of one group share a dropdown menu


NAV: list[NavItem] = [
    NavItem("Beranda", "dashboard.index", "dashboard.view", "house"),
    NavItem("Kesepakatan", "agreements.index", "agreement.view", "file-earmark-text"),
    NavItem("Daftar lokasi kerja", "slots.index", "slot.view", "geo-alt", "Lokasi kerja"),
    NavItem("Peta lokasi kerja", "slots.map_page", "slot.view", "map", "Lokasi kerja"),
    NavItem(
        "Daftar mitra (Lampiran V)", "slots.partners", "partner.view", "building", "Lokasi kerja"
    ),
    NavItem("Klien", "clients.index", "client.view", "person-vcard", "Klien"),
    NavItem("Penempatan", "placements.index", "placement.view", "briefcase", "Klien"),
    NavItem("Pengawasan", "supervision.index", "supervision.manage", "speedometer2", "Klien"),
    NavItem(
        "Register surat", "supervision.letter_register", "closure.sign", "journal-bookmark", "Klien"
    ),
    NavItem("Kehadiran", "attendance.today", "attendance.record", "clipboard-check", "Kehadiran"),
    NavItem("Sesi hari ini", "sessions.roster", "attendance.verify", "phone", "Kehadiran"),
    NavItem(
        "Sesi sepekan", "sessions.site_week", "attendance.verify", "calendar-week", "Kehadiran"
    ),
    NavItem("Sesi terlewat", "sessions.missed", "closure.sign", "calendar-x", "Klien"),
    NavItem(
        "Usulan pindah tempat/waktu",
        "sessions.changes_to_decide",
        "placement.decide",
        "arrow-left-right",
        "Kehadiran",
    ),
    NavItem("Daftar sesi", "sessions.index", "session.list", "list-check", "Klien"),
    NavItem("Monitoring", "monitoring.index", "monitoring.view", "graph-up"),
    NavItem("Pengguna", "admin.users", "user.manage", "people", "Administrasi"),
    NavItem("Log audit", "admin.audit", "audit.view", "journal-text", "Administrasi"),
    NavItem("Penomoran surat", "admin.letter_patterns", "user.manage", "123", "Administrasi"),
    NavItem("Mitra dan PKS", "admin.partners", "user.manage", "building-add", "Administrasi"),
    NavItem(
        "Notifikasi gagal",
        "notifications.failures",
        "notification.failures",
        "envelope-exclamation",
        "Administrasi",
    ),
]


GROUP_ICONS = {
    "Kehadiran": "clipboard-check",
    "Lokasi kerja": "geo-alt",
    "Klien": "person-vcard",
    "Administrasi": "gear",
}


@dataclass
class NavEntry:
    """A top-level menu entry: one link, or a group of links shown as a dropdown."""

    label: str
    icon: str
    links: list[tuple[NavItem, str]]

    @property
    def url(self) -> str:
        """The first link's URL (a lone item's own URL)."""
        return self.links[0][1]

    @property
    def is_group(self) -> bool:
        """True when the entry opens a dropdown."""
        return len(self.links) > 1


def nav_for() -> list[NavEntry]:
    """The menu the signed-in user may use, grouped for the navbar.

    Items of a group share a dropdown; a group with one permitted item is shown
    as that item alone. The menu depends only on the role (``policy.may``) and on
    where the portal is mounted, so each is built once per process.
    """
    if not current_user.is_authenticated or not current_user.enabled:
        return []
    return _menu(current_user.role, request.script_root)


@functools.lru_cache(maxsize=64)
def _menu(role: str, script_root: str) -> list[NavEntry]:
    """The menu of ``role`` (the caller's request is mounted at ``script_root``)."""
    entries: list[NavEntry] = []
    by_group: dict[str, NavEntry] = {}
    for item in NAV:
        if not policy.role_may(role, item.action):
            continue
        link = (item, url_for(item.endpoint))
        if item.group in by_group:
            by_group[item.group].links.append(link)
            continue
        entry = NavEntry(item.group or item.label, GROUP_ICONS.get(item.group, item.icon), [link])
        entries.append(entry)
        if item.group:
            by_group[item.group] = entry
    for entry in entries:
        if not entry.is_group:
            entry.label, entry.icon = entry.links[0][0].label, entry.links[0][0].icon
    return entries
