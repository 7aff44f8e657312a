"""Forms of the attendance pages."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.attendance.rules import RULE_FIELDS
from portal.forms import BaseForm, DateField, TimeField


class AttendanceForm(BaseForm):
    """A day's work: date, time in and out, activity, an optional photo."""

    # A rule's field (RULE_FIELDS) is ``date`` in the service; everything else goes on the date.
    REFUSAL_FIELDS = {
        "date": "work_date",
        **{code: "work_date" if name == "date" else name for code, name in RULE_FIELDS.items()},
    }
    REFUSAL_FALLBACK = "work_date"

    work_date = DateField("Tanggal", validators=[DataRequired()])
    time_in = TimeField("Jam datang", validators=[DataRequired()])
    time_out = TimeField("Jam pulang", validators=[DataRequired()])
    activity = TextAreaField("Kegiatan", validators=[Optional(), Length(max=500)])
    photo = FileField("Foto bukti (opsional)")


class CorrectionForm(AttendanceForm):
    """A change to a record, with the reason the audit trail keeps."""

    reason = TextAreaField("Alasan koreksi", validators=[DataRequired(), Length(min=5, max=500)])


class QuickRecordForm(BaseForm):
    """The one-tap 'hadir' button: the window comes from today's schedule."""

    time_in = HiddenField(validators=[DataRequired()])
    time_out = HiddenField(validators=[DataRequired()])
