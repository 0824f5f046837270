"""The handling unit's pages (pk is the unit's ``Assignment``)."""

from django.urls import path

from apps.proposals.views import unit as views

urlpatterns = [
    path("unit/", views.unit_inbox, name="unit_inbox"),
    path("unit/<int:pk>/", views.unit_assignment, name="unit_assignment"),
    path("unit/<int:pk>/accept/", views.unit_accept, name="unit_accept"),
    path("unit/<int:pk>/contact/", views.unit_contact_reveal, name="unit_contact_reveal"),
    path("unit/<int:pk>/return/", views.unit_return, name="unit_return"),
    path("unit/<int:pk>/communications/", views.unit_communication_add, name="unit_communication_add"),
    path("unit/<int:pk>/opinion/", views.unit_opinion, name="unit_opinion"),
    path("unit/<int:pk>/reply/", views.unit_reply, name="unit_reply"),
    path("unit/<int:pk>/reply/edit/", views.unit_reply_edit, name="unit_reply_edit"),
    path("unit/<int:pk>/extension/", views.unit_extension_request, name="unit_extension_request"),
    path("unit/<int:pk>/follow-ups/<int:follow_up_pk>/", views.unit_follow_up_report, name="unit_follow_up_report"),
]
