from django.urls import path

from apps.liaison.views import contacts as views

urlpatterns = [
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/export/", views.contact_export, name="contact_export"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/new/deputies/", views.contact_deputy_search, name="contact_deputy_search"),
    path("contacts/new/attendees/", views.contact_attendees, name="contact_attendees"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/requests/new/", views.request_create, name="request_create"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/export/", views.request_export, name="request_export"),
    path("requests/overdue/", views.request_overdue, name="request_overdue"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("requests/<int:pk>/notes/", views.request_note_add, name="request_note_add"),
    path("requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("my-contacts/", views.my_contact_list, name="my_contact_list"),
    path("my-requests/", views.my_request_list, name="my_request_list"),
    path("my-requests/<int:pk>/", views.my_request_detail, name="my_request_detail"),
    path("mailbox/", views.mailbox_list, name="mailbox_list"),
    path("mailbox/<int:pk>/", views.mailbox_detail, name="mailbox_detail"),
    path("mailbox/<int:pk>/assign/", views.mailbox_assign, name="mailbox_assign"),
    path("mailbox/<int:pk>/answer/", views.mailbox_answer, name="mailbox_answer"),
    path("mailbox/<int:pk>/close/", views.mailbox_close, name="mailbox_close"),
    path("my-mailbox/", views.my_thread_list, name="my_thread_list"),
    path("my-mailbox/new/", views.my_thread_create, name="my_thread_create"),
    path("my-mailbox/<int:pk>/", views.my_thread_detail, name="my_thread_detail"),
]
