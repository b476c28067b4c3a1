"""Ballots for high-demand sessions and the applications to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ticketing.enums import BallotApplicationState
from ticketing.models.sales import Order, TicketType

__all__ = ["Ballot", "BallotApplication"]


class Ballot(models.Model):
    """A high-demand session sold by draw instead of first come (one ticket type per ballot)."""

    ticket_type = models.OneToOneField(TicketType, on_delete=models.CASCADE, related_name="ballot")
    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    pay_within_hours = models.PositiveSmallIntegerField(_("winners pay within (hours)"), default=48)
    max_per_application = models.PositiveSmallIntegerField(_("places per application"), default=4)
    # Published on the ballot page once drawn, so anyone can recompute the order.
    seed = models.CharField(_("draw seed"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_close_at__gt=F("applications_open_at")),
                name="ballot_window_valid",
                violation_error_message=_("Applications must close after they open."),
            ),
            models.CheckConstraint(
                condition=Q(drawn_at__isnull=True, seed="") | (Q(drawn_at__isnull=False) & ~Q(seed="")),
                name="ballot_seed_iff_drawn",
            ),
            models.CheckConstraint(
                condition=Q(pay_within_hours__gte=1) & Q(max_per_application__gte=1),
                name="ballot_limits_positive",
            ),
        ]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(self.ticket_type)

    def get_absolute_url(self) -> str:
        return reverse("ticketing:ballot-detail", kwargs={"pk": self.pk})


class BallotApplication(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ballot_applications"
    )
    quantity = models.PositiveSmallIntegerField(_("places"))
    state = models.CharField(
        _("state"), max_length=10, choices=BallotApplicationState, default=BallotApplicationState.APPLIED
    )
    # Position in the draw (1 = first); set by the draw.
    rank = models.PositiveIntegerField(_("position in the draw"), null=True, blank=True)
    order = models.OneToOneField(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="ballot_application"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "user"], name="ballot_one_application_per_user"),
            models.UniqueConstraint(fields=["ballot", "rank"], name="ballot_rank_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="ballot_application_quantity_positive"),
            models.CheckConstraint(
                condition=Q(state=BallotApplicationState.APPLIED) | Q(rank__isnull=False),
                name="ballot_application_ranked_after_draw",
            ),
        ]
        ordering = ["ballot", "rank", "pk"]
        verbose_name = _("ballot application")
        verbose_name_plural = _("ballot applications")

    def __str__(self) -> str:
        return f"{self.ballot} · {self.user} · {self.quantity}"
