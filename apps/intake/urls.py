from django.urls import path

from apps.intake import views

app_name = "intake"

urlpatterns = [
    # public: what a code's QR opens, and the lookup (在线查询)
    path("v/<str:token>/", views.submit, name="submit"),
    path("lookup/", views.lookup, name="lookup"),
    # the inbox
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.intake_detail, name="intake_detail"),
    path("<int:pk>/photo/", views.intake_photo, name="intake_photo"),
    path("<int:pk>/reveal/", views.intake_reveal, name="intake_reveal"),
    path("<int:pk>/accept/", views.intake_accept, name="intake_accept"),
    path("<int:pk>/close/", views.intake_close, name="intake_close"),
    path("<int:pk>/suggestion/", views.intake_suggestion, name="intake_suggestion"),
    path("<int:pk>/follow-up/", views.intake_follow_up, name="intake_follow_up"),
    path("<int:pk>/tell-back/", views.intake_tell_back, name="intake_tell_back"),
    # codes
    path("codes/", views.code_list, name="code_list"),
    path("codes/mine/", views.my_code, name="my_code"),
    path("codes/<slug:kind>/<int:pk>/", views.code_detail, name="code_detail"),
    path("codes/<slug:kind>/<int:pk>/print/", views.code_print, name="code_print"),
    path("codes/<slug:kind>/<int:pk>/rotate/", views.code_rotate, name="code_rotate"),
]
