from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class RosterAwareModelBackend(ModelBackend):
    """The model backend, with the user's jurisdiction (every page's scope) loaded with the user in one query,
    and all permissions (own and through roles) read in one query instead of two."""

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        try:
            user = User._default_manager.select_related("jurisdiction").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                user_obj._perm_cache = {
                    f"{ct}.{name}"
                    for ct, name in Permission.objects.values_list("content_type__app_label", "codename")
                }
            else:
                user_obj.load_access()
        return user_obj._perm_cache
