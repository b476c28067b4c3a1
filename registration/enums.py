"""Choices for delegations, athletes, entries and eligibility rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ticketing.documents import DocumentType as TicketingDocumentType


class DelegationKind(models.TextChoices):
    CITY = "city", _("City delegation")
    CLUB = "club", _("Club")
    SCHOOL = "school", _("School")


class MembershipRole(models.TextChoices):
    MANAGER = "manager", _("Team manager")
    COACH = "coach", _("Coach")
    CHAPERONE = "chaperone", _("Chaperone")


class AthleteSex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


# One list of document types for rosters and real-name tickets: ticketing owns it with its validator.
DocumentType = TicketingDocumentType


class GuardianRelationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian")
    OTHER = "other", _("Other")


class AthleteGrade(models.TextChoices):
    """China's athlete technical grades (运动员技术等级), lowest first: an event may cap or require one."""

    NONE = "none", _("No grade")
    GRADE_3 = "grade_3", _("Third-grade athlete")
    GRADE_2 = "grade_2", _("Second-grade athlete")
    GRADE_1 = "grade_1", _("First-grade athlete")
    MASTER = "master", _("Master of sport")
    INTERNATIONAL = "international", _("International master of sport")


GRADE_ORDER = {grade: rank for rank, grade in enumerate(AthleteGrade.values)}


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    LOCKED = "locked", _("Locked")
    WITHDRAWN = "withdrawn", pgettext_lazy("entry status", "Withdrawn")
    WAITLISTED = "waitlisted", _("Waitlisted")


class AgeRuleKind(models.TextChoices):
    NONE = "none", _("No age rule")
    BIRTH_YEAR_WINDOW = "birth_year_window", _("Birth-year window")
    AGE_ON_DATE = "age_on_date", _("Age on a date")
    SEASON_CUTOFF = "season_cutoff", _("Age at the season cut-off")


class SexAllowed(models.TextChoices):
    FROM_CATEGORY = "category", _("From the event's category")
    MALE = "male", _("Male only")
    FEMALE = "female", _("Female only")
    ANY = "any", _("Anyone")


class AthleteAccessKind(models.TextChoices):
    DETAIL = "detail", _("Athlete page")
    EXPORT = "export", _("Export")
    ROSTER = "roster", _("Roster list")
    PAPERWORK = "paperwork", _("Paperwork page")
    PHOTO = "photo", _("Photo")


class RevealPurpose(models.TextChoices):
    VERIFICATION = "verification", _("Verify the document")
    INSURANCE = "insurance", _("Accident insurance roster")
    SAFEGUARDING = "safeguarding", _("Safeguarding or emergency")
    OTHER = "other", _("Other (explain in the reason)")
