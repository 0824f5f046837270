from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from apps.accounts import views, views_otp

app_name = "accounts"
urlpatterns = [
    path("login/", login_not_required(views_otp.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/password_change_done.html"), name="password_change_done"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/<int:pk>/lift/", views.lockout_lift_view, name="lockout_lift"),
    path("", include("apps.accounts.urls_otp")),
    path("", include("apps.accounts.urls_admin")),
]
