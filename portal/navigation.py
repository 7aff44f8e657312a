"""The main menu, as data: each entry names the action that shows it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_login import current_user

from portal import policy


@dataclass(frozen=True)
class NavItem:
    """One menu entry: label, endpoint, the policy action that shows it, an icon."""

    label: str
    endpoint: str
    action: str
    icon: str = "circle"


NAV: list[NavItem] = [
    NavItem("Beranda", "dashboard.index", "dashboard.view", "house"),
    NavItem("Kesepakatan", "agreements.index", "agreement.view", "file-earmark-text"),
    # --- slots ---
    NavItem("Lokasi kerja", "slots.index", "slot.view", "geo-alt"),
    NavItem("Peta", "slots.map_page", "slot.view", "map"),
    NavItem("Mitra", "slots.partners", "partner.view", "building"),
    # --- end slots ---
    NavItem("Klien", "clients.index", "client.view", "person-vcard"),
    NavItem("Penempatan", "placements.index", "placement.view", "briefcase"),
    NavItem("Pengguna", "admin.users", "user.manage", "people"),
    NavItem("Log audit", "admin.audit", "audit.view", "journal-text"),
    # --- issue 5: attendance and supervision ---
    NavItem("Kehadiran", "attendance.today", "attendance.record", "clipboard-check"),
    NavItem("Pengawasan", "supervision.index", "supervision.manage", "speedometer2"),
]


def nav_for() -> list[tuple[NavItem, str]]:
    """Menu entries the signed-in user may use, with their URLs."""
    if not current_user.is_authenticated:
        return []
    return [(item, url_for(item.endpoint)) for item in NAV if policy.may(current_user, item.action)]
