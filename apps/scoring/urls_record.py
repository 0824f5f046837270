"""A deputy's performance record for the office, reports to voters (述职) and commendations; mounted under
/scoring/ (namespace "scoring")."""

from django.urls import path

from apps.scoring.views import record as views

urlpatterns = [
    path("deputies/<int:person_pk>/record/", views.deputy_record, name="deputy_record"),
    path("deputies/<int:person_pk>/record/report.pdf", views.deputy_record_pdf, name="deputy_record_pdf"),
    path("deputies/<int:person_pk>/record/scores/<int:score_pk>/items/<int:item_pk>/", views.deputy_record_line,
         name="deputy_record_line"),
    path("voter-reports/", views.voter_report_list, name="voter_report_list"),
    path("voter-reports/export/", views.voter_report_export, name="voter_report_export"),
    path("voter-reports/counts/", views.voter_report_counts, name="voter_report_counts"),
    path("deputies/<int:person_pk>/voter-reports/new/", views.voter_report_create, name="voter_report_create"),
    path("voter-reports/<int:pk>/edit/", views.voter_report_edit, name="voter_report_edit"),
    path("voter-reports/<int:pk>/delete/", views.voter_report_delete, name="voter_report_delete"),
    path("commendations/", views.commendation_list, name="commendation_list"),
    path("deputies/<int:person_pk>/commendations/new/", views.commendation_create, name="commendation_create"),
    path("commendations/<int:pk>/edit/", views.commendation_edit, name="commendation_edit"),
    path("commendations/<int:pk>/delete/", views.commendation_delete, name="commendation_delete"),
]
