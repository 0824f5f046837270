from django.urls import path

from apps.training import views

app_name = "training"
urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("programs/new/", views.program_create, name="program_create"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("programs/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("programs/<int:pk>/materials/", views.material_upload, name="material_upload"),
    path("materials/<int:pk>/", views.material_download, name="material_download"),
    path("materials/<int:pk>/delete/", views.material_delete, name="material_delete"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/sign-in-sheet.pdf", views.session_sign_in_sheet, name="session_sign_in_sheet"),
    path("sessions/<int:pk>/search/", views.attendance_search, name="attendance_search"),
    path("sessions/<int:pk>/attendance/add/", views.attendance_add, name="attendance_add"),
    path("sessions/<int:pk>/attendance/paste/", views.attendance_paste, name="attendance_paste"),
    path("sessions/<int:pk>/attendance/replies/", views.attendance_from_replies, name="attendance_from_replies"),
    path("sessions/<int:pk>/attendance/import/", views.attendance_import, name="attendance_import"),
    path("attendance/<int:pk>/", views.attendance_edit, name="attendance_edit"),
    path("attendance/<int:pk>/remove/", views.attendance_remove, name="attendance_remove"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/untrained/", views.coverage_untrained, name="coverage_untrained"),
    path("coverage/export/", views.coverage_export, name="coverage_export"),
]
