from django.urls import path

from permits import views

app_name = "permits"
urlpatterns = [
    path("", views.permit_list, name="list"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("<uuid:public_id>/", views.permit_detail, name="detail"),
    path("<uuid:public_id>/slip.pdf", views.slip_pdf, name="slip"),
]
