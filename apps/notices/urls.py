from django.urls import path

from apps.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.notice_read, name="notice_read"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("office/", views.notice_list, name="notice_list"),
    path("office/new/", views.notice_create, name="notice_create"),
    path("office/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("office/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("office/<int:pk>/delete/", views.notice_delete, name="notice_delete"),
    path("office/<int:pk>/end/", views.notice_end, name="notice_end"),
    path("office/<int:pk>/export/", views.notice_export, name="notice_export"),
    path("office/<int:pk>/remind/", views.notice_remind, name="notice_remind"),
]
