"""Admin views: registry data is read-only (it comes from the market-regulation import)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from employers.models import Association, Employer, Invitation, Operator, RegistryEntry


@admin.register(RegistryEntry)
class RegistryEntryAdmin(admin.ModelAdmin):
    list_display = ("credit_code", "name", "legal_person_kind", "registered_district", "imported_at")
    list_filter = ("legal_person_kind", "registered_district")
    search_fields = ("credit_code", "name")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "category", "rights_status", "rights_kind", "association_code_expires_on")
    list_filter = ("rights_status", "rights_kind", "category")
    search_fields = ("registry__credit_code", "registry__name")
    readonly_fields = ("registry", "association_code", "rights_decided_by")


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ("user", "employer", "is_admin", "created_at")
    search_fields = ("user__username", "employer__registry__name")


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ("public_id", "employer", "status", "requested_at", "decided_at")
    list_filter = ("status",)
    readonly_fields = ("applicant", "employer", "labour_contract", "resignation_certificate", "decided_by")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "employer", "created_at", "accepted_at")
