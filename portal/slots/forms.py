"""The slot form: fields, a weekly schedule editor and the coordinates from the map picker.

The form only parses input into plain values; the rules live in portal.slots.rules
and are enforced by the services, whose refusals the route puts next to the fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from portal import codes
from portal.forms import (
    BaseForm,
    DateField,
    MultiCheckboxField,
    SubForm,
    TimeTextField,
    show_refused,
)
from portal.models import Slot, User
from portal.refusals import Forbidden, Refused
from portal.slots.services import EDITABLE_FIELDS

EXTRA_WINDOWS = 2  # blank schedule rows offered below the filled ones (works without JS)
REQUIRED = (
    "title",
    "category",
    "place_type",
    "sector",
    "address",
    "capacity",
    "valid_from",
    "valid_until",
    "supervisor_name",
)


def _choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class WindowForm(SubForm):
    """One window of the weekly schedule: a day and the hours."""

    weekday = SelectField(
        "Hari",
        choices=_choices([("", "— hari —")] + [(str(i), d) for i, d in enumerate(codes.WEEKDAYS)]),
        validators=[Optional()],
    )
    start = TimeTextField("Mulai", validators=[Optional()])
    end = TimeTextField("Selesai", validators=[Optional()])

    def is_blank(self) -> bool:
        """True when the row was left empty."""
        return not (self.weekday.data or self.start.data or self.end.data)


class SlotForm(BaseForm):
    """Create or edit a slot of the user's own OPD."""

    title = StringField("Judul lokasi kerja", validators=[Length(max=200)])
    category = SelectField("Kategori pekerjaan (katalog)", validators=[Optional()])
    tasks = TextAreaField("Tugas konkret", render_kw={"rows": 3})
    description = TextAreaField("Keterangan", render_kw={"rows": 3})
    place_type = SelectField("Jenis tempat (Pedoman tabel 1)", validators=[Optional()])
    sector = SelectField("Bidang", validators=[Optional()])
    address = StringField("Alamat", validators=[Length(max=300)])
    lat = FloatField("Lintang", validators=[Optional()], render_kw={"step": "any"})
    lng = FloatField("Bujur", validators=[Optional()], render_kw={"step": "any"})
    capacity = IntegerField(
        "Kapasitas (klien sekaligus)", validators=[Optional()], render_kw={"min": 1}
    )
    schedule = FieldList(FormField(WindowForm), min_entries=1)
    valid_from = DateField("Berlaku mulai", validators=[Optional()])
    valid_until = DateField("Berlaku sampai", validators=[Optional()])
    supervisor_name = StringField("Nama penanggung jawab", validators=[Length(max=160)])
    supervisor_position = StringField("Jabatan", validators=[Length(max=160)])
    supervisor_phone = StringField("Telepon", validators=[Length(max=40)])
    supervisor_user_id = SelectField("Akun penanggung jawab (opsional)", validators=[Optional()])
    # complaint_channel is not ticked: it follows the channel named below.
    facilities = MultiCheckboxField(
        "Fasilitas",
        choices=_choices((k, v) for k, v in codes.FACILITIES.items() if k != "complaint_channel"),
        validators=[Optional()],
    )
    complaint_contact = StringField(
        "Media keluhan/pengaduan bagi klien (Pedoman 2.3.1 f.3)",
        validators=[Length(max=300)],
        description="Mis. kotak pengaduan di lobi, WhatsApp 0812… (petugas), wajib untuk terbit.",
    )
    risks = MultiCheckboxField(
        "Risiko", choices=_choices(codes.RISKS.items()), validators=[Optional()]
    )
    physical_risk_skill = StringField(
        "Keahlian yang diperlukan untuk risiko fisik", validators=[Length(max=300)]
    )
    unpaid_confirmed = BooleanField(
        "Kami menyatakan pekerjaan ini tidak dibayar dan tidak bersifat komersial "
        "(NK Pasal 7 ayat 2, KUHP Pasal 85 ayat 3)."
    )

    def __init__(
        self,
        *args: Any,
        place_types: list[tuple[str, str]],
        supervisors: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.schedule_errors: list[str] = []
        pick = [("", "— pilih —")]
        self.category.choices = _choices(pick + list(codes.JOB_CATEGORIES.items()))
        self.sector.choices = _choices(pick + list(codes.SECTORS.items()))
        self.place_type.choices = _choices(pick + place_types)
        self.supervisor_user_id.choices = _choices(
            [("", "— tidak ada —")] + [(str(u.id), u.full_name) for u in supervisors]
        )
        for name in REQUIRED:
            self[name].flags.required = True

    def add_blank_windows(self) -> None:
        """Offer empty schedule rows to fill in."""
        for _ in range(EXTRA_WINDOWS):
            self.schedule.append_entry()

    def load(self, slot: Slot) -> None:
        """Fill the form from a slot (GET of the edit page)."""
        for name in EDITABLE_FIELDS:
            if name not in ("schedule", "supervisor_user_id"):  # filled below
                self[name].data = getattr(slot, name)
        self.supervisor_user_id.data = str(slot.supervisor_user_id or "")
        while len(self.schedule.entries):
            self.schedule.pop_entry()
        for window in slot.schedule:
            self.schedule.append_entry(
                {"weekday": str(window["weekday"]), "start": window["start"], "end": window["end"]}
            )

    def values(self) -> dict[str, Any]:
        """The slot's fields as the services take them."""
        windows = []
        for entry in self.schedule.entries:
            sub: WindowForm = entry.form
            if sub.is_blank():
                continue
            day = sub.weekday.data
            windows.append(
                {
                    "weekday": int(day) if day and day.isdigit() else None,
                    "start": (sub.start.data or "").strip()[:5],
                    "end": (sub.end.data or "").strip()[:5],
                }
            )
        supervisor = self.supervisor_user_id.data
        return {
            "title": (self.title.data or "").strip(),
            "category": self.category.data or None,
            "tasks": (self.tasks.data or "").strip(),
            "description": (self.description.data or "").strip(),
            "place_type": self.place_type.data or None,
            "sector": self.sector.data or None,
            "address": (self.address.data or "").strip(),
            "lat": self.lat.data,
            "lng": self.lng.data,
            "capacity": self.capacity.data,
            "schedule": windows,
            "valid_from": self.valid_from.data,
            "valid_until": self.valid_until.data,
            "supervisor_name": (self.supervisor_name.data or "").strip(),
            "supervisor_position": (self.supervisor_position.data or "").strip(),
            "supervisor_phone": (self.supervisor_phone.data or "").strip(),
            "supervisor_user_id": int(supervisor) if supervisor and supervisor.isdigit() else None,
            "facilities": list(self.facilities.data or []),
            "complaint_contact": (self.complaint_contact.data or "").strip(),
            "risks": list(self.risks.data or []),
            "physical_risk_skill": (self.physical_risk_skill.data or "").strip(),
            "unpaid_confirmed": bool(self.unpaid_confirmed.data),
        }

    def show_refused(self, refused: Refused | Forbidden) -> list[str]:
        """Schedule messages under the weekly grid, the others next to their fields."""
        if isinstance(refused, Forbidden):
            return show_refused(refused, self)
        self.schedule_errors.extend(refused.fields.get("schedule", []))
        rest = Refused(
            {name: texts for name, texts in refused.fields.items() if name != "schedule"},
            [v for v in refused.violations if v.field != "schedule"],
            refused.message,
        )
        return show_refused(rest, self)
