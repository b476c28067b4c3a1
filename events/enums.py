"""Choices for the events catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CityNetwork(models.TextChoices):
    CORRIDOR = "corridor", _("Shanghai–Nanjing corridor")
    SISTER = "sister", _("Sister network")


class VenueKind(models.TextChoices):
    STADIUM = "stadium", _("Stadium")
    ARENA = "arena", _("Arena")
    SPORTS_HALL = "sports_hall", _("Sports hall")
    RIVER_COURSE = "river_course", _("River course")
    SCHOOL = "school", _("School")
    CULTURAL = "cultural", _("Cultural venue")
    COMPANY = "company", _("Company site")


class VenueResourceKind(models.TextChoices):
    PISTE = "piste", _("Piste")
    COURT = "court", _("Court")
    LANE = "lane", _("Lane")
    TABLE = "table", _("Table")
    PITCH = "pitch", _("Pitch")
    ROOM = "room", _("Room")
    GATE = "gate", _("Gate")


class Discipline(models.TextChoices):
    FENCING = "fencing", _("Fencing")
    DRAGON_BOAT = "dragon_boat", _("Dragon boat")
    BASKETBALL = "basketball", _("Basketball")
    FOOTBALL = "football", _("Football")
    TABLE_TENNIS = "table_tennis", _("Table tennis")
    CAMP = "camp", _("Camp")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class EventCategory(models.TextChoices):
    MEN = "men", _("Men")
    WOMEN = "women", _("Women")
    MIXED = "mixed", _("Mixed")
    OPEN = "open", _("Open")


class Weapon(models.TextChoices):
    FOIL = "foil", _("Foil")
    EPEE = "epee", _("Épée")
    SABRE = "sabre", _("Sabre")


class SessionKind(models.TextChoices):
    BOUT_BLOCK = "bout_block", _("Bout block")
    HEAT = "heat", _("Heat")
    MATCH = "match", _("Match")
    CEREMONY = "ceremony", _("Ceremony")
    CAMP_ACTIVITY = "camp_activity", _("Camp activity")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class ProgrammeRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")


class StageKind(models.TextChoices):
    POOLS = "pools", _("Pools")
    TABLEAU = "tableau", _("Direct elimination")
    GROUPS = "groups", _("Groups")
    KNOCKOUT = "knockout", _("Knockout")
    RACES = "races", _("Races")


class MatchSides(models.TextChoices):
    """Two sides (a bout, a game) or several crews in lanes (a race)."""

    TWO = "two", _("Two sides")
    LANES = "lanes", _("Lanes")


class LaneStatus(models.TextChoices):
    FINISHED = "finished", _("Finished")
    DNF = "dnf", _("Did not finish")
    DNS = "dns", _("Did not start")


class GameRules(models.TextChoices):
    """How a game is scored and a group's ties are broken: a setting of the stage
    (`events.competition.standings.RULES`; the fencing team relay is checked by `fencing.team`)."""

    FIBA = "fiba", _("FIBA (basketball)")
    FIFA = "fifa", _("FIFA (football, goal difference first)")
    UEFA = "uefa", _("UEFA (football, head-to-head first)")
    ITTF = "ittf", _("ITTF (table tennis)")
    FENCING_TEAM = "fencing_team", _("Fencing team relay")


class CompetitorKind(models.TextChoices):
    FENCER = "fencer", _("Fencer")
    CREW = "crew", _("Crew")
    TEAM = "team", _("Team")


class CompetitorStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXCLUDED = "excluded", _("Excluded")


class MatchStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    WALKOVER = "walkover", _("Walkover")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SolveJobState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Solving")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class SolveBuilder(models.TextChoices):
    GREEDY = "greedy", _("Quick draft (greedy)")
    CPSAT = "cpsat", _("Optimise (CP-SAT)")


class ScheduleVersionReason(models.TextChoices):
    PUBLISH = "publish", _("Published")
    CONTINGENCY = "contingency", _("Contingency plan")
    DELAY = "delay", _("Rescheduled after a delay")
