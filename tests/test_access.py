"""Every role against every route: 403 for a wrong role, 404 outside the organisation."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from portal.models import Agreement, Bapas, User

ROLES = ["admin", "setda.ngawi", "kabapas.madiun", "pk.madiun", "opd.dinsos", "pj.dinsos"]

# route → usernames allowed (everyone else gets 403)
ROUTES = {
    "/beranda": set(ROLES),
    "/kesepakatan/": set(ROLES),
    "/profil": set(ROLES),
    "/admin/pengguna": {"admin"},
    "/admin/pengguna/baru": {"admin"},
    "/admin/audit": {"admin", "kabapas.madiun"},
}


@pytest.mark.parametrize("route", list(ROUTES))
def test_anonymous_is_sent_to_login(client: Any, route: str) -> None:
    response = client.get(route)
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("route", list(ROUTES))
def test_role_matrix(client: Any, login_as: Any, username: str, route: str) -> None:
    login_as(username)
    expected = 200 if username in ROUTES[route] else 403
    assert client.get(route).status_code == expected


def _agreement(db: Any, bapas_code: str) -> Agreement:
    bapas = db.session.scalar(select(Bapas).where(Bapas.code == bapas_code))
    return db.session.scalar(select(Agreement).where(Agreement.bapas_id == bapas.id))


@pytest.mark.parametrize(
    "username", ["setda.ngawi", "kabapas.madiun", "pk.madiun", "opd.dinsos", "pj.dinsos"]
)
def test_other_organisations_agreement_is_404(
    client: Any, db: Any, login_as: Any, username: str
) -> None:
    login_as(username)
    assert client.get(f"/kesepakatan/{_agreement(db, 'KDR').id}").status_code == 404
    assert client.get(f"/kesepakatan/{_agreement(db, 'MDN').id}").status_code == 200


def test_admin_sees_every_agreement(client: Any, db: Any, login_as: Any) -> None:
    login_as("admin")
    assert client.get(f"/kesepakatan/{_agreement(db, 'KDR').id}").status_code == 200


def test_admin_user_page_of_unknown_user_is_404(client: Any, login_as: Any) -> None:
    login_as("admin")
    assert client.get("/admin/pengguna/999999").status_code == 404


def test_navigation_shows_only_what_the_role_may_use(client: Any, login_as: Any) -> None:
    login_as("pk.madiun")
    page = client.get("/beranda").text
    assert "/admin/pengguna" not in page
    login_as("admin")
    assert "/admin/pengguna" in client.get("/beranda").text


def test_error_pages_speak_indonesian(client: Any, login_as: Any) -> None:
    login_as("pk.madiun")
    assert "Akses ditolak" in client.get("/admin/pengguna").text
    assert "tidak ditemukan" in client.get("/tidak-ada").text


def test_every_user_has_a_dashboard_template(client: Any, db: Any, login_as: Any) -> None:
    for user in db.session.scalars(select(User)):
        login_as(user.username)
        assert client.get("/beranda").status_code == 200
