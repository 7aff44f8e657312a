"""Sign-in and password forms."""

from __future__ import annotations

from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from portal.forms import BaseForm


class LoginForm(BaseForm):
    """Username and password."""

    username = StringField("Nama pengguna", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Kata sandi", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Masuk")


class ChangePasswordForm(BaseForm):
    """Current password, then the new one twice."""

    current = PasswordField("Kata sandi saat ini", validators=[DataRequired()])
    new = PasswordField(
        "Kata sandi baru",
        validators=[
            DataRequired(),
            Length(min=10, max=200, message="Kata sandi minimal 10 karakter."),
        ],
    )
    confirm = PasswordField(
        "Ulangi kata sandi baru",
        validators=[DataRequired(), EqualTo("new", message="Kedua kata sandi baru tidak sama.")],
    )
    submit = SubmitField("Ganti kata sandi")


class TokenCreateForm(BaseForm):
    """A name and a lifetime for a new personal API token."""

    name = StringField(
        "Nama token", validators=[DataRequired(), Length(max=80)], default="Integrasi"
    )
    days = SelectField(
        "Berlaku selama",
        choices=[SelectChoice(str(d), f"{d} hari") for d in (7, 30, 90, 180, 365)],
        default="90",
    )
    submit = SubmitField("Buat token")


class TokenRevokeForm(BaseForm):
    """Only the CSRF token: revoking is a POST."""
