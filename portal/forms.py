"""Base form for the portal: CSRF from Flask-WTF and WTForms' messages in Indonesian."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm

# WTForms ships no Indonesian catalogue; these are its built-in messages.
_MESSAGES: dict[str, str] = {
    "This field is required.": "Wajib diisi.",
    "Not a valid integer value.": "Harus berupa bilangan bulat.",
    "Not a valid float value.": "Harus berupa angka.",
    "Not a valid decimal value.": "Harus berupa angka desimal.",
    "Not a valid date value.": "Tanggal tidak sah (format HH-BB-TTTT atau TTTT-BB-HH).",
    "Not a valid time value.": "Jam tidak sah (format JJ:MM).",
    "Not a valid datetime value.": "Tanggal dan jam tidak sah.",
    "Invalid email address.": "Alamat email tidak sah.",
    "Not a valid choice.": "Pilihan tidak sah.",
    "Invalid Choice: could not coerce.": "Pilihan tidak sah.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Pilihan tidak sah.",
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' bukan pilihan yang sah.",
    "Field must be equal to %(other_name)s.": "Harus sama dengan isian %(other_name)s.",
    "Field must be at least %(min)d characters long.": "Minimal %(min)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Maksimal %(max)d karakter.",
    "Field must be exactly %(max)d characters long.": "Harus tepat %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.": (
        "Harus antara %(min)d dan %(max)d karakter."
    ),
    "Number must be at least %(min)s.": "Minimal %(min)s.",
    "Number must be at most %(max)s.": "Maksimal %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Harus antara %(min)s dan %(max)s.",
    "Invalid input.": "Isian tidak sah.",
    "Invalid value, can't be any of: %(values)s.": "Tidak boleh salah satu dari: %(values)s.",
    "Invalid value, must be one of: %(values)s.": "Harus salah satu dari: %(values)s.",
    "The CSRF token is missing.": "Token keamanan formulir tidak ada. Muat ulang halaman.",
    "The CSRF token is invalid.": "Token keamanan formulir tidak sah. Muat ulang halaman.",
    "The CSRF token has expired.": "Token keamanan formulir kedaluwarsa. Muat ulang halaman.",
    "The CSRF tokens do not match.": "Token keamanan formulir tidak cocok. Muat ulang halaman.",
}


class IndonesianTranslations:
    """A gettext-like object that WTForms asks for its messages."""

    def gettext(self, string: str) -> str:
        """Translate one message, falling back to the original."""
        return _MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message with a count (Indonesian has no plural form)."""
        return _MESSAGES.get(singular if n == 1 else plural, singular)


_TRANSLATIONS = IndonesianTranslations()


class BaseForm(FlaskForm):
    """Every portal form derives from this one."""

    class Meta:
        def get_translations(self, form: Any) -> IndonesianTranslations:
            return _TRANSLATIONS
