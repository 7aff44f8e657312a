"""The sections of a client's record that list his few small records, read in one statement.

His summons, Litmas, individual assessments, recommendations to the judge, documents and
the letters asking the Kejaksaan to complete his file are each a table of a few rows per
client. Read one table at a time they cost a statement each, on PostgreSQL a round trip
and some 0.3 ms of the page. ``record_entries`` reads them in one UNION ALL of one shape
(section, id, date, time, title, number, three texts, a flag, a JSON value) and sorts the
rows into named rows per section: the summons first to last, the letters in the order
they were numbered, the rest newest first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    BindParameter,
    Boolean,
    CompoundSelect,
    Date,
    Integer,
    Select,
    Text,
    bindparam,
    literal_column,
    null,
    select,
    union_all,
)

from portal.codes import INDIVIDUAL_ASSESSMENT_KINDS
from portal.extensions import db
from portal.models import (
    ClientDocument,
    IndividualAssessment,
    JudgeRecommendation,
    LetterNumber,
    Litmas,
    Summons,
)
from portal.models.base import UTCDateTime

# The kind of letter that asks the Kejaksaan to complete a client's file (Pedoman 2.2.2).
COMPLETION_LETTER = "incomplete_file"
# The client whose rows each branch of the statement reads.
CLIENT_ID: BindParameter[int] = bindparam("client_id", type_=Integer)


class SummonsEntry(NamedTuple):
    id: int
    seq: int
    sent_on: date
    outcome: str
    note: str


class LitmasEntry(NamedTuple):
    id: int
    number: str
    made_on: date
    social_summary: str
    intervention_history: str
    recommendation: str
    has_document: bool


class AssessmentEntry(NamedTuple):
    id: int
    kind: str
    assessed_on: date
    findings: str


class RecommendationEntry(NamedTuple):
    id: int
    court: str
    sent_on: date
    content: str


class LetterEntry(NamedTuple):
    id: int
    number: str
    issued_on: date


class DocumentEntry(NamedTuple):
    id: int
    kind: str
    original_name: str
    created_at: datetime
    checks: dict[str, Any]


@dataclass(frozen=True)
class RecordEntries:
    """What the record lists of the client's summons, stage 1 and completion letters."""

    summons: list[SummonsEntry]
    litmas: list[LitmasEntry]
    assessments: list[AssessmentEntry]
    recommendations: list[RecommendationEntry]
    letters: list[LetterEntry]
    documents: list[DocumentEntry]

    @property
    def missing_kinds(self) -> list[str]:
        """Individual assessment kinds not yet recorded, as labels."""
        done = {a.kind for a in self.assessments}
        return [label for kind, label in INDIVIDUAL_ASSESSMENT_KINDS.items() if kind not in done]


def record_entries(client_id: int) -> RecordEntries:
    """The client's summons, Litmas, assessments, recommendations and completion letters."""
    rows: dict[str, list[Any]] = {
        "summons": [],
        "litmas": [],
        "assessment": [],
        "recommendation": [],
        "letter": [],
        "document": [],
    }
    for row in db.session.execute(_entries(), {"client_id": client_id}):
        rows[row.section].append(row)
    newest = functools.partial(sorted, key=lambda r: (r.on, r.id), reverse=True)
    return RecordEntries(
        summons=[
            SummonsEntry(r.id, r.number, r.on, r.title, r.text1 or "")
            for r in sorted(rows["summons"], key=lambda r: (r.number, r.id))
        ],
        litmas=[
            LitmasEntry(r.id, r.title, r.on, r.text1, r.text2 or "", r.text3 or "", bool(r.flag))
            for r in newest(rows["litmas"])
        ],
        assessments=[
            AssessmentEntry(r.id, r.title, r.on, r.text1) for r in newest(rows["assessment"])
        ],
        recommendations=[
            RecommendationEntry(r.id, r.title, r.on, r.text1)
            for r in newest(rows["recommendation"])
        ],
        letters=[
            LetterEntry(r.id, r.title, r.on) for r in sorted(rows["letter"], key=lambda r: r.id)
        ],
        documents=[
            DocumentEntry(r.id, r.title, r.text1 or "", r.at, r.data or {})
            for r in sorted(rows["document"], key=lambda r: (r.at, r.id), reverse=True)
        ],
    )


def _branch(
    section: str,
    model: Any,
    on: Any,
    title: Any,
    *,
    at: Any = None,
    number: Any = None,
    texts: tuple[Any, ...] = (),
    flag: Any = None,
    data: Any = None,
    where: tuple[Any, ...] = (),
) -> Select[Any]:
    """One table's rows in the shape of them all; what it lacks is a typed NULL (PostgreSQL
    unites columns by type). ``where`` defaults to the client's rows."""
    text1, text2, text3 = (*texts, None, None, None)[:3]
    return select(
        literal_column(f"'{section}'").label("section"),
        model.id.label("id"),
        _or_null(on, Date, "on"),
        _or_null(at, UTCDateTime, "at"),
        title.label("title"),
        _or_null(number, Integer, "number"),
        _or_null(text1, Text, "text1"),
        _or_null(text2, Text, "text2"),
        _or_null(text3, Text, "text3"),
        _or_null(flag, Boolean, "flag"),
        _or_null(data, JSON, "data"),
    ).where(*(where or (model.client_id == CLIENT_ID,)))


def _or_null(column: Any, type_: Any, label: str) -> Any:
    return (null().cast(type_) if column is None else column).label(label)


@functools.cache
def _entries() -> CompoundSelect[Any]:
    # Built once: every view of a client's record asks.
    return union_all(
        _branch(
            "summons", Summons, Summons.sent_on, Summons.outcome,
            number=Summons.seq, texts=(Summons.note,),
        ),
        _branch(
            "litmas", Litmas, Litmas.made_on, Litmas.number,
            texts=(Litmas.social_summary, Litmas.intervention_history, Litmas.recommendation),
            flag=Litmas.document_name.is_not(None),
        ),
        _branch(
            "assessment", IndividualAssessment, IndividualAssessment.assessed_on,
            IndividualAssessment.kind, texts=(IndividualAssessment.findings,),
        ),
        _branch(
            "recommendation", JudgeRecommendation, JudgeRecommendation.sent_on,
            JudgeRecommendation.court, texts=(JudgeRecommendation.content,),
        ),
        _branch(
            "document", ClientDocument, None, ClientDocument.kind, at=ClientDocument.created_at,
            texts=(ClientDocument.original_name,), data=ClientDocument.checks,
        ),
        _branch(
            "letter", LetterNumber, LetterNumber.issued_on, LetterNumber.number,
            where=(
                LetterNumber.kind == COMPLETION_LETTER,
                LetterNumber.object_type == "client",
                LetterNumber.object_id == CLIENT_ID,
            ),
        ),
    )  # fmt: skip
