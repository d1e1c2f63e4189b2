from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path, reverse_lazy

from accounts import views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("otp/", views.otp, name="otp"),
    path("sign-in-refused/", views.oidc_refused, name="oidc_refused"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:pk>/approve/", views.staff_approve, name="staff_approve"),
    path("staff/<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/email/password_reset_body.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]

if getattr(settings, "IDENTITY_PROVIDER", "dev") == "oidc":
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
