from django.urls import path

from apps.proposals.views import published as views

urlpatterns = [
    path("published/", views.published_list, name="published_list"),
    path("published/<int:pk>/", views.published_detail, name="published_detail"),
]
