"""Forms of the supervision pages: assessment, conduct steps, closure."""

from __future__ import annotations

from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal import law
from portal.codes import VIOLATION_CATEGORIES
from portal.fields import LETTER_NUMBER
from portal.forms import BaseForm, DateField, LetterNumberField
from portal.supervision import rules


def _letter_number(label: str) -> LetterNumberField:
    """A letter's number: empty, it is given when the letter is signed (numbering)."""
    return LetterNumberField(f"{label} (kosongkan: diberikan otomatis saat ditandatangani)")


def _override_reason() -> TextAreaField:
    """Why a number was typed instead of given (numbering.assign_number asks for it)."""
    return TextAreaField(
        "Alasan nomor diketik sendiri (hanya bila nomor diisi)",
        validators=[Optional(), Length(max=1000)],
    )


class AssessmentForm(BaseForm):
    """Lampiran IV: kind, date, place, ten indicators, Cycle of Change stage, notes."""

    kind = SelectField("Jenis penilaian", choices=list(rules.ASSESSMENT_KINDS.items()))
    assessed_on = DateField("Tanggal kunjungan", validators=[DataRequired()])
    placement_id = SelectField("Tempat kerja sosial", coerce=int, validators=[Optional()])
    stage = SelectField(
        "Tahap perubahan",
        choices=[("", "— pilih —"), *rules.STAGES.items()],
        validators=[DataRequired(message="Pilih tahap perubahan.")],
    )
    notes = TextAreaField("Catatan tambahan", validators=[Optional(), Length(max=4000)])


for _code, _label in rules.INDICATORS.items():
    setattr(AssessmentForm, f"ind_{_code}", BooleanField(_label))


class ConductForm(BaseForm):
    """A violation or good conduct."""

    kind = RadioField("Jenis", choices=list(rules.CONDUCT_KINDS.items()), default="violation")
    category = SelectField(
        "Jenis pelanggaran",
        choices=[("", "— pilih jika pelanggaran —"), *VIOLATION_CATEGORIES.items()],
        validators=[Optional()],
    )
    occurred_on = DateField("Tanggal kejadian", validators=[DataRequired()])
    description = TextAreaField(
        "Uraian kejadian", validators=[DataRequired(), Length(min=10, max=4000)]
    )


class TeamForm(BaseForm):
    """The PK proposes the team that examines within 7 days."""

    members = TextAreaField(
        "Anggota tim pemeriksa", validators=[DataRequired(), Length(min=3, max=1000)]
    )
    proposed_on = DateField("Tanggal usulan", validators=[DataRequired()])


class ExaminationForm(BaseForm):
    """The team's findings."""

    examined_on = DateField("Tanggal pemeriksaan", validators=[DataRequired()])
    findings = TextAreaField(
        "Hasil pemeriksaan", validators=[DataRequired(), Length(min=10, max=4000)]
    )


class TppForm(BaseForm):
    """The TPP session and its outcome."""

    session_on = DateField("Tanggal sidang TPP", validators=[DataRequired()])
    outcome = SelectField("Hasil sidang", choices=list(rules.TPP_OUTCOMES.items()))
    notes = TextAreaField("Catatan sidang", validators=[Optional(), Length(max=4000)])


class RecommendationForm(BaseForm):
    """The recommendation to the Jaksa, signed by the Kepala Bapas."""

    recommendation = RadioField("Isi rekomendasi", choices=list(rules.RECOMMENDATIONS.items()))
    hours = IntegerField(
        "Jam yang diulang (jika mengulangi)",
        validators=[Optional(), NumberRange(min=1, max=law.ADULT_HOURS[1])],
    )
    number = _letter_number("Nomor surat")
    override_reason = _override_reason()
    prosecutor_office = StringField(
        "Kejaksaan Negeri tujuan", validators=[DataRequired(), Length(min=5, max=200)]
    )


class JaksaAnswerForm(BaseForm):
    """The Jaksa's answer to the recommendation, recorded with his letter."""

    answer = RadioField("Keputusan Jaksa", choices=list(rules.RECOMMENDATIONS.items()))
    letter_number = StringField(
        "Nomor surat Jaksa", validators=[DataRequired(), Length(min=3, max=LETTER_NUMBER)]
    )
    answered_on = DateField("Tanggal surat Jaksa", validators=[DataRequired()])


class ClosureForm(BaseForm):
    """Closing a case: reason, date, final assessment, letter number."""

    reason = RadioField("Alasan pengakhiran", choices=list(rules.CLOSURE_REASONS.items()))
    closed_on = DateField("Tanggal pengakhiran", validators=[DataRequired()])
    final_assessment = TextAreaField(
        "Penilaian akhir", validators=[DataRequired(), Length(min=10, max=4000)]
    )
    letter_number = _letter_number("Nomor surat pengakhiran")
    override_reason = _override_reason()
