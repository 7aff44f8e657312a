"""All models, re-exported so ``from portal.models import Slot`` works everywhere."""

from portal.models.agreement import Addendum, Agreement, AgreementStatus, WorkplanActivity
from portal.models.api_token import ApiToken
from portal.models.attendance import Attendance
from portal.models.audit import AuditLog
from portal.models.case_plan import CasePlan
from portal.models.client import Client, Summons
from portal.models.litmas import IndividualAssessment, JudgeRecommendation, Litmas
from portal.models.monitoring import AgreementEvaluation, WorkplanEvidence, WorkplanReport
from portal.models.organisation import Bapas, Opd, Pemda
from portal.models.placement import Placement, PlacementStatus
from portal.models.reference import JobCategory, JobForm, PlaceType
from portal.models.slot import Slot
from portal.models.supervision import Assessment, Closure, ConductCase
from portal.models.user import LoginThrottle, Role, User
from portal.models.user_session import UserSession

__all__ = [
    "Addendum",
    "Assessment",
    "Agreement",
    "AgreementEvaluation",
    "ApiToken",
    "AgreementStatus",
    "Attendance",
    "AuditLog",
    "CasePlan",
    "Bapas",
    "Client",
    "IndividualAssessment",
    "JudgeRecommendation",
    "Litmas",
    "Closure",
    "ConductCase",
    "JobCategory",
    "JobForm",
    "LoginThrottle",
    "Opd",
    "Pemda",
    "PlaceType",
    "Placement",
    "PlacementStatus",
    "Role",
    "Slot",
    "Summons",
    "User",
    "UserSession",
    "WorkplanActivity",
    "WorkplanEvidence",
    "WorkplanReport",
]
