from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import TextField
from django.db.models.expressions import RawSQL

from apps.accounts.models import ACCESS_JSON_SQL


class RosterAwareModelBackend(ModelBackend):
    """The model backend, with the user's jurisdiction (every page's scope), roles and permissions (own and
    through roles) loaded with the user in one query: every signed-in request pays one round trip for them."""

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        try:
            user_id = User._meta.pk.to_python(user_id)
            user = (User._default_manager.select_related("jurisdiction")
                    .annotate(access_rows=RawSQL(ACCESS_JSON_SQL, [user_id, user_id], output_field=TextField()))
                    .get(pk=user_id))
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
