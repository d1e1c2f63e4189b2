from django.urls import path

from eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("self-check/", views.self_check, name="self_check"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("admin/parameters/", views.admin_parameters, name="admin_parameters"),
    path("admin/calendar/", views.admin_calendar, name="admin_calendar"),
]
