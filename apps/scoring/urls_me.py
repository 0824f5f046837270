"""The deputy's own performance record (履职档案) at the site's root: ``/me/`` (namespace "me")."""

from django.urls import path

from apps.scoring.views import record as views

app_name = "me"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/report.pdf", views.me_pdf, name="me_pdf"),
    path("me/disputes/", views.me_dispute, name="me_dispute"),
    path("me/scores/<int:score_pk>/items/<int:item_pk>/", views.me_line, name="me_line"),
]
