"""Forms of the monitoring area: progress reports and yearly evaluations."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from portal.forms import BaseForm, DateField
from portal.monitoring.services import EVALUATION_CONCLUSIONS


class ProgressReportForm(BaseForm):
    """A manual progress report with evidence files."""

    reported_on = DateField("Tanggal laporan", validators=[InputRequired()])
    percent = IntegerField("Capaian (%)", validators=[InputRequired(), NumberRange(min=0, max=100)])
    note = TextAreaField("Uraian capaian", validators=[InputRequired(), Length(min=10, max=4000)])
    files = MultipleFileField("Berkas bukti (PDF, PNG atau JPEG)")


class EvaluationForm(BaseForm):
    """The yearly evaluation of the agreement."""

    year = IntegerField("Tahun yang dievaluasi", validators=[InputRequired()])
    evaluated_on = DateField("Tanggal evaluasi", validators=[InputRequired()])
    conclusion = SelectField(
        "Kesimpulan",
        choices=[("", "— pilih —"), *EVALUATION_CONCLUSIONS.items()],
        validators=[InputRequired()],
    )
    summary = TextAreaField(
        "Ringkasan hasil evaluasi", validators=[InputRequired(), Length(min=10, max=4000)]
    )
