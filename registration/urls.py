from django.urls import path

from registration import views, views_accreditation, views_organiser, views_workflow

app_name = "registration"

urlpatterns = [
    path("delegations/", views.delegation_list, name="delegation-list"),
    path("delegations/new/", views.delegation_create, name="delegation-create"),
    path("delegations/<int:pk>/", views.delegation_detail, name="delegation-detail"),
    path("delegations/<int:pk>/invite/", views.membership_invite, name="membership-invite"),
    path("delegations/<int:pk>/teams/new/", views.team_create, name="team-create"),
    path("delegations/<int:pk>/athletes/", views.athlete_list, name="athlete-list"),
    path("delegations/<int:pk>/athletes/new/", views.athlete_create, name="athlete-create"),
    path("delegations/<int:pk>/athletes/import/", views.athlete_import, name="athlete-import"),
    path(
        "delegations/<int:pk>/athletes/template.<str:fmt>",
        views.import_template,
        name="athlete-import-template",
    ),
    path("delegations/invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("delegations/athletes/<int:pk>/", views.athlete_detail, name="athlete-detail"),
    path("delegations/athletes/<int:pk>/edit/", views.athlete_edit, name="athlete-edit"),
    path("delegations/athletes/<int:pk>/photo.jpg", views.athlete_photo, name="athlete-photo"),
    path("teams/<int:pk>/", views.team_detail, name="team-detail"),
    path("teams/<int:pk>/entries/new/", views.entry_create, name="entry-create"),
    path("teams/entries/<int:pk>/withdraw/", views_workflow.entry_withdraw, name="entry-withdraw"),
    path(
        "organiser/registration/athletes/<int:pk>/reveal/",
        views.document_reveal,
        name="document-reveal",
    ),
    # paperwork, workflow, fees (r2)
    path("teams/<int:pk>/checklist/", views_workflow.team_workflow, name="team-workflow"),
    path("teams/<int:pk>/submit/", views_workflow.team_submit, name="team-submit"),
    path("teams/<int:pk>/fees/pay/", views_workflow.team_fee_pay, name="team-fee-pay"),
    path(
        "teams/entries/<int:pk>/substitute/", views_workflow.substitution_create, name="substitution-create"
    ),
    path(
        "teams/entries/<int:pk>/waitlist/<str:answer>/",
        views_workflow.waitlist_answer,
        name="waitlist-answer",
    ),
    path(
        "delegations/athletes/<int:pk>/paperwork/", views_workflow.athlete_paperwork, name="athlete-paperwork"
    ),
    path(
        "delegations/athletes/<int:pk>/consents/<int:consent_pk>/withdraw/",
        views_workflow.consent_withdraw,
        name="consent-withdraw",
    ),
    path(
        "delegations/athletes/<int:pk>/guardians/<int:guardian_pk>/consent-link/",
        views_workflow.consent_link_send,
        name="consent-link-send",
    ),
    path("delegations/consent/<str:token>/", views_workflow.consent_link, name="consent-link"),
    path("delegations/childrens-data-rules/", views_workflow.consent_rules, name="consent-rules"),
    # accreditation (r2)
    path("delegations/<int:pk>/badges/", views_accreditation.badge_list, name="badge-list"),
    path(
        "delegations/<int:pk>/badges/print/",
        views_accreditation.badge_sheet_create,
        name="badge-sheet-create",
    ),
    path("delegations/badge-sheets/<int:pk>/", views_accreditation.badge_sheet_detail, name="badge-sheet"),
    path(
        "delegations/badge-sheets/<int:pk>/status.json",
        views_accreditation.badge_sheet_status,
        name="badge-sheet-status",
    ),
    path(
        "delegations/badge-sheets/<int:pk>/badges.pdf",
        views_accreditation.badge_sheet_download,
        name="badge-sheet-download",
    ),
    # organiser (r2)
    path("organiser/registration/", views_organiser.registration_home, name="organiser-registration"),
    path("organiser/registration/<int:pk>/review/", views_organiser.review_queue, name="review-queue"),
    path(
        "organiser/registration/<int:pk>/review/approve/",
        views_organiser.review_bulk_approve,
        name="review-bulk-approve",
    ),
    path(
        "organiser/registration/<int:pk>/delegations/",
        views_organiser.delegation_overview,
        name="delegation-overview",
    ),
    path(
        "organiser/registration/<int:pk>/insurance/",
        views_organiser.insurance_export,
        name="insurance-export",
    ),
    path(
        "organiser/registration/<int:pk>/substitutions/",
        views_organiser.substitution_list,
        name="substitution-list",
    ),
    path("organiser/registration/entries/<int:pk>/", views_organiser.entry_review, name="entry-review"),
    path(
        "organiser/registration/entries/<int:pk>/approve/",
        views_organiser.entry_approve,
        name="entry-approve",
    ),
    path(
        "organiser/registration/entries/<int:pk>/attest/",
        views_organiser.entry_attest,
        name="entry-attest",
    ),
    path(
        "organiser/registration/entries/<int:pk>/request-changes/",
        views_organiser.entry_request_changes,
        name="entry-request-changes",
    ),
    path(
        "organiser/registration/substitutions/<int:pk>/decide/",
        views_organiser.substitution_decide,
        name="substitution-decide",
    ),
]
