"""Base form for the portal: CSRF from Flask-WTF and WTForms' messages in Indonesian."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, ClassVar

import wtforms
import wtforms.widgets.core
from flask import abort, flash
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms.validators import DataRequired, Length, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from portal import transactions
from portal.fields import LETTER_NUMBER
from portal.refusals import Forbidden, Refused

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

# WTForms' own, kept to check ours against (tests/test_forms_render.py).
WTFORMS_HTML_PARAMS = wtforms.widgets.core.html_params


def html_params(**kwargs: Any) -> Markup:
    """The attributes of a form control, exactly as WTForms writes them (sorted by name,
    ``True`` bare, ``False`` left out, ``data_``/``aria_`` names hyphenated, every value
    escaped), without markupsafe's string formatter: WTForms' own spends about 15 µs an
    attribute there, a record page's forms about a millisecond."""
    params = []
    for key, value in sorted(kwargs.items()):
        name = escape(wtforms.widgets.core.clean_key(key))
        if value is True:
            params.append(str(name))
        elif value is not False:
            params.append(f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704 - every name and value escaped above


def _use_html_params() -> None:
    """Make every WTForms widget write its attributes with ``html_params`` above: the
    module's function and the copies its widget classes keep as static methods."""
    core = wtforms.widgets.core
    core.html_params = html_params
    wtforms.widgets.html_params = html_params
    for value in vars(core).values():
        if isinstance(value, type) and "html_params" in vars(value):
            value.html_params = staticmethod(html_params)  # type: ignore[attr-defined]


_use_html_params()


class BaseForm(FlaskForm):
    """Every portal form derives from this one.

    ``REFUSAL_FIELDS`` says where a service's refusal goes when its name is not a
    field of the form: an input name or a rule code mapped to a field (None: at
    the top of the form). With ``REFUSAL_FALLBACK`` the messages that have no
    field go on that field instead of the top.
    """

    REFUSAL_FIELDS: ClassVar[Mapping[str, str | None]] = {}
    REFUSAL_FALLBACK: ClassVar[str | None] = None

    class Meta:
        def get_translations(self, form: Any) -> IndonesianTranslations:
            return _TRANSLATIONS

    def show_refused(self, refused: Refused | Forbidden) -> list[str]:
        """Put the service's refusal next to the fields; return the messages for the top."""
        return show_refused(refused, self)


def show_refused(
    refused: Refused | Forbidden,
    form: Any = None,
    *,
    flash_rest: bool = False,
    prefix: str = "",
    fallback: str | None = None,
) -> list[str]:
    """Show a refusal on the page, in one place for every view; the request is rolled back.

    Field messages go onto ``form.<field>.errors`` (a name or rule code the form's
    ``REFUSAL_FIELDS`` maps elsewhere goes there), the rest is returned for the top
    of the page, or flashed when ``flash_rest`` (or without a form). A refusal for a
    missing record is a 404; a forbidden step without a field is a 403.
    """
    transactions.fail()
    if isinstance(refused, Forbidden):
        if form is None or refused.field is None:
            abort(403)
        messages: list[tuple[str | None, str]] = [(refused.field, refused.message)]
    else:
        if refused.status == 404:
            abort(404)
        messages = [(None, refused.message)] if refused.message else []
        messages += [(name, text) for name, texts in refused.fields.items() for text in texts]
        shown = {text for _, text in messages}
        messages += [
            (v.field or v.code, v.message) for v in refused.violations if v.message not in shown
        ]
    rest: list[str] = []
    where: Mapping[str, str | None] = getattr(form, "REFUSAL_FIELDS", {})
    fallback = fallback or getattr(form, "REFUSAL_FALLBACK", None)
    for name, text in messages:
        field = _form_field(form, where.get(name, name) if name else None)
        field = field or _form_field(form, fallback)
        if field is None:
            rest.append(text)
            continue
        field.errors = [*field.errors, text]
    if rest and (flash_rest or form is None):
        flash(prefix + " ".join(rest), "danger")
    return rest


def _form_field(form: Any, name: str | None) -> wtforms.Field | None:
    field = getattr(form, name, None) if (form is not None and name) else None
    if not isinstance(field, wtforms.Field) or isinstance(field, wtforms.FieldList):
        return None
    return field


# --- dates and times as people in Indonesia write them ------------------------------
# Browsers draw <input type="date"/"time"> in their own language (mm/dd/yyyy and AM/PM
# in an English browser), so dates and times are text inputs parsed here: dd-mm-yyyy
# (ISO yyyy-mm-dd is accepted too, for links and tools) and 24-hour hh:mm.

DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d")
TIME_FORMATS = ("%H:%M",)
DATE_PATTERN = r"\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{1,2}-\d{1,2}"
TIME_PATTERN = r"([01]?\d|2[0-3]):[0-5]\d"
DATE_INPUT = {
    "placeholder": "hh-bb-tttt",
    "pattern": DATE_PATTERN,
    "inputmode": "numeric",
    "autocomplete": "off",
    "title": "Tanggal dengan format hh-bb-tttt, misalnya 05-01-2027",
}
TIME_INPUT = {
    "placeholder": "jj:mm",
    "pattern": TIME_PATTERN,
    "inputmode": "numeric",
    "autocomplete": "off",
    "title": "Jam 24 jam dengan format jj:mm, misalnya 13:30",
}


def parse_date(text: str | None) -> date | None:
    """A date typed as dd-mm-yyyy (or yyyy-mm-dd); None when empty; ValueError when wrong."""
    value = (text or "").strip()
    if not value:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r}")


class _TypedTextInput(TextInput):
    """A text input even where a template asks for ``type='date'`` (or min/max in ISO)."""

    def __call__(self, field: wtforms.Field, **kwargs: Any) -> Any:
        for browser_only in ("type", "min", "max"):
            kwargs.pop(browser_only, None)
        return super().__call__(field, **kwargs)


def _refuse_unreadable(field: wtforms.Field) -> None:
    """Text that is no date/time keeps its own message (not "required") and stops the chain."""
    if field.process_errors and field.raw_data and str(field.raw_data[0]).strip():
        raise StopValidation()


class _TypedField(wtforms.Field):
    """A field typed as text: the input attributes of its kind and, if parsed, its formats."""

    widget = _TypedTextInput()
    input_attrs: dict[str, str] = {}
    formats: tuple[str, ...] = ()

    def __init__(self, label: str | None = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs["render_kw"] = {**self.input_attrs, **(kwargs.get("render_kw") or {})}
        if self.formats:
            kwargs.setdefault("format", list(self.formats))
        super().__init__(label, validators, **kwargs)


class _ParsedField(_TypedField):
    """A typed field parsed into a date or time: unreadable text keeps its own message."""

    def pre_validate(self, form: Any) -> None:
        _refuse_unreadable(self)


class DateField(_ParsedField, wtforms.DateField):
    """A date field shown and accepted as dd-mm-yyyy in any browser language."""

    input_attrs = DATE_INPUT
    formats = DATE_FORMATS


class TimeField(_ParsedField, wtforms.TimeField):
    """A time field shown and accepted as 24-hour hh:mm in any browser language."""

    input_attrs = TIME_INPUT
    formats = TIME_FORMATS


class TimeTextField(_TypedField, wtforms.StringField):
    """A time kept as the text "hh:mm" (schedules), typed as 24-hour time in any browser."""

    input_attrs = TIME_INPUT


class LetterNumberField(wtforms.StringField):
    """A letter's number as typed: at most LETTER_NUMBER characters, required or not."""

    def __init__(self, label: str, *, required: bool = False, **kwargs: Any) -> None:
        presence = DataRequired() if required else Optional()
        super().__init__(label, [presence, Length(max=LETTER_NUMBER)], **kwargs)


class MultiCheckboxField(wtforms.SelectMultipleField):
    """Several checkboxes for one list of codes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SubForm(wtforms.Form):
    """A form nested in a portal form (no CSRF of its own), with the messages in Indonesian."""

    class Meta:
        def get_translations(self, form: Any) -> IndonesianTranslations:
            return _TRANSLATIONS


def refusal_errors(refused: Refused | Forbidden, *, rules: bool = True) -> dict[str, list[str]]:
    """A refusal as messages per input name, for pages that draw their own error list.

    The request is rolled back, as with :func:`show_refused`; general messages and
    (with ``rules``) rules without a field come under ``""``.
    """
    transactions.fail()
    if isinstance(refused, Forbidden):
        if refused.field is None:
            abort(403)
        return {refused.field: [refused.message]}
    if refused.status == 404:
        abort(404)
    errors = {name: list(texts) for name, texts in refused.fields.items()}
    shown = {text for texts in errors.values() for text in texts}
    for v in refused.violations if rules else ():
        if v.message not in shown:
            errors.setdefault(v.field or "", []).append(v.message)
    if refused.message:
        errors.setdefault("", []).insert(0, refused.message)
    return errors
