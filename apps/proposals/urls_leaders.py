"""The pages of leaders who lead the supervision of key items (我督办的建议)."""

from django.urls import path

from apps.proposals.views import leaders as views

urlpatterns = [
    path("led/", views.leader_list, name="leader_list"),
    path("led/<int:pk>/", views.leader_detail, name="leader_detail"),
    path("led/<int:pk>/records/", views.leader_record_add, name="leader_record_add"),
]
