from django.urls import path

from registration.views import (
    accreditation,
    eligibility,
    guardian,
    manager,
    organiser,
    paperwork,
    roster_import,
    workflow,
)

app_name = "registration"

urlpatterns = [
    path("delegations/", manager.delegation_list, name="delegation-list"),
    path("delegations/new/", manager.delegation_create, name="delegation-create"),
    path("delegations/<int:pk>/", manager.delegation_detail, name="delegation-detail"),
    path("delegations/<int:pk>/invite/", manager.membership_invite, name="membership-invite"),
    path("delegations/<int:pk>/teams/new/", manager.team_create, name="team-create"),
    path("delegations/<int:pk>/athletes/", manager.athlete_list, name="athlete-list"),
    path("delegations/<int:pk>/athletes/new/", manager.athlete_create, name="athlete-create"),
    path("delegations/<int:pk>/athletes/import/", roster_import.athlete_import, name="athlete-import"),
    path(
        "delegations/<int:pk>/athletes/template.<str:fmt>",
        roster_import.import_template,
        name="athlete-import-template",
    ),
    path("delegations/invitations/<str:token>/", manager.invitation_accept, name="invitation-accept"),
    path("delegations/athletes/<int:pk>/", manager.athlete_detail, name="athlete-detail"),
    path("delegations/athletes/<int:pk>/edit/", manager.athlete_edit, name="athlete-edit"),
    path("delegations/athletes/<int:pk>/photo.jpg", manager.athlete_photo, name="athlete-photo"),
    path("teams/<int:pk>/", manager.team_detail, name="team-detail"),
    path("teams/<int:pk>/entries/new/", manager.entry_create, name="entry-create"),
    path("teams/entries/<int:pk>/withdraw/", workflow.entry_withdraw, name="entry-withdraw"),
    path(
        "organiser/registration/athletes/<int:pk>/reveal/",
        manager.document_reveal,
        name="document-reveal",
    ),
    # paperwork, workflow, fees
    path("teams/<int:pk>/checklist/", workflow.team_workflow, name="team-workflow"),
    path("teams/<int:pk>/submit/", workflow.team_submit, name="team-submit"),
    path("teams/<int:pk>/fees/pay/", workflow.team_fee_pay, name="team-fee-pay"),
    path("teams/entries/<int:pk>/substitute/", workflow.substitution_create, name="substitution-create"),
    path(
        "teams/entries/<int:pk>/waitlist/<str:answer>/",
        workflow.waitlist_answer,
        name="waitlist-answer",
    ),
    path("delegations/athletes/<int:pk>/paperwork/", paperwork.athlete_paperwork, name="athlete-paperwork"),
    path(
        "delegations/athletes/<int:pk>/consents/<int:consent_pk>/withdraw/",
        paperwork.consent_withdraw,
        name="consent-withdraw",
    ),
    path(
        "delegations/athletes/<int:pk>/guardians/<int:guardian_pk>/consent-link/",
        paperwork.consent_link_send,
        name="consent-link-send",
    ),
    path("delegations/consent/<str:token>/", guardian.consent_link, name="consent-link"),
    path("delegations/childrens-data-rules/", guardian.consent_rules, name="consent-rules"),
    # accreditation
    path("delegations/<int:pk>/badges/", accreditation.badge_list, name="badge-list"),
    path(
        "delegations/<int:pk>/badges/print/",
        accreditation.badge_sheet_create,
        name="badge-sheet-create",
    ),
    path("delegations/badge-sheets/<int:pk>/", accreditation.badge_sheet_detail, name="badge-sheet"),
    path(
        "delegations/badge-sheets/<int:pk>/status.json",
        accreditation.badge_sheet_status,
        name="badge-sheet-status",
    ),
    path(
        "delegations/badge-sheets/<int:pk>/badges.pdf",
        accreditation.badge_sheet_download,
        name="badge-sheet-download",
    ),
    # organiser
    path("organiser/registration/", organiser.registration_home, name="organiser-registration"),
    path(
        "organiser/registration/events/<slug:slug>/eligibility/",
        eligibility.eligibility,
        name="eligibility",
    ),
    path("organiser/registration/<int:pk>/review/", organiser.review_queue, name="review-queue"),
    path(
        "organiser/registration/<int:pk>/review/approve/",
        organiser.review_bulk_approve,
        name="review-bulk-approve",
    ),
    path(
        "organiser/registration/<int:pk>/delegations/",
        organiser.delegation_overview,
        name="delegation-overview",
    ),
    path(
        "organiser/registration/<int:pk>/insurance/",
        organiser.insurance_export,
        name="insurance-export",
    ),
    path(
        "organiser/registration/<int:pk>/substitutions/",
        organiser.substitution_list,
        name="substitution-list",
    ),
    path("organiser/registration/entries/<int:pk>/", organiser.entry_review, name="entry-review"),
    path(
        "organiser/registration/entries/<int:pk>/approve/",
        organiser.entry_approve,
        name="entry-approve",
    ),
    path(
        "organiser/registration/entries/<int:pk>/attest/",
        organiser.entry_attest,
        name="entry-attest",
    ),
    path(
        "organiser/registration/entries/<int:pk>/request-changes/",
        organiser.entry_request_changes,
        name="entry-request-changes",
    ),
    path(
        "organiser/registration/substitutions/<int:pk>/decide/",
        organiser.substitution_decide,
        name="substitution-decide",
    ),
]
