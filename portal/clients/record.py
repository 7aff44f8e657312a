"""The sections of a client's pages that list his few small records, read in one statement.

His summons, Litmas, individual assessments, recommendations to the judge, documents and
the letters asking the Kejaksaan to complete his file (his record), his progress reports
and community activities (his supervision) are each a table of a few rows per client.
Read one table at a time they cost a statement each, on PostgreSQL a round trip and some
0.3 ms of the page. ``record_entries`` and ``supervision_entries`` read a page's in one
UNION ALL of one shape (section, id, two dates, a time, title, number, three texts, a
flag, a JSON value) and sort the rows into named rows per section: the summons first to
last, the letters in the order they were numbered, the reports by period, the rest
newest first.
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
    CommunityActivity,
    IndividualAssessment,
    JudgeRecommendation,
    LetterNumber,
    Litmas,
    ProgressReport,
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


class ReportEntry(NamedTuple):
    id: int
    number: str  # its letter's
    period_start: date
    period_end: date
    prosecutor_office: str
    court: str


class CommunityEntry(NamedTuple):
    id: int
    held_on: date
    activity: str
    included_by: str


@dataclass(frozen=True)
class SupervisionEntries:
    """What the supervision page lists of the client's reports and community activities."""

    reports: list[ReportEntry]  # oldest first
    community: list[CommunityEntry]


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


def _newest(rows: list[Any]) -> list[Any]:
    return sorted(rows, key=lambda r: (r.on, r.id), reverse=True)


def _sections(statement: CompoundSelect[Any], client_id: int, *names: str) -> dict[str, list[Any]]:
    rows: dict[str, list[Any]] = {name: [] for name in names}
    for row in db.session.execute(statement, {"client_id": client_id}):
        rows[row.section].append(row)
    return rows


def supervision_entries(client_id: int) -> SupervisionEntries:
    """The client's progress reports (with their letters' numbers) and community activities."""
    rows = _sections(_supervision_entries(), client_id, "report", "community")
    return SupervisionEntries(
        reports=[
            ReportEntry(r.id, r.title, r.since, r.on, r.text1, r.text2)
            for r in sorted(rows["report"], key=lambda r: (r.on, r.id))
        ],
        community=[
            CommunityEntry(r.id, r.on, r.text1, r.text2) for r in _newest(rows["community"])
        ],
    )


def record_entries(client_id: int) -> RecordEntries:
    """The client's summons, Litmas, assessments, recommendations and completion letters."""
    rows = _sections(
        _entries(), client_id, "summons", "litmas", "assessment", "recommendation", "letter",
        "document",
    )  # fmt: skip
    return RecordEntries(
        summons=[
            SummonsEntry(r.id, r.number, r.on, r.title, r.text1 or "")
            for r in sorted(rows["summons"], key=lambda r: (r.number, r.id))
        ],
        litmas=[
            LitmasEntry(r.id, r.title, r.on, r.text1, r.text2 or "", r.text3 or "", bool(r.flag))
            for r in _newest(rows["litmas"])
        ],
        assessments=[
            AssessmentEntry(r.id, r.title, r.on, r.text1) for r in _newest(rows["assessment"])
        ],
        recommendations=[
            RecommendationEntry(r.id, r.title, r.on, r.text1)
            for r in _newest(rows["recommendation"])
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
    since: Any = None,
    number: Any = None,
    texts: tuple[Any, ...] = (),
    flag: Any = None,
    data: Any = None,
    where: tuple[Any, ...] = (),
    join: tuple[Any, Any] | None = None,
) -> Select[Any]:
    """One table's rows in the shape of them all; what it lacks is a typed NULL (PostgreSQL
    unites columns by type). ``where`` defaults to the client's rows; ``join``: a table
    and how, for a column of another table."""
    text1, text2, text3 = (*texts, None, None, None)[:3]
    statement = select(
        literal_column(f"'{section}'").label("section"),
        model.id.label("id"),
        _or_null(on, Date, "on"),
        _or_null(at, UTCDateTime, "at"),
        _or_null(since, Date, "since"),
        title.label("title"),
        _or_null(number, Integer, "number"),
        _or_null(text1, Text, "text1"),
        _or_null(text2, Text, "text2"),
        _or_null(text3, Text, "text3"),
        _or_null(flag, Boolean, "flag"),
        _or_null(data, JSON, "data"),
    )
    if join is not None:
        statement = statement.join(*join)
    return statement.where(*(where or (model.client_id == CLIENT_ID,)))


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


@functools.cache
def _supervision_entries() -> CompoundSelect[Any]:
    # Built once: every view of a client's supervision asks.
    return union_all(
        _branch(
            "report", ProgressReport, ProgressReport.period_end, LetterNumber.number,
            since=ProgressReport.period_start,
            texts=(ProgressReport.prosecutor_office, ProgressReport.court),
            join=(LetterNumber, LetterNumber.id == ProgressReport.letter_id),
        ),
        _branch(
            "community", CommunityActivity, CommunityActivity.held_on, literal_column("''"),
            texts=(CommunityActivity.activity, CommunityActivity.included_by),
        ),
    )  # fmt: skip
