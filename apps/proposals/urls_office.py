"""The committee office's pages (staff; supervisors read): mounted at /proposals/ by ``apps.proposals.urls``."""

from django.urls import path

from apps.proposals.views import office as views

urlpatterns = [
    path("", views.proposal_list, name="proposal_list"),
    path("export/", views.proposal_export, name="proposal_export"),
    path("enter/", views.proposal_enter, name="proposal_enter"),
    path("extensions/", views.extension_list, name="extension_list"),
    path("extensions/<int:pk>/", views.extension_decide, name="extension_decide"),
    path("<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("<int:pk>/return/", views.proposal_return, name="proposal_return"),
    path("<int:pk>/register/", views.proposal_register, name="proposal_register"),
    path("<int:pk>/review/", views.proposal_review, name="proposal_review"),
    path("<int:pk>/assign/", views.proposal_assign, name="proposal_assign"),
    path("<int:pk>/merge/", views.proposal_merge, name="proposal_merge"),
    path("<int:pk>/co-opinions/<int:assignment_pk>/waive/", views.co_opinion_waive, name="co_opinion_waive"),
    path("<int:pk>/supervision/", views.proposal_supervision, name="proposal_supervision"),
    path("<int:pk>/confidential/", views.proposal_confidential, name="proposal_confidential"),
    path("<int:pk>/supervision/records/", views.supervision_record_add, name="supervision_record_add"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
]
