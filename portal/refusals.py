"""The one refusal every service raises: nothing was saved, and here is why.

A :class:`Refused` carries Indonesian messages per input field, broken rules
(each a :class:`RuleViolation` with its API.md code), a general message and its
HTTP meaning (422, or 409 for a conflict with the state of the data such as a
full slot). The web shows it next to the form's fields (``portal.forms``), the
API answers it in the error shape of API.md (``portal.api.errors``); neither
face translates refusals by hand. No Flask here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

CAPACITY_FULL_MESSAGE = "Semua kursi slot ini sudah terisi. Pilih slot lain."
CASE_CLOSED = "CASE_CLOSED"


@dataclass(frozen=True)
class RuleViolation:
    """A broken rule: its API.md code, a sentence for a person and, if known, its form field."""

    code: str
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, str]:
        """The API's shape: ``{code, message}``."""
        return {"code": self.code, "message": self.message}


class Refused(Exception):
    """A service refused a request; nothing was saved.

    ``fields`` maps an input field to messages, ``violations`` lists broken rules,
    ``message`` is a general sentence; ``status`` is 422 unless the refusal is a
    conflict (409) named by ``code`` (API.md's error code, e.g. ``capacity_full``).
    """

    def __init__(
        self,
        fields: Mapping[str, Iterable[str] | str] | None = None,
        violations: Iterable[RuleViolation] = (),
        message: str | None = None,
        *,
        status: int = 422,
        code: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.fields: dict[str, list[str]] = {
            name: [texts] if isinstance(texts, str) else list(texts)
            for name, texts in (fields or {}).items()
        }
        self.violations: list[RuleViolation] = list(violations)
        self.message = message
        self.status = status
        self.code = code
        self.details: dict[str, Any] = dict(details or {})
        super().__init__(self.text())

    # --- named refusals -------------------------------------------------------------

    @classmethod
    def on_field(cls, name: str, message: str) -> Refused:
        """One message on one field."""
        return cls({name: [message]})

    @classmethod
    def rule(cls, code: str, message: str, field: str | None = None) -> Refused:
        """One broken rule."""
        return cls(violations=[RuleViolation(code, message, field)])

    @classmethod
    def of(cls, violations: Iterable[RuleViolation], message: str | None = None) -> Refused:
        """Broken rules; each one with a field also shows as that field's message."""
        found = list(violations)
        fields: dict[str, list[str]] = {}
        for v in found:
            if v.field:
                fields.setdefault(v.field, []).append(v.message)
        return cls(fields, [v for v in found if v.code], message)

    @classmethod
    def capacity_full(cls, message: str = CAPACITY_FULL_MESSAGE) -> Refused:
        """409 ``capacity_full``: the slot's last seat went to someone else."""
        return cls(message=message, status=409, code="capacity_full")

    @classmethod
    def conflict(cls, code: str, message: str, details: Mapping[str, Any] | None = None) -> Refused:
        """409: the record changed meanwhile (e.g. decided by someone else first)."""
        return cls(message=message, status=409, code=code, details=details)

    @classmethod
    def not_found(cls, message: str) -> Refused:
        """404: what the request names does not exist (or is not offered to the caller)."""
        return cls(message=message, status=404, code="not_found")

    # --- reading it -----------------------------------------------------------------

    def messages(self) -> list[str]:
        """Every sentence of the refusal, general first."""
        texts = [self.message] if self.message else []
        texts += [m for ms in self.fields.values() for m in ms]
        texts += [v.message for v in self.violations if v.message not in texts]
        return texts

    def text(self) -> str:
        """The refusal as one sentence line."""
        return " ".join(self.messages())

    def error_code(self) -> str:
        """API.md's error code: the conflict's, ``rule_violation`` or ``validation_error``."""
        if self.code:
            return self.code
        return "rule_violation" if self.violations else "validation_error"

    def error_details(self) -> dict[str, Any]:
        """API.md's ``details``: ``fields`` and/or ``rules``, plus any conflict details."""
        details = dict(self.details)
        if self.violations:
            details["rules"] = [v.as_dict() for v in self.violations]
        if self.fields or not (self.violations or self.code):
            details["fields"] = self.fields
        return details


class Forbidden(Exception):
    """The user's role or party may not take this step (answered 403)."""

    def __init__(self, message: str = "", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def case_closed() -> Refused:
    """The refusal for any write on a closed case (it is read-only)."""
    return Refused.rule(CASE_CLOSED, "Perkara klien sudah ditutup: data hanya dapat dibaca.")
