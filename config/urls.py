from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from api.api import api

# The back office (Django admin) also demands the second factor of a confirmed TOTP device.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("employers/", include("employers.urls")),
    path("applicants/", include("applicants.urls")),
    path("materials/", include("materials.urls")),
    path("cases/", include("cases.urls")),
    path("permits/", include("permits.urls")),
    path("oversight/", include("oversight.urls")),
    path("eligibility/", include("eligibility.urls")),
    path("simulations/", include("simulations.urls")),
    path("", include("core.urls")),
]
