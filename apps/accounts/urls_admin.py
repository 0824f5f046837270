"""The three administrators' pages (三员分立): accounts, roles and policy, the audit log."""

from django.urls import path

from apps.accounts import views_admin

urlpatterns = [
    # system administrator
    path("manage/accounts/", views_admin.account_list, name="account_list"),
    path("manage/accounts/new/", views_admin.account_create, name="account_create"),
    path("manage/accounts/<int:pk>/edit/", views_admin.account_edit, name="account_edit"),
    path("manage/accounts/<int:pk>/deactivate/", views_admin.account_deactivate, name="account_deactivate"),
    path("manage/accounts/<int:pk>/reactivate/", views_admin.account_reactivate, name="account_reactivate"),
    # security administrator
    path("manage/roles/", views_admin.role_list, name="role_list"),
    path("manage/roles/<int:pk>/", views_admin.role_edit, name="role_edit"),
    path("manage/policy/", views_admin.security_policy, name="security_policy"),
    # audit administrator
    path("audit/", views_admin.audit_list, name="audit_list"),
    path("audit/export/", views_admin.audit_export, name="audit_export"),
]
