"""Who may see which notice: the office of a jurisdiction sees its notices and those below it (a county's staff
never a city's); a recipient sees only the notices he received. Anything else is a 404."""

from django.shortcuts import get_object_or_404

from apps.core.access import is_office, office_required, scope_queryset  # noqa: F401 - the app's one import
from apps.notices.models import Notice, NoticeReceipt

VIEW = "notices.view_notice"
WRITE = "notices.add_notice"


def can_view(user) -> bool:
    return is_office(user, VIEW)


def can_write(user) -> bool:
    return is_office(user, WRITE)


def office_notices(user):
    return scope_queryset(Notice.objects.all(), user)


def notice_for_office(user, pk) -> Notice:
    return get_object_or_404(office_notices(user).select_related("jurisdiction", "created_by"), pk=pk)


def own_receipts(user):
    """The receipts of the published notices the user received."""
    return NoticeReceipt.objects.filter(user=user, notice__status=Notice.Status.PUBLISHED)


def receipt_for_recipient(user, pk) -> NoticeReceipt:
    return get_object_or_404(own_receipts(user).select_related("notice"), notice_id=pk)
