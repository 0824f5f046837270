"""Every write of the publicity records (audited by apps.core.audit: the app is in AUDITED_APPS)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.uploads import check_upload
from apps.publicity.models import PublicityItem


@transaction.atomic
def item_create(*, user, kind: str, jurisdiction, date, outlet: str, title: str, issue_number: str = "",
                url: str = "", attachment=None, deputies=(), activities=()) -> PublicityItem:
    if kind == PublicityItem.Kind.COLUMN and not issue_number.strip():
        raise ValidationError({"issue_number": _("A newspaper column needs its issue number.")})
    if not url and not attachment:
        raise ValidationError(_("Give a link or attach the file."))
    if attachment:
        check_upload(attachment)
    item = PublicityItem.objects.create(kind=kind, jurisdiction=jurisdiction, date=date, outlet=outlet, title=title,
                                        issue_number=issue_number.strip(), url=url, attachment=attachment or "",
                                        created_by=user)
    item.deputies.set(deputies)
    item.activities.set(activities)
    return item
