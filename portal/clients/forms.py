"""Web forms for receiving and profiling a client. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    FileField,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from portal.clients.validation import (
    DOCUMENT_CHECKS,
    REPLACED_PENALTY_KINDS,
    SUMMONS_OUTCOMES,
    ClientData,
)
from portal.codes import INDIVIDUAL_ASSESSMENT_KINDS, JOB_CATEGORIES, SECTORS, SPECIAL_NEEDS
from portal.forms import (
    BaseForm,
    DateField,
    LetterNumberField,
    MultiCheckboxField,
    SubForm,
    TimeTextField,
)


class DayForm(SubForm):
    """One weekday's window: empty when the client cannot work that day."""

    start = TimeTextField("Mulai", validators=[Optional()], render_kw={"placeholder": "08:00"})
    end = TimeTextField("Selesai", validators=[Optional()], render_kw={"placeholder": "12:00"})


class PlaceForm(SubForm):
    """A victim's place (home, work), picked on the map."""

    label = StringField("Keterangan", validators=[Optional()])
    lat = StringField("Lintang", validators=[Optional()])
    lng = StringField("Bujur", validators=[Optional()])


def _float(text: str | None) -> float | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return float("nan")


class ClientForm(BaseForm):
    """Registration and profile of a client (Pedoman 2.1, 2.2)."""

    # identity
    full_name = StringField("Nama lengkap")
    nik = StringField("NIK", validators=[Optional()])
    birth_place = StringField("Tempat lahir", validators=[Optional()])
    birth_date = DateField("Tanggal lahir", validators=[Optional()])
    sex = SelectField("Jenis kelamin", choices=[("", "—"), ("L", "Laki-laki"), ("P", "Perempuan")])
    religion = StringField("Agama", validators=[Optional()])
    address = StringField("Alamat")
    home_lat = HiddenField()
    home_lng = HiddenField()
    father_name = StringField("Nama ayah", validators=[Optional()])
    mother_name = StringField("Nama ibu", validators=[Optional()])
    physical_marks = StringField("Ciri-ciri fisik", validators=[Optional()])
    fingerprints_taken = BooleanField("Sidik jari sudah diambil")
    is_child = BooleanField("Klien anak (UU 11/2012 SPPA)")
    offence_date = DateField("Tanggal tindak pidana", validators=[Optional()])
    replaced_penalty_kind = SelectField(
        "Pidana yang diganti (KUHP Pasal 85 ayat 7)",
        choices=[("", "— belum dicatat —"), *REPLACED_PENALTY_KINDS.items()],
        validators=[Optional()],
    )
    replaced_penalty_months = IntegerField("Lama pidana penjara (bulan)", validators=[Optional()])
    replaced_penalty_amount = IntegerField("Besar pidana denda (Rp)", validators=[Optional()])
    # court decision and execution
    decision_number = StringField("Nomor putusan")
    decision_date = DateField("Tanggal putusan", validators=[Optional()])
    court = StringField("Pengadilan")
    execution_order_number = StringField("Nomor surat eksekusi", validators=[Optional()])
    execution_order_date = DateField("Tanggal surat eksekusi", validators=[Optional()])
    hours_ordered = IntegerField("Jumlah jam kerja sosial", validators=[Optional()])
    start_date = DateField("Tanggal mulai", validators=[Optional()])
    deadline = DateField("Batas waktu selesai", validators=[Optional()])
    document_checks = MultiCheckboxField(
        "Keaslian dokumen (putusan dan surat eksekusi)", choices=list(DOCUMENT_CHECKS.items())
    )
    pk_id = SelectField("PK yang ditunjuk", choices=[], coerce=str, validate_choice=False)
    # profile
    occupation = StringField("Pekerjaan", validators=[Optional()])
    profession_sector = SelectField(
        "Bidang profesi", choices=list(SECTORS.items()), default="other"
    )
    offence = StringField("Tindak pidana")
    offence_via_profession = BooleanField("Tindak pidana dilakukan melalui profesinya")
    victim_places = FieldList(FormField(PlaceForm), min_entries=2, max_entries=2)
    max_travel_km = StringField("Jarak tempuh terjauh (km)", validators=[Optional()])
    dependants = IntegerField("Jumlah tanggungan", validators=[Optional()], default=0)
    special_needs = MultiCheckboxField("Kebutuhan khusus", choices=list(SPECIAL_NEEDS.items()))
    skills = MultiCheckboxField("Minat dan keahlian", choices=list(JOB_CATEGORIES.items()))
    interests = TextAreaField("Minat dan bakat (catatan)", validators=[Optional()])
    available = FieldList(FormField(DayForm), min_entries=7, max_entries=7)
    health_cleared = BooleanField("Sehat / ada surat keterangan dokter", default=True)
    requests_prayer_room = BooleanField("Klien meminta ruang ibadah di lokasi kerja")
    physical_risk_skill = StringField(
        "Keahlian pekerjaan berisiko fisik (mis. sertifikat K3)", validators=[Optional()]
    )
    vulnerable_contact_exception = BooleanField(
        "Pengecualian: boleh berinteraksi dengan kelompok rentan"
    )
    vulnerable_contact_reason = TextAreaField("Alasan pengecualian", validators=[Optional()])
    notes = TextAreaField("Catatan", validators=[Optional()])

    def fill_from(self, data: ClientData) -> None:
        """Put stored data into the form (GET of the edit page)."""
        for name in [
            "full_name",
            "nik",
            "birth_place",
            "birth_date",
            "sex",
            "religion",
            "address",
            "father_name",
            "mother_name",
            "physical_marks",
            "fingerprints_taken",
            "is_child",
            "offence_date",
            "replaced_penalty_kind",
            "replaced_penalty_months",
            "replaced_penalty_amount",
            "decision_number",
            "decision_date",
            "court",
            "execution_order_number",
            "execution_order_date",
            "hours_ordered",
            "start_date",
            "deadline",
            "occupation",
            "profession_sector",
            "offence",
            "offence_via_profession",
            "dependants",
            "special_needs",
            "skills",
            "interests",
            "health_cleared",
            "requests_prayer_room",
            "physical_risk_skill",
            "vulnerable_contact_exception",
            "vulnerable_contact_reason",
            "notes",
        ]:
            getattr(self, name).data = getattr(data, name)
        self.home_lat.data = "" if data.home_lat is None else str(data.home_lat)
        self.home_lng.data = "" if data.home_lng is None else str(data.home_lng)
        self.max_travel_km.data = "" if data.max_travel_km is None else str(data.max_travel_km)
        self.document_checks.data = [k for k, v in data.document_checks.items() if v]
        self.pk_id.data = str(data.pk_id or "")
        for i, entry in enumerate(self.victim_places.entries):
            place = data.victim_places[i] if i < len(data.victim_places) else {}
            entry.form.label.data = place.get("label", "")
            entry.form.lat.data = str(place.get("lat", "") or "")
            entry.form.lng.data = str(place.get("lng", "") or "")
        for entry in self.available.entries:
            entry.form.start.data = entry.form.end.data = ""
        for item in data.available:
            day = self.available.entries[int(item["weekday"])].form
            day.start.data, day.end.data = item["start"], item["end"]

    def to_data(self) -> ClientData:
        """The form's content as the service's input."""
        available = []
        for weekday, entry in enumerate(self.available.entries):
            start, end = (entry.form.start.data or "").strip(), (entry.form.end.data or "").strip()
            if start or end:
                available.append({"weekday": weekday, "start": start, "end": end})
        victims = []
        for entry in self.victim_places.entries:
            lat, lng = _float(entry.form.lat.data), _float(entry.form.lng.data)
            if lat is not None or lng is not None:
                victims.append(
                    {"label": (entry.form.label.data or "").strip(), "lat": lat, "lng": lng}
                )
        pk = self.pk_id.data or ""
        return ClientData(
            full_name=self.full_name.data or "",
            nik=self.nik.data,
            birth_place=(self.birth_place.data or "").strip(),
            birth_date=self.birth_date.data,
            sex=self.sex.data or "",
            religion=(self.religion.data or "").strip(),
            address=self.address.data or "",
            home_lat=_float(self.home_lat.data),
            home_lng=_float(self.home_lng.data),
            father_name=(self.father_name.data or "").strip(),
            mother_name=(self.mother_name.data or "").strip(),
            physical_marks=(self.physical_marks.data or "").strip(),
            fingerprints_taken=bool(self.fingerprints_taken.data),
            is_child=bool(self.is_child.data),
            offence_date=self.offence_date.data,
            replaced_penalty_kind=self.replaced_penalty_kind.data or "",
            replaced_penalty_months=self.replaced_penalty_months.data,
            replaced_penalty_amount=self.replaced_penalty_amount.data,
            decision_number=self.decision_number.data or "",
            decision_date=self.decision_date.data,
            court=self.court.data or "",
            execution_order_number=(self.execution_order_number.data or "").strip(),
            execution_order_date=self.execution_order_date.data,
            hours_ordered=self.hours_ordered.data,
            start_date=self.start_date.data,
            deadline=self.deadline.data,
            document_checks={k: True for k in self.document_checks.data or []},
            occupation=self.occupation.data or "",
            profession_sector=self.profession_sector.data or "other",
            offence=self.offence.data or "",
            offence_via_profession=bool(self.offence_via_profession.data),
            victim_places=victims,
            max_travel_km=_float(self.max_travel_km.data),
            dependants=self.dependants.data or 0,
            special_needs=list(self.special_needs.data or []),
            skills=list(self.skills.data or []),
            interests=(self.interests.data or "").strip(),
            available=available,
            health_cleared=bool(self.health_cleared.data),
            requests_prayer_room=bool(self.requests_prayer_room.data),
            physical_risk_skill=(self.physical_risk_skill.data or "").strip(),
            vulnerable_contact_exception=bool(self.vulnerable_contact_exception.data),
            vulnerable_contact_reason=(self.vulnerable_contact_reason.data or "").strip(),
            notes=(self.notes.data or "").strip(),
            pk_id=int(pk) if pk.isdigit() else None,
        )

    def show_errors(self, errors: dict[str, list[str]]) -> dict[str, list[str]]:
        """Attach the service's messages to their fields; return those without a field."""
        where = {"home": "address", "victim_places": None, "available": None}
        loose: dict[str, list[str]] = {}
        for name, messages in errors.items():
            target = where.get(name, name)
            field = getattr(self, target, None) if target else None
            if field is None or not hasattr(field, "errors") or isinstance(field, FieldList):
                loose.setdefault(name, []).extend(messages)
                continue
            if not isinstance(field.errors, list):
                field.errors = list(field.errors)
            field.errors.extend(messages)
        return loose


class SummonsForm(BaseForm):
    """A summons by the Kepala Bapas when the client is not handed over."""

    sent_on = DateField("Tanggal panggilan", validators=[Optional()])
    outcome = SelectField("Hasil", choices=list(SUMMONS_OUTCOMES.items()))
    note = StringField("Catatan", validators=[Optional()])


class AssignPkForm(BaseForm):
    """The Kepala Bapas's surat perintah appointing a PK."""

    pk_id = SelectField("PK", choices=[], coerce=str, validate_choice=False)
    appointment_number = StringField("Nomor surat perintah", validators=[Optional()])
    appointed_on = DateField("Tanggal surat perintah", validators=[Optional()])


# --- Rencana Kerja stage 1: Litmas, individual assessments, recommendation ----------


class StageOneForm(BaseForm):
    """Shared: attach the service's messages to the fields."""

    def show_errors(self, errors: dict[str, list[str]]) -> dict[str, list[str]]:
        """Attach messages to their fields; return those without a field."""
        loose: dict[str, list[str]] = {}
        for name, messages in errors.items():
            field = getattr(self, name, None)
            if field is None or not hasattr(field, "errors"):
                loose.setdefault(name, []).extend(messages)
                continue
            field.errors = [*field.errors, *messages]
        return loose

    def values(self) -> dict[str, Any]:
        """The typed fields as the recording functions take them (dates as read, text or "")."""
        return {
            field.name: field.data if isinstance(field, DateField) else field.data or ""
            for field in self
            if field.name != self.meta.csrf_field_name and not isinstance(field, FileField)
        }


class LitmasForm(StageOneForm):
    """A Laporan Litmas."""

    number = LetterNumberField("Nomor Litmas")
    made_on = DateField("Tanggal Litmas", validators=[Optional()])
    social_summary = TextAreaField(
        "Ringkasan data sosial dan keluarga", validators=[Optional(), Length(max=8000)]
    )
    intervention_history = TextAreaField(
        "Rekam intervensi (Litmas, case plan dan intervensi terdahulu yang dipelajari)",
        validators=[Optional(), Length(max=8000)],
    )
    recommendation = TextAreaField("Rekomendasi", validators=[Optional(), Length(max=4000)])
    document = FileField("Berkas Litmas bertanda tangan (PDF, opsional)")


class IndividualAssessmentForm(StageOneForm):
    """A social, psychological or skills assessment."""

    kind = SelectField(
        "Jenis asesmen",
        choices=[("", "— pilih —"), *INDIVIDUAL_ASSESSMENT_KINDS.items()],
        validators=[Optional()],
    )
    assessed_on = DateField("Tanggal asesmen", validators=[Optional()])
    findings = TextAreaField("Hasil asesmen", validators=[Optional(), Length(max=8000)])


class JudgeRecommendationForm(StageOneForm):
    """The recommendation of kerja sosial sent to the judge."""

    sent_on = DateField("Tanggal dikirim", validators=[Optional()])
    court = StringField("Pengadilan", validators=[Optional(), Length(max=160)])
    content = TextAreaField("Isi rekomendasi", validators=[Optional(), Length(max=4000)])
