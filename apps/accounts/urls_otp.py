"""Two-factor authentication (included by ``apps.accounts.urls``, namespace ``accounts``)."""

from django.urls import path

from apps.accounts import views_otp

urlpatterns = [
    path("otp/", views_otp.otp_manage, name="otp_manage"),
    path("otp/verify/", views_otp.otp_verify, name="otp_verify"),
    path("otp/setup/", views_otp.otp_setup, name="otp_setup"),
    path("otp/disable/", views_otp.otp_disable, name="otp_disable"),
    path("otp/devices/", views_otp.otp_device_list, name="otp_device_list"),
    path("otp/devices/<int:pk>/reset/", views_otp.otp_reset, name="otp_reset"),
]
