from django.urls import path

from apps.covenant.views import index, meetings, notices, records

app_name = "covenant"
urlpatterns = [
    path("", index.index, name="index"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", meetings.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/sign-in-sheet.pdf", meetings.meeting_sign_in_sheet, name="meeting_sign_in_sheet"),
    path("meetings/<int:pk>/speeches/new/", meetings.speech_create, name="speech_create"),
    path("speeches/", meetings.speech_list, name="speech_list"),
    path("speeches/<int:pk>/delete/", meetings.speech_delete, name="speech_delete"),
    path("flags/", notices.flags, name="flags"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/new/", notices.notice_create, name="notice_create"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", notices.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/publish/", notices.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/notice.xlsx", notices.notice_xlsx, name="notice_xlsx"),
    path("notices/<int:pk>/notice.pdf", notices.notice_pdf, name="notice_pdf"),
    path("leave/", records.leave_list, name="leave_list"),
    path("leave/new/", records.leave_create, name="leave_create"),
    path("leave/<int:pk>/decide/", records.leave_decide, name="leave_decide"),
    path("admonitions/", records.admonition_list, name="admonition_list"),
    path("admonitions/new/", records.admonition_create, name="admonition_create"),
    path("admonitions/<int:pk>/edit/", records.admonition_edit, name="admonition_edit"),
    path("me/", records.my_covenant, name="my_covenant"),
]
