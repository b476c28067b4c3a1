"""Delegations (a city's or club's party), their members with roles, and teams entered in events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.i18n import BilingualMixin
from registration.enums import DelegationKind, MembershipRole

__all__ = ["Delegation", "DelegationMembership", "Team"]


class Delegation(BilingualMixin, models.Model):
    """A city bureau's, club's or school's group of athletes and staff for one programme."""

    programme = models.ForeignKey(
        "events.Programme", on_delete=models.PROTECT, related_name="delegations", verbose_name=_("programme")
    )
    city = models.ForeignKey(
        "events.City", on_delete=models.PROTECT, related_name="delegations", verbose_name=_("city")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DelegationKind)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name_zh"], name="delegation_name_unique_in_programme"
            ),
        ]
        ordering = ["city__ordering", "name_zh", "pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registration:delegation-detail", kwargs={"pk": self.pk})


class DelegationMembership(models.Model):
    """A person's role in a delegation; an open invitation until a logged-in user accepts it.

    The invitation token is sent once by email and only its SHA-256 is stored.
    """

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delegation_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole)
    invited_email = models.EmailField(_("invited email"), blank=True)
    invitation_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "delegation"], name="delegation_membership_unique"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(invitation_token_hash=""),
                name="delegation_membership_user_or_invitation",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(user__isnull=False),
                name="delegation_membership_accepted_has_user",
            ),
        ]
        ordering = ["delegation", "role", "pk"]
        verbose_name = _("delegation membership")
        verbose_name_plural = _("delegation memberships")

    def __str__(self) -> str:
        who = self.user or self.invited_email
        return f"{who} · {self.delegation} · {self.get_role_display()}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None


class Team(BilingualMixin, models.Model):
    """A delegation's entry unit for one event (a relay, a boat crew, or the delegation's fencers).
    Named in both languages (`.name` reads the reader's; an empty English name falls back to Chinese)."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("delegation")
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="teams", verbose_name=_("event")
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "event", "name_zh"], name="team_name_unique_per_event"
            ),
        ]
        ordering = ["event__start_date", "name_zh", "pk"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return f"{self.name} · {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("registration:team-detail", kwargs={"pk": self.pk})
