"""The case plan of a placement (Pedoman 2.2.6 f): prefilled, edited by the PK, printed as
Lampiran I (Tempat Kerja Sosial Klien)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

from sqlalchemy import select

from portal import audit, clock
from portal.codes import SPECIAL_NEEDS
from portal.documents.pdf import render_pdf
from portal.extensions import db
from portal.matching.profiles import windows_from_dicts
from portal.matching.rules import tanggal
from portal.models import CasePlan, Placement, User
from portal.refusals import Refused
from portal.slots.rules import place_name

PARTS: list[tuple[str, str]] = [
    ("place", "1. Tempat pelaksanaan"),
    ("institution", "2. Instansi"),
    ("total_hours", "3. Jumlah jam kerja sosial"),
    ("schedule", "4. Jadwal (hari dan jam)"),
    ("supervisor", "5. Penanggung jawab di lokasi"),
    ("work_description", "6. Uraian pekerjaan"),
    ("pk_visits", "7. Rencana kunjungan PK"),
    ("counselling", "8. Rencana konseling"),
    ("evaluation", "9. Rencana evaluasi"),
    ("special_needs", "10. Kebutuhan khusus klien"),
]
KINDS = {"government": "Instansi pemerintah", "non_government": "Lembaga non-pemerintah"}


@dataclass
class CasePlanData:
    """The ten parts as text (hours as a number)."""

    place: str = ""
    institution: str = ""
    institution_kind: str = "government"
    total_hours: int | None = None
    schedule: str = ""
    supervisor: str = ""
    work_description: str = ""
    pk_visits: str = ""
    counselling: str = ""
    evaluation: str = ""
    special_needs: str = ""


def _schedule_text(items: list[dict]) -> str:
    try:
        return ", ".join(w.label() for w in windows_from_dicts(items))
    except ValueError:
        return ""


def _every(start: date, end: date, step_days: int) -> list[date]:
    days, day = [], start + timedelta(days=step_days)
    while day <= end:
        days.append(day)
        day += timedelta(days=step_days)
    return days


def prefill(p: Placement) -> CasePlanData:
    """The plan as the placement and the client's profile suggest it."""
    slot, client = p.slot, p.client
    visits = _every(p.start_date, p.deadline, 14)
    counselling = _every(p.start_date, p.deadline, 30)
    quarter, three_quarters = round(p.hours_planned / 4), round(p.hours_planned * 3 / 4)
    needs = [SPECIAL_NEEDS[n] for n in client.special_needs or [] if n in SPECIAL_NEEDS]
    if client.religion:
        needs.append(f"Tempat ibadah ({client.religion})")
    supervisor = slot.supervisor_name
    if slot.supervisor_position:
        supervisor += f", {slot.supervisor_position}"
    if slot.supervisor_phone:
        supervisor += f" (telp. {slot.supervisor_phone})"
    return CasePlanData(
        place=place_name(slot.title, slot.opd.name),
        institution=f"{slot.opd.name}, {slot.opd.pemda.name}",
        institution_kind="non_government" if slot.place_type == "non_government" else "government",
        total_hours=p.hours_planned,
        schedule=f"{_schedule_text(p.schedule)}; mulai {tanggal(p.start_date)}, "
        f"selesai paling lambat {tanggal(p.deadline)}.",
        supervisor=supervisor,
        work_description=slot.tasks or slot.description,
        pk_visits="Kunjungan PK ke lokasi setiap dua minggu: "
        + ", ".join(tanggal(d) for d in visits)
        + ("." if visits else "sesuai kebutuhan."),
        counselling="Konseling individu oleh PK setiap bulan: "
        + ", ".join(tanggal(d) for d in counselling)
        + ("." if counselling else "sesuai kebutuhan."),
        evaluation=f"Evaluasi pada seperempat pidana (sekitar {quarter} jam), tiga perempat "
        f"pidana (sekitar {three_quarters} jam), dan evaluasi akhir setelah "
        f"{p.hours_planned} jam terpenuhi.",
        special_needs="; ".join(needs) or "Tidak ada.",
    )


def case_plan_of(p: Placement) -> CasePlan | None:
    """The saved plan of the placement, if any."""
    return db.session.scalar(select(CasePlan).where(CasePlan.placement_id == p.id))


def current_data(p: Placement) -> CasePlanData:
    """The saved plan, or the prefilled one."""
    plan = case_plan_of(p)
    if plan is None:
        return prefill(p)
    return CasePlanData(**{f.name: getattr(plan, f.name) for f in fields(CasePlanData)})


def save_case_plan(p: Placement, data: CasePlanData, actor: User) -> CasePlan:
    """Validate and store the plan; refused input saves nothing."""
    errors: dict[str, list[str]] = {}
    for f in fields(CasePlanData):
        value = getattr(data, f.name)
        if isinstance(value, str):
            setattr(data, f.name, value.strip())
            if not value.strip():
                errors[f.name] = ["Wajib diisi."]
            elif len(value) > 4000:
                errors[f.name] = ["Maksimal 4000 karakter."]
    if data.institution_kind not in KINDS:
        errors["institution_kind"] = ["Pilih jenis instansi."]
    remaining = p.client.hours_ordered
    if data.total_hours is None or not 1 <= data.total_hours <= remaining:
        errors["total_hours"] = [f"Jumlah jam 1 sampai {remaining} (jam pidana klien)."]
    if len(data.institution) > 300:
        errors["institution"] = ["Maksimal 300 karakter."]
    if errors:
        raise Refused(errors)
    plan = case_plan_of(p)
    if plan is None:
        plan = CasePlan(placement_id=p.id)
        db.session.add(plan)
    for f in fields(CasePlanData):
        setattr(plan, f.name, getattr(data, f.name))
    plan.updated_by_id = actor.id
    audit.note(p, "case_plan_saved")
    return plan


def lampiran_i_pdf(p: Placement) -> bytes:
    """Lampiran I: Tempat Kerja Sosial Klien, with the ten parts of the plan."""
    client = p.client
    data = current_data(p)
    return render_pdf(
        "documents/lampiran_i.html",
        bapas=client.bapas,
        doc_ref=f"Lampiran I · {client.code}",
        client=client,
        placement=p,
        slot=p.slot,
        place=place_name(p.slot.title, p.slot.opd.name),
        plan=data,
        parts=PARTS,
        kind=KINDS.get(data.institution_kind, ""),
        printed_on=tanggal(clock.today()),
        pk=client.pk,
    )
