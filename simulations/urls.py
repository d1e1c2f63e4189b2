from django.urls import path

from simulations import views

app_name = "simulations"
urlpatterns = [
    path("", views.index, name="index"),
    path("compare/", views.compare, name="compare"),
    path("token/", views.token_create, name="token"),
    path("drafts/<uuid:public_id>/", views.draft, name="draft"),
    path("runs/<uuid:public_id>/", views.run, name="run"),
    path("runs/<uuid:public_id>/progress/", views.run_progress, name="run_progress"),
    path("runs/<uuid:public_id>/resume/", views.run_resume, name="run_resume"),
    path("runs/<uuid:public_id>/export/<str:fmt>/", views.run_export, name="run_export"),
]
