"""The deputy's side of motions and suggestions, mounted under /proposals/ (namespace "proposals")."""

from django.urls import path

from apps.proposals.views import deputy as views

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/new/", views.proposal_new, name="proposal_new"),
    path("mine/<int:pk>/", views.my_proposal_detail, name="my_proposal_detail"),
    path("mine/<int:pk>/edit/", views.my_proposal_edit, name="my_proposal_edit"),
    path("mine/<int:pk>/submit/", views.my_proposal_submit, name="my_proposal_submit"),
    path("mine/<int:pk>/withdraw/", views.my_proposal_withdraw, name="my_proposal_withdraw"),
    path("mine/<int:pk>/files/", views.my_attachment_upload, name="my_attachment_upload"),
    path("mine/<int:pk>/cosigners/", views.cosigners_invite, name="cosigners_invite"),
    path("mine/<int:pk>/cosigners/<int:signature_pk>/remove/", views.cosigner_remove, name="cosigner_remove"),
    path("mine/<int:pk>/rate/", views.my_rating, name="my_rating"),
    path("mine/<int:pk>/follow-ups/<int:follow_up_pk>/", views.my_follow_up_answer, name="my_follow_up_answer"),
    path("cosign/", views.cosign_list, name="cosign_list"),
    path("cosign/<int:signature_pk>/confirm/", views.cosign_confirm, name="cosign_confirm"),
    path("cosign/<int:signature_pk>/decline/", views.cosign_decline, name="cosign_decline"),
    path("similar/", views.similar, name="similar"),
    path("deputies/search/", views.deputy_search, name="deputy_search"),
]
