from django.urls import path

from apps.activities.views import activities as views

urlpatterns = [
    path("types/", views.activity_type_list, name="activity_type_list"),
    path("types/new/", views.activity_type_create, name="activity_type_create"),
    path("types/<int:pk>/edit/", views.activity_type_edit, name="activity_type_edit"),
    path("", views.activity_list, name="activity_list"),
    path("calendar/", views.activity_calendar, name="activity_calendar"),
    path("totals/", views.activity_totals, name="activity_totals"),
    path("totals/export/", views.activity_totals_export, name="activity_totals_export"),
    path("new/", views.activity_create, name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("<int:pk>/sign-in-sheet.pdf", views.activity_sign_in_sheet, name="activity_sign_in_sheet"),
    path("<int:pk>/participants/search/", views.participant_search, name="participant_search"),
    path("<int:pk>/participants/add/", views.participants_add, name="participants_add"),
    path("<int:pk>/participants/add-body/", views.participants_add_body, name="participants_add_body"),
    path("<int:pk>/participants/paste/", views.participants_paste, name="participants_paste"),
    path("<int:pk>/participants/import/", views.participants_import, name="participants_import"),
    path("<int:pk>/participants/leave/", views.participants_mark_leave, name="participants_mark_leave"),
    path("<int:pk>/participants/save/", views.participants_save, name="participants_save"),
    path("<int:pk>/participants/replies/", views.participants_from_replies, name="participants_from_replies"),
    path("<int:pk>/participants/<int:participation_pk>/", views.participation_update, name="participation_update"),
    path("<int:pk>/participants/<int:participation_pk>/remove/", views.participation_remove,
         name="participation_remove"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
]
