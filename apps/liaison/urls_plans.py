from django.urls import path

from apps.liaison.views import plans as views

urlpatterns = [
    path("plans/", views.plan_current, name="plan_current"),
    path("plans/<int:year>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:year>/create/", views.plan_create, name="plan_create"),
    path("plans/<int:year>/propose/", views.plan_propose, name="plan_propose"),
    path("plans/<int:year>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<int:year>/assignments/new/", views.assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
    path("my/", views.member_my, name="member_my"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("special-committees/", views.special_committee_list, name="special_committee_list"),
    path("special-committees/new/", views.special_committee_create, name="special_committee_create"),
    path("quota-rules/", views.quota_rules, name="quota_rules"),
    path("quota-rules/edit/", views.quota_rule_edit, name="quota_rule_edit"),
]
