"""Account administration: create, re-role, disable; the audit log view."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from portal.models import AuditLog, Opd, User
from tests.signin import sign_in_cookie


def _org(db: Any, code: str) -> str:
    opd = db.session.scalar(select(Opd).where(Opd.code == code))
    return f"opd:{opd.id}"


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "username": "staf.dlh",
        "full_name": "Staf DLH Uji",
        "email": "staf.dlh@example.go.id",
        "role": "opd_admin",
        "organisation": "",
        "enabled": "y",
        "password": "RahasiaKuat2026",
    }
    data.update(overrides)
    return data


def _count(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_admin_creates_an_opd_admin(client: Any, db: Any, login_as: Any) -> None:
    login_as("admin")
    response = client.post("/admin/pengguna/baru", data=_form(organisation=_org(db, "NGAWI-DLH")))
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.username == "staf.dlh"))
    assert created.role == "opd_admin"
    assert created.opd.code == "NGAWI-DLH"
    assert created.password_hash
    assert "RahasiaKuat2026" not in created.password_hash
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "user_created"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organisation": ""}, "harus terhubung dengan sebuah OPD"),
        ({"role": "pk"}, "harus terhubung dengan sebuah Bapas"),
        ({"username": "pk.madiun"}, "Nama pengguna sudah dipakai."),
        ({"password": "pendek"}, "Kata sandi minimal 10 karakter."),
        ({"password": "sinergi-demo"}, "Kata sandi demo tidak boleh dipakai."),
        ({"password": ""}, "Kata sandi awal wajib diisi."),
        ({"username": "ada spasi"}, "Hanya huruf, angka"),
        ({"nip": "123"}, "NIP terdiri dari 18 angka."),
    ],
)
def test_bad_account_is_refused_at_the_field_and_nothing_saved(
    client: Any, db: Any, login_as: Any, overrides: dict[str, Any], message: str
) -> None:
    login_as("admin")
    before = _count(db)
    data = _form(organisation=_org(db, "NGAWI-DLH"))
    data.update(overrides)
    response = client.post("/admin/pengguna/baru", data=data)
    assert response.status_code == 200
    assert message in response.text
    assert "is-invalid" in response.text
    assert _count(db) == before


def test_disable_and_rerole_end_sessions(
    app: Any, client: Any, db: Any, login_as: Any, user: Any
) -> None:
    target = user("pk2.madiun")
    other = app.test_client()
    sign_in_cookie(other, target)
    assert other.get("/beranda").status_code == 200
    login_as("admin")
    data = {
        "username": "pk2.madiun",
        "full_name": target.full_name,
        "role": "pk",
        "organisation": f"bapas:{target.bapas_id}",
        "email": "",
        "password": "",
    }  # no "enabled": the box is unticked
    assert client.post(f"/admin/pengguna/{target.id}", data=data).status_code == 302
    assert user("pk2.madiun").enabled is False
    assert other.get("/beranda").status_code == 302


def test_rerole_moves_the_account(client: Any, db: Any, login_as: Any, user: Any) -> None:
    target = user("pk2.madiun")
    login_as("admin")
    data = {
        "username": "pk2.madiun",
        "full_name": target.full_name,
        "role": "kepala_bapas",
        "organisation": f"bapas:{target.bapas_id}",
        "enabled": "y",
    }
    client.post(f"/admin/pengguna/{target.id}", data=data)
    assert user("pk2.madiun").role == "kepala_bapas"


def test_kepala_bapas_sees_only_his_bapas_in_the_audit_log(
    client: Any, db: Any, login_as: Any
) -> None:
    client.post("/masuk", data={"username": "opd.dlh", "password": "sinergi-demo"})
    client.post("/keluar")
    client.post("/masuk", data={"username": "pk.madiun", "password": "sinergi-demo"})
    client.post("/keluar")
    login_as("kabapas.madiun")
    page = client.get("/admin/audit").text
    assert "pk.madiun" in page
    assert "opd.dlh" not in page
    login_as("admin")
    assert "opd.dlh" in client.get("/admin/audit").text
