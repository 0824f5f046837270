from django.urls import path

from apps.proposals.views import board as views

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/items/", views.board_items, name="board_items"),
    path("board/co-units-not-signed/", views.board_co_units, name="board_co_units"),
]
