from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.start_new, name="start_new"),
    path("start/", views.start_employer_case, name="start_employer"),
    path("review/", views.queue, name="queue"),
    path("review/bulk/", views.bulk, name="bulk"),
    path("review/templates/", views.templates, name="templates"),
    path("review/templates/<slug:kind>/new/", views.template_edit, name="template_new"),
    path("review/templates/<slug:kind>/<int:pk>/", views.template_edit, name="template_edit"),
    path("review/overrides/", views.override_queue, name="override_queue"),
    path("review/overrides/<int:override_id>/decide/", views.override_decide, name="override_decide"),
    path("ratify/", views.ratify_queue, name="ratify_queue"),
    path("ratify/bulk/", views.ratify_bulk, name="ratify_bulk"),
    path("ratify/<uuid:public_id>/", views.ratify_detail, name="ratify_detail"),
    path("review/<uuid:public_id>/", views.review_detail, name="review_detail"),
    path("review/<uuid:public_id>/accept/", views.accept, name="accept"),
    path("review/<uuid:public_id>/decide/", views.decide, name="decide"),
    path("review/<uuid:public_id>/override/", views.override, name="override"),
    path("review/<uuid:public_id>/assign/", views.assign, name="assign"),
    path(
        "review/<uuid:public_id>/documents/<uuid:document_id>/verdict/",
        views.document_verdict,
        name="document_verdict",
    ),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/facts/", views.facts, name="facts"),
    path("<uuid:public_id>/income/", views.income, name="income"),
    path("<uuid:public_id>/income/scan/<uuid:document_id>/", views.income_scan, name="income_scan"),
    path("<uuid:public_id>/income/import/", views.income_import, name="income_import"),
    path("<uuid:public_id>/materials/", views.materials, name="materials"),
    path("<uuid:public_id>/check/", views.employer_check, name="employer_check"),
    path("<uuid:public_id>/answers/", views.answers, name="answers"),
    path("<uuid:public_id>/confirmation/", views.confirmation, name="confirmation"),
    path("<uuid:public_id>/<slug:action>/", views.act, name="act"),
]
