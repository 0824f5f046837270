"""Every write of the publicity records (audited by apps.core.audit: the app is in AUDITED_APPS)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.uploads import check_upload
from apps.publicity.models import PublicityItem


def _check(*, kind: str, issue_number: str, url: str, attachment) -> None:
    if kind == PublicityItem.Kind.COLUMN and not issue_number.strip():
        raise ValidationError({"issue_number": _("A newspaper column needs its issue number.")})
    if not url and not attachment:
        raise ValidationError(_("Give a link or attach the file."))


@transaction.atomic
def item_create(*, user, kind: str, jurisdiction, date, outlet: str, title: str, issue_number: str = "",
                url: str = "", attachment=None, deputies=(), activities=()) -> PublicityItem:
    _check(kind=kind, issue_number=issue_number, url=url, attachment=attachment)
    if attachment:
        check_upload(attachment)
    item = PublicityItem.objects.create(kind=kind, jurisdiction=jurisdiction, date=date, outlet=outlet, title=title,
                                        issue_number=issue_number.strip(), url=url, attachment=attachment or "",
                                        created_by=user)
    item.deputies.set(deputies)
    item.activities.set(activities)
    return item


@transaction.atomic
def item_update(*, user, item: PublicityItem, kind: str, jurisdiction, date, outlet: str, title: str,
                issue_number: str = "", url: str = "", attachment=None, deputies=(),
                activities=()) -> PublicityItem:
    """Change a record; a new file replaces the attachment, none keeps it (audited by the model signals)."""
    item = PublicityItem.objects.select_for_update().get(pk=item.pk)
    _check(kind=kind, issue_number=issue_number, url=url, attachment=attachment or item.attachment)
    if attachment:
        check_upload(attachment)
        item.attachment = attachment
    item.kind, item.jurisdiction, item.date, item.outlet, item.title = kind, jurisdiction, date, outlet, title
    item.issue_number, item.url = issue_number.strip(), url
    item.save()
    item.deputies.set(deputies)
    item.activities.set(activities)
    return item


@transaction.atomic
def item_delete(*, user, item: PublicityItem) -> None:
    """Delete a record (audited by the model signals); the yearly counts no longer count it."""
    PublicityItem.objects.select_for_update().get(pk=item.pk).delete()
