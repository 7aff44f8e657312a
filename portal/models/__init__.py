"""All models, re-exported so ``from portal.models import Slot`` works everywhere."""

from portal.models.agreement import (
    Addendum,
    AddendumStatus,
    Agreement,
    AgreementStatus,
    WorkplanActivity,
)
from portal.models.api_token import ApiToken
from portal.models.attendance import Attendance, AttendanceMonth
from portal.models.audit import AuditLog
from portal.models.case_plan import CasePlan
from portal.models.client import Client, Summons
from portal.models.client_document import ClientDocument
from portal.models.letter import LetterNumber, ProgressReport
from portal.models.litmas import IndividualAssessment, JudgeRecommendation, Litmas
from portal.models.monitoring import AgreementEvaluation, WorkplanEvidence, WorkplanReport
from portal.models.notification import (
    Notification,
    NotificationDelivery,
    NotificationPreference,
)
from portal.models.organisation import Bapas, Opd, Pemda
from portal.models.placement import Placement
from portal.models.reference import JobCategory, JobForm, PlaceType
from portal.models.slot import Slot
from portal.models.supervision import Assessment, Closure, CommunityActivity, ConductCase
from portal.models.user import LoginThrottle, Role, User
from portal.models.user_session import UserSession
from portal.models.work_session import OutcomeReceipt, Permit, PlacementChange, WorkSession
from portal.statuses import ClientStatus, PlacementStatus

__all__ = [
    "Addendum",
    "AddendumStatus",
    "Assessment",
    "Agreement",
    "AgreementEvaluation",
    "ApiToken",
    "AgreementStatus",
    "Attendance",
    "AttendanceMonth",
    "AuditLog",
    "CasePlan",
    "Bapas",
    "Client",
    "ClientStatus",
    "ClientDocument",
    "IndividualAssessment",
    "JudgeRecommendation",
    "LetterNumber",
    "Litmas",
    "Closure",
    "CommunityActivity",
    "ConductCase",
    "JobCategory",
    "JobForm",
    "LoginThrottle",
    "Notification",
    "NotificationDelivery",
    "NotificationPreference",
    "Opd",
    "OutcomeReceipt",
    "Pemda",
    "Permit",
    "PlaceType",
    "Placement",
    "PlacementChange",
    "PlacementStatus",
    "ProgressReport",
    "Role",
    "Slot",
    "Summons",
    "User",
    "WorkSession",
    "UserSession",
    "WorkplanActivity",
    "WorkplanEvidence",
    "WorkplanReport",
]
