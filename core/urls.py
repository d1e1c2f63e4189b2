from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("staff/undelivered-mail/", views.undelivered_mail, name="undelivered_mail"),
    path("staff/undelivered-mail/<int:mail_id>/resend/", views.resend_mail, name="resend_mail"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:notification_id>/open/", views.inbox_open, name="inbox_open"),
]
