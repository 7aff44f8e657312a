"""Build a database at real size for the page benchmarks (run by hand, not in CI).

    python bench/scale_data.py DATABASE_URL [--copies N]

One Bapas at full size, built on the seeds and the demo accounts (Bapas Madiun
with Pemkab Ngawi, so every demo role signs in to it):

* 5,000 published slots in the eight Ngawi OPDs (capacity 3);
* 2,000 clients split between ``pk.madiun`` and ``pk2.madiun``: 1,200 with a
  running placement of 240 h started over the last year, 600 who served their
  240 h, 200 waiting for a placement;
* one attendance row per scheduled weekday (60 minutes each, the last two of a
  running placement not yet verified): about 300,000 rows for the year, each with
  the recorded work session it came from.

``--copies N`` then adds N-1 more Bapas and Pemda with the same caseload, copied
in SQL (``INSERT ... SELECT`` with ids shifted by a fixed offset), so N = 10 is a
province and also "ten times the records" for the growth measure. Works on
SQLite and PostgreSQL; the target database must be empty (its schema is created
here with the migrations).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import String, false, insert, literal, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import clock, create_app  # noqa: E402
from portal.demo import create_demo_accounts  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Agreement, Attendance, Client, Opd, Placement, Slot, User  # noqa: E402
from portal.models.attendance import recount_months  # noqa: E402
from portal.models.placement import fill_keys, recount_seats  # noqa: E402
from portal.models.work_session import WorkSession, recount_sessions  # noqa: E402
from portal.seeding import load_seeds  # noqa: E402

TODAY = date(2026, 11, 23)
N_SLOTS, N_RUNNING, N_SERVED, N_WAITING = 5000, 1200, 600, 200
HOURS = 240
# The staff of a Bapas of this size besides the demo accounts: 30 PKs in all (about 70
# clients each) and, in each of its Pemda's OPDs, an administrator and two site
# supervisors. The admin's user list is then a full page in one Bapas as in ten.
STAFF_PKS, STAFF_PER_OPD = 28, 3
SESSION_MINUTES = 60
# Ids of copy k are the original's plus k * OFFSET (room for 10 million rows each).
OFFSET = 10_000_000


def build_bapas() -> dict[str, int]:
    """Insert the one full-size Bapas with Core bulk inserts; return counts."""
    opds = list(db.session.scalars(select(Opd).where(Opd.code.like("NGAWI-%")).order_by(Opd.id)))
    agreement = db.session.scalar(select(Agreement).where(Agreement.pemda_id == opds[0].pemda_id))
    users = {u.username: u for u in db.session.scalars(select(User))}
    pj = users["pj.dinsos"]
    dinsos = next(o for o in opds if o.code == "NGAWI-DINSOS")
    now = datetime.now(UTC)
    schedule = [{"weekday": d, "start": "08:00", "end": "09:00"} for d in range(5)]
    db.session.execute(insert(Slot), [
        dict(opd_id=opds[i % len(opds)].id, agreement_id=agreement.id, title=f"Lokasi uji {i}",
             category="environment_cleaning", place_type="government", sector="environment",
             address=f"Jl. Uji No. {i}, Ngawi", lat=-7.35 - (i % 100) * 0.002,
             lng=111.35 + (i // 100) * 0.004, capacity=3, schedule=schedule,
             valid_from=date(2025, 11, 24), valid_until=date(2026, 11, 27),
             supervisor_name="PJ uji", status="published", unpaid_confirmed=True,
             tasks="Membersihkan taman", description="", supervisor_position="",
             supervisor_phone="", facilities=["prayer_room"], risks=[], physical_risk_skill="",
             supervisor_user_id=pj.id if opds[i % len(opds)].id == dinsos.id else None,
             created_at=now, updated_at=now, published_at=now)
        for i in range(N_SLOTS)
    ])  # fmt: skip
    slot_ids = list(db.session.scalars(select(Slot.id).order_by(Slot.id)))
    add_staff(users["pk.madiun"], opds, now)
    pks = [users["pk.madiun"].id, users["pk2.madiun"].id]
    n_clients = N_RUNNING + N_SERVED + N_WAITING
    # Running placements started between 3 weeks and a year ago; served ones a year ago.
    starts = [TODAY - timedelta(days=21 + (i * 344) // N_RUNNING) for i in range(N_RUNNING)]
    starts += [TODAY - timedelta(days=364 - (i % 20)) for i in range(N_SERVED)]
    starts += [TODAY - timedelta(days=i % 30) for i in range(N_WAITING)]
    states = ["active"] * N_RUNNING + ["completed"] * N_SERVED + ["registered"] * N_WAITING
    db.session.execute(insert(Client), [
        dict(bapas_id=users["pk.madiun"].bapas_id, code=f"MDN-2026-{i + 1:04d}",
             status=states[i], full_name=f"Klien Uji {i}", birth_date=date(1990, 1, 1), sex="L",
             address="Ngawi", decision_number=f"UJI/{i}",
             decision_date=starts[i] - timedelta(days=14), court="Pengadilan Negeri Ngawi",
             hours_ordered=HOURS, start_date=starts[i], deadline=starts[i] + timedelta(days=400),
             offence="Pencurian ringan", pk_id=pks[i % 2], created_at=now, updated_at=now,
             birth_place="Ngawi", religion="", father_name="", mother_name="", physical_marks="",
             fingerprints_taken=False, is_child=False, execution_order_number="",
             document_checks={}, appointment_number="", occupation="", profession_sector="other",
             offence_via_profession=False, victim_places=[], dependants=0, special_needs=[],
             skills=[], interests="", available=schedule, health_cleared=True,
             vulnerable_contact_exception=False, vulnerable_contact_reason="", notes="")
        for i in range(n_clients)
    ])  # fmt: skip
    client_ids = list(db.session.scalars(select(Client.id).order_by(Client.id)))
    placed = N_RUNNING + N_SERVED
    db.session.execute(insert(Placement), [
        dict(client_id=client_ids[k], slot_id=slot_ids[(k * 7) % len(slot_ids)],
             status="active" if k < N_RUNNING else "completed", start_date=starts[k],
             deadline=starts[k] + timedelta(days=400), schedule=schedule, hours_planned=HOURS,
             booked_at=now, decision_reason="", end_reason="", booked_by_id=pks[k % 2])
        for k in range(placed)
    ])  # fmt: skip
    recount_seats(db.session.connection(), slot_ids)  # bulk rows bypass the ORM's upkeep
    fill_keys(db.session.connection())
    placements = list(
        db.session.execute(select(Placement.id, Placement.status, Placement.start_date))
    )
    t_in, t_out = dtime(8, 0), dtime(9, 0)
    total = 0
    batch: list[dict[str, object]] = []
    for pid, status, start in placements:
        days: list[date] = []
        day = start
        while day < TODAY and len(days) < HOURS * 60 // SESSION_MINUTES:
            if day.weekday() < 5:
                days.append(day)
            day += timedelta(days=1)
        for n, work_date in enumerate(days):
            batch.append(dict(placement_id=pid, work_date=work_date, time_in=t_in, time_out=t_out,
                              minutes=SESSION_MINUTES, activity="Membersihkan taman",
                              verified=status == "completed" or n < len(days) - 2,
                              recorded_at=now, correction_reason=""))  # fmt: skip
        if len(batch) > 50_000:
            db.session.execute(insert(Attendance), batch)
            total += len(batch)
            batch = []
    if batch:
        db.session.execute(insert(Attendance), batch)
        total += len(batch)
    # Each attendance day was a planned session whose outcome the site recorded.
    db.session.execute(
        insert(WorkSession).from_select(
            ["placement_id", "client_id", "bapas_id", "opd_id", "session_date", "start", "end",
             "minutes", "status", "outcome", "reason_code", "reason", "attendance_id", "makeup",
             "cancel_reason", "created_at"],
            select(Attendance.placement_id, Placement.client_id, Client.bapas_id, Slot.opd_id,
                   Attendance.work_date, Attendance.time_in, Attendance.time_out,
                   Attendance.minutes, literal("recorded"), literal("attended"), literal(""),
                   literal(""), Attendance.id, false(), literal(""), literal(now))
            .join(Placement, Placement.id == Attendance.placement_id)
            .join(Client, Client.id == Placement.client_id)
            .join(Slot, Slot.id == Placement.slot_id),
        )
    )  # fmt: skip
    recount_sessions(db.session.connection())  # bulk rows bypass the ORM's upkeep
    recount_months(db.session.connection())
    db.session.commit()
    return {"slots": N_SLOTS, "clients": n_clients, "placements": placed, "attendance": total}


def add_staff(pk: User, opds: list[Opd], now: datetime) -> None:
    """The Bapas's other PKs and the OPDs' staff (``STAFF_PKS``, ``STAFF_PER_OPD``)."""
    common = dict(password_hash=pk.password_hash, enabled=True, session_version=1,
                  phone="", nip=None, created_at=now)  # fmt: skip
    rows = [
        dict(common, username=f"pk{n}.uji", full_name=f"PK Uji {n}", role="pk",
             bapas_id=pk.bapas_id, email=f"pk{n}.uji@demo.invalid",
             position="Pembimbing Kemasyarakatan Pertama")
        for n in range(1, STAFF_PKS + 1)
    ]  # fmt: skip
    for opd in opds:
        for n in range(STAFF_PER_OPD):
            role, position = ("opd_admin", "Kasubag Umum") if n == 0 else (
                "site_supervisor", "Pengawas Lapangan")  # fmt: skip
            name = f"{opd.code.lower()}.{n}"
            rows.append(dict(common, username=name, full_name=f"Staf {opd.short_name} {n}",
                             role=role, opd_id=opd.id, email=f"{name}@demo.invalid",
                             position=position))  # fmt: skip
    db.session.execute(insert(User), rows)


# Tables copied for each further Bapas, with the rows that belong to the original one.
COPIED: list[tuple[str, str]] = [
    ("bapas", "id = :bapas"),
    ("pemda", "id = :pemda"),
    ("opd", "pemda_id = :pemda"),
    ("agreement", "id = :agreement"),
    (
        "user_account",
        "bapas_id = :bapas OR pemda_id = :pemda"
        " OR opd_id IN (SELECT id FROM opd WHERE pemda_id = :pemda)",
    ),
    ("slot", "agreement_id = :agreement"),
    ("client", "bapas_id = :bapas"),
    ("placement", "client_id IN (SELECT id FROM client WHERE bapas_id = :bapas)"),
    (
        "attendance",
        "placement_id IN (SELECT p.id FROM placement p JOIN client c ON c.id = p.client_id"
        " WHERE c.bapas_id = :bapas)",
    ),
    ("work_session", "client_id IN (SELECT id FROM client WHERE bapas_id = :bapas)"),
]


def copy_bapas(k: int, ids: dict[str, int]) -> None:
    """Copy the original Bapas, its Pemda and their records as copy number ``k``."""
    tables = db.metadata.tables
    names = {name for name, _ in COPIED}
    off = k * OFFSET
    for name, where in COPIED:
        table = tables[name]
        unique = {c.name for c in table.columns if c.unique} | {
            col.name
            for con in table.constraints
            if con.__class__.__name__ == "UniqueConstraint" and len(con.columns) == 1
            for col in con.columns
        }
        cols, exprs = [], []
        for col in table.columns:
            cols.append(f'"{col.name}"')
            fk_tables = {fk.column.table.name for fk in col.foreign_keys}
            if col.primary_key or fk_tables & names:
                exprs.append(f'"{col.name}" + {off}')
            elif col.name in unique and isinstance(col.type, String):
                length = col.type.length or 200
                exprs.append(f"substr(\"{col.name}\", 1, {length - 3}) || '-{k}'")
            elif name in ("bapas", "pemda", "opd") and col.name == "name":
                exprs.append(f"\"{col.name}\" || ' (salinan {k})'")
            else:
                exprs.append(f'"{col.name}"')
        head, body = ", ".join(cols), ", ".join(exprs)
        sql = f'INSERT INTO "{name}" ({head}) SELECT {body} FROM "{name}" WHERE {where} AND id < {OFFSET}'  # noqa: E501, S608 - names from the model metadata, values bound
        db.session.execute(text(sql), ids)
    db.session.commit()


def fix_sequences() -> None:
    """On PostgreSQL, move each id sequence past the copied ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for name, _ in COPIED:
        sql = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"  # noqa: E501, S608 - names from the list above
        db.session.execute(text(sql))
    db.session.commit()


def main() -> None:
    """Create the schema, the seeds, the demo accounts and the records."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="e.g. sqlite:////tmp/bapas.db or postgresql+psycopg://...")
    parser.add_argument("--copies", type=int, default=1, help="number of Bapas (10: a province)")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "bench",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})  # fmt: skip
    clock.freeze(TODAY)
    with app.app_context():
        t0 = time.perf_counter()
        upgrade()
        load_seeds()
        create_demo_accounts()
        counts = build_bapas()
        print(f"one Bapas: {counts} in {time.perf_counter() - t0:.0f} s", flush=True)
        pk = db.session.scalar(select(User).where(User.username == "pk.madiun"))
        agreement = db.session.scalar(
            select(Agreement).where(Agreement.bapas_id == pk.bapas_id).order_by(Agreement.id)
        )
        ids = {"bapas": pk.bapas_id, "pemda": agreement.pemda_id, "agreement": agreement.id}
        for k in range(1, args.copies):
            t1 = time.perf_counter()
            copy_bapas(k, ids)
            print(f"copy {k}: {time.perf_counter() - t1:.0f} s", flush=True)
        fix_sequences()
        n = db.session.scalar(text("SELECT count(*) FROM attendance"))
        print(f"total attendance rows: {n}")
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # The statistics autovacuum would gather soon after a bulk load, gathered now.
            # (SQLite gathers none unless told: its file is measured as it comes.)
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM ANALYZE"
                )


if __name__ == "__main__":
    main()
