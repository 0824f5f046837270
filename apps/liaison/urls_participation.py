from django.urls import path

from apps.liaison.views import participation as views

urlpatterns = [
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/export/", views.invitation_export, name="invitation_export"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/counts/", views.participation_counts, name="participation_counts"),
    path("invitations/<int:pk>/", views.invitation_detail, name="invitation_detail"),
    path("invitations/<int:pk>/edit/", views.invitation_edit, name="invitation_edit"),
    path("invitations/<int:pk>/invite/", views.invitation_invite, name="invitation_invite"),
    path("invitations/<int:pk>/attendance/", views.invitation_attendance, name="invitation_attendance"),
    path("invitees/<int:pk>/opinions/new/", views.opinion_create, name="opinion_create"),
    path("opinions/<int:pk>/outcome/", views.opinion_decide, name="opinion_decide"),
    path("my-participation/", views.my_participation, name="my_participation"),
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
]
