"""The admin's agreement form."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    FileField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.codes import AGREEMENT_STATUSES
from portal.forms import BaseForm, DateField, LetterNumberField


class AgreementForm(BaseForm):
    """Parties, numbers, signing date and validity of a Nota Kesepakatan."""

    bapas_id = SelectField("Bapas (Pihak Kesatu)", coerce=int)
    pemda_id = SelectField("Pemerintah Daerah (Pihak Kedua)", coerce=int)
    title = StringField("Tentang", validators=[DataRequired(), Length(max=300)])
    status = SelectField("Status", choices=list(AGREEMENT_STATUSES.items()))
    number_bapas = LetterNumberField("Nomor Pihak Kesatu")
    number_pemda = LetterNumberField("Nomor Pihak Kedua")
    signed_on = DateField("Tanggal penandatanganan", validators=[Optional()])
    valid_until = DateField(
        "Berlaku sampai",
        validators=[Optional()],
        description="Kosongkan untuk 1 tahun sejak penandatanganan (Pasal 11).",
    )
    signatory_bapas = StringField(
        "Penandatangan Pihak Kesatu", validators=[Optional(), Length(max=160)]
    )
    signatory_pemda = StringField(
        "Penandatangan Pihak Kedua", validators=[Optional(), Length(max=160)]
    )
    notes = TextAreaField("Catatan", validators=[Optional(), Length(max=4000)])
    submit = SubmitField("Simpan")


class AddendumForm(BaseForm):
    """An Addendum (NK Pasal 15) as both parties sign it."""

    number_bapas = LetterNumberField("Nomor Addendum Pihak Kesatu (Bapas)", required=True)
    number_pemda = LetterNumberField("Nomor Addendum Pihak Kedua (Pemda)", required=True)
    signed_on = DateField("Tanggal penandatanganan", validators=[DataRequired()])
    valid_until = DateField(
        "Masa berlaku baru sampai",
        validators=[Optional()],
        description="Kosongkan bila Addendum tidak memperpanjang masa berlaku.",
    )
    summary = TextAreaField(
        "Ringkasan perubahan", validators=[DataRequired(), Length(min=10, max=4000)]
    )
    scan = FileField("Pindaian Addendum yang ditandatangani (PDF)")
    extend_slots = BooleanField(
        "Perpanjang juga slot yang berakhir bersamaan dengan kesepakatan", default=True
    )
    submit = SubmitField("Simpan")
