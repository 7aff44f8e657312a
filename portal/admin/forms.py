"""Account form for administrators."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.forms import BaseForm
from portal.models import Role


class UserForm(BaseForm):
    """Create or change an account."""

    username = StringField(
        "Nama pengguna",
        validators=[
            DataRequired(),
            Length(min=3, max=80),
            Regexp(
                r"^[A-Za-z0-9._-]+$", message="Hanya huruf, angka, titik, garis bawah dan strip."
            ),
        ],
    )
    full_name = StringField("Nama lengkap", validators=[DataRequired(), Length(max=160)])
    email = EmailField("Email", validators=[Optional(), Length(max=200)])
    nip = StringField(
        "NIP",
        validators=[Optional(), Regexp(r"^\d{18}$", message="NIP terdiri dari 18 angka.")],
    )
    phone = StringField("Telepon", validators=[Optional(), Length(max=40)])
    position = StringField("Jabatan", validators=[Optional(), Length(max=160)])
    role = SelectField("Peran", choices=[(r, Role.LABELS[r]) for r in Role.ALL])
    organisation = SelectField("Organisasi", choices=[], validate_choice=False)
    enabled = BooleanField("Akun aktif", default=True)
    password = PasswordField(
        "Kata sandi awal / baru",
        validators=[Optional(), Length(min=10, max=200, message="Kata sandi minimal 10 karakter.")],
    )
    submit = SubmitField("Simpan")
