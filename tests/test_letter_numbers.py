"""Letter numbers: the admin's pattern per Bapas, numbers given when the Kepala Bapas
signs, unique and in the register; typed numbers only as an override with a reason."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Closure, User
from portal.refusals import Refused
from portal.supervision import numbering, services
from tests import factories
from tests.committed import World, needs_postgresql, race

PATTERN = "W15.PAS.PAS42-PK.01.05.02-{seq}"


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("W15.PAS.PAS42-PK.01.05.02", "{seq} tepat satu kali"),
        ("W15-{seq}-{seq}", "{seq} tepat satu kali"),
        ("W15-{nomor}", "Penanda tidak dikenal: {nomor}"),
        ("W15-{seq", "Kurung kurawal"),
        ("", "Isi pola nomor surat"),
        ("X" * 119 + "{seq}", "paling panjang 120"),
    ],
)
def test_bad_patterns_are_refused(pattern: str, words: str) -> None:
    problem = numbering.check_pattern(pattern)
    assert problem is not None
    assert words in problem


def test_a_pattern_renders_sequence_year_and_month() -> None:
    assert numbering.check_pattern("W15.PAS.PAS42-PK.01.05.02-{seq}/{month}/{year}") is None
    assert (
        numbering.render("W15.PAS.PAS42-PK.01.05.02-{seq}/{month}/{year}", 7, date(2026, 6, 1))
        == "W15.PAS.PAS42-PK.01.05.02-7/06/2026"
    )


def test_numbers_follow_each_other_per_bapas_and_year(db: Any) -> None:
    head = factories.user("kabapas.madiun")
    mdn = factories.bapas("MDN")
    kdr = factories.bapas("KDR")
    kdr.letter_pattern = "W15.PAS.PAS41-PK.01.05.02-{seq}"
    a = numbering.assign_number(mdn.id, "closure", date(2026, 6, 1), head)
    b = numbering.assign_number(mdn.id, "recommendation", date(2026, 6, 1), head)
    other = numbering.assign_number(kdr.id, "closure", date(2026, 6, 1), head)
    # Without {year} in the pattern the sequence runs on into the next year.
    next_year = numbering.assign_number(mdn.id, "closure", date(2027, 1, 4), head)
    assert [a.number, b.number] == [
        "W15.PAS.PAS42-PK.01.05.02-1",
        "W15.PAS.PAS42-PK.01.05.02-2",
    ]
    assert other.number == "W15.PAS.PAS41-PK.01.05.02-1"
    assert next_year.number == "W15.PAS.PAS42-PK.01.05.02-3"
    kdr.letter_pattern = "W15.PAS.PAS41-PK.01.05.02-{seq}/{year}"
    assert (
        numbering.assign_number(kdr.id, "closure", date(2027, 1, 4), head).number
        == "W15.PAS.PAS41-PK.01.05.02-1/2027"
    )
    assert [e.number for e in numbering.register(mdn.id, 2026)] == [a.number, b.number]


def test_typed_number_needs_a_reason_and_must_be_free(db: Any) -> None:
    head = factories.user("kabapas.madiun")
    mdn = factories.bapas("MDN")
    with pytest.raises(Refused) as refused:
        numbering.assign_number(mdn.id, "closure", date(2026, 6, 1), head, typed="W15-LAMA-1")
    assert "tuliskan alasannya" in refused.value.fields["override_reason"][0]
    typed = numbering.assign_number(
        mdn.id,
        "closure",
        date(2026, 6, 1),
        head,
        typed="W15.PAS.PAS42-PK.01.05.02-1",
        override_reason="Nomor sudah dipakai pada surat fisik sebelum portal dipakai.",
    )
    assert typed.seq is None
    with pytest.raises(Refused) as refused:
        numbering.assign_number(
            mdn.id,
            "closure",
            date(2026, 6, 1),
            head,
            typed="W15.PAS.PAS42-PK.01.05.02-1",
            override_reason="Nomor yang sama sekali lagi, harus ditolak.",
        )
    assert "sudah tercatat di register" in refused.value.fields["number"][0]
    # The next automatic number skips the one the override holds.
    assert (
        numbering.assign_number(mdn.id, "closure", date(2026, 6, 1), head).number
        == "W15.PAS.PAS42-PK.01.05.02-2"
    )


def test_without_a_pattern_only_an_override_numbers_a_letter(db: Any) -> None:
    head = factories.user("kabapas.madiun")
    person = factories.make_client()
    person.bapas.letter_pattern = ""
    with pytest.raises(Refused) as refused:
        services.close_case(person, "died", date(2026, 6, 1), "Meninggal dunia.", "", head)
    assert "belum diatur oleh admin" in refused.value.fields["letter_number"][0]
    closure = services.close_case(
        person,
        "died",
        date(2026, 6, 1),
        "Meninggal dunia.",
        "W15/MANUAL/1",
        head,
        override_reason="Pola nomor belum diatur; nomor dari agenda surat manual.",
    )
    assert closure.letter_number == "W15/MANUAL/1"


# --- web pages -----------------------------------------------------------------------------


def test_admin_sets_the_pattern_and_others_may_not(client: Any, db: Any, login_as: Any) -> None:
    mdn = factories.bapas("MDN")
    mdn.letter_pattern = ""
    login_as("kabapas.madiun")
    assert client.get("/admin/penomoran-surat").status_code == 403
    login_as("admin")
    bad = client.post("/admin/penomoran-surat", data={"bapas_id": mdn.id, "pattern": "W15-01"})
    assert bad.status_code == 422
    assert "{seq} tepat satu kali" in bad.get_data(as_text=True)
    assert mdn.letter_pattern == ""
    good = client.post("/admin/penomoran-surat", data={"bapas_id": mdn.id, "pattern": PATTERN})
    assert good.status_code == 302
    assert mdn.letter_pattern == PATTERN
    page = client.get("/admin/penomoran-surat").get_data(as_text=True)
    assert "Contoh: W15.PAS.PAS42-PK.01.05.02-1" in page


def test_head_signs_closure_numbered_and_registered(client: Any, db: Any, login_as: Any) -> None:
    person = factories.make_client()
    form = {
        "reason": "died",
        "closed_on": "2026-06-01",
        "final_assessment": "Klien meninggal dunia karena sakit.",
        "letter_number": "W15/KETIK/9",
        "override_reason": "",
    }
    login_as("kabapas.madiun")
    refused = client.post(f"/pengawasan/klien/{person.id}/pengakhiran", data=form)
    assert refused.status_code == 200
    assert "Nomor diketik sendiri hanya sebagai pengecualian" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Closure).where(Closure.client_id == person.id)) is None
    form["letter_number"] = ""
    assert client.post(f"/pengawasan/klien/{person.id}/pengakhiran", data=form).status_code == 302
    closure = db.session.scalar(select(Closure).where(Closure.client_id == person.id))
    assert closure.letter_number == "W15.PAS.PAS42-PK.01.05.02-1"
    register = client.get("/pengawasan/register-surat").get_data(as_text=True)
    assert "W15.PAS.PAS42-PK.01.05.02-1" in register
    assert f"Surat pengakhiran a.n. {person.code}" in register
    login_as("pk.madiun")
    assert client.get("/pengawasan/register-surat").status_code == 403


def test_override_with_reason_is_shown_in_the_register(client: Any, db: Any, login_as: Any) -> None:
    person = factories.make_client()
    login_as("kabapas.madiun")
    response = client.post(
        f"/pengawasan/klien/{person.id}/pengakhiran",
        data={
            "reason": "died",
            "closed_on": "2026-06-01",
            "final_assessment": "Klien meninggal dunia karena sakit.",
            "letter_number": "W15/KETIK/9",
            "override_reason": "Surat sudah dikirim dengan nomor dari agenda manual.",
        },
    )
    assert response.status_code == 302
    register = client.get("/pengawasan/register-surat").get_data(as_text=True)
    assert "W15/KETIK/9" in register
    assert "Surat sudah dikirim dengan nomor dari agenda manual." in register


# --- parallel signings (PostgreSQL) ----------------------------------------------------------

SIGNERS = 8


@pytest.fixture
def numbered_bapas(app: Flask, committed_world: World) -> Any:
    """Bapas Madiun with a pattern, committed; its numbers and audit rows removed afterwards."""
    needs_postgresql(app)
    with app.app_context():
        w = committed_world.open()
        w.letter_pattern("PARALEL-{seq}")
        db.session.commit()
        return {"bapas": w.bapas.id, "head": w.user("kabapas.madiun").id}


@pytest.mark.postgres
def test_parallel_signings_get_distinct_numbers(app: Flask, numbered_bapas: Any) -> None:
    def sign() -> str:
        head = db.session.get(User, numbered_bapas["head"])
        entry = numbering.assign_number(numbered_bapas["bapas"], "closure", date(2026, 6, 1), head)
        return entry.number

    outcomes = race(app, [sign] * SIGNERS)
    assert sorted(outcomes) == sorted(f"PARALEL-{i}" for i in range(1, SIGNERS + 1))
