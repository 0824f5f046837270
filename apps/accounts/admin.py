"""The Django admin for accounts: superusers only (see apps/core/admin.py), kept to the same rules as the
administrators' pages — never all three administrator roles, never an administrator role with a business role —
and every change of groups or permissions made here is audited under the superuser's name."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from apps.accounts import services_admin
from apps.accounts.models import User
from apps.core import roles


class UserAdminForm(UserChangeForm):
    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if groups is not None:
            services_admin.validate_role_set(
                [g.name for g in groups if g.name in roles.ALL_ROLES])
        return groups


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserAdminForm
    list_display = ["username", "full_name", "jurisdiction", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "jurisdiction"]
    search_fields = ["username", "full_name"]
    raw_id_fields = ["person"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Platform"), {"fields": ("full_name", "phone", "jurisdiction", "person", "handling_unit",
                                    "must_change_password")}),
    )

    def save_related(self, request, form, formsets, change):
        with services_admin.acting_as(user=request.user, request=request):
            super().save_related(request, form, formsets, change)

