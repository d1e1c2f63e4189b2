from django.urls import path

from applicants import views

app_name = "applicants"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("profile/", views.profile, name="profile"),
    path("profile/section/<slug:key>/", views.save_section, name="section"),
    path("profile/photo/", views.upload_photo, name="photo"),
    path("profile/periods/add/", views.period_edit, name="period_add"),
    path("profile/periods/<uuid:public_id>/", views.period_edit, name="period_edit"),
    path("profile/periods/<uuid:public_id>/remove/", views.period_remove, name="period_remove"),
    path("profile/children/add/", views.child_edit, name="child_add"),
    path("profile/children/<uuid:public_id>/", views.child_edit, name="child_edit"),
    path("profile/children/<uuid:public_id>/remove/", views.child_remove, name="child_remove"),
    path("<uuid:public_id>/", views.staff_detail, name="staff_detail"),
]
