from django.urls import path

from apps.proposals.views import board as views

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/export/", views.board_export, name="board_export"),
    path("board/items/", views.board_items, name="board_items"),
    path("board/co-units-not-signed/", views.board_co_units, name="board_co_units"),
    path("board/items/export/", views.board_items_export, name="board_items_export"),
]
