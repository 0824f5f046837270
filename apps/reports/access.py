"""Who may see which report batches: every reports view reads batches through these helpers.

Staff and supervisors holding ``reports.view_reportbatch`` see the batches of their jurisdiction and below;
staff holding ``reports.add_reportbatch`` start them. Deputies do not use these pages (their own PDF is on
``/me/``). A batch outside the user's scope is a 404; a page the role does not open is a 403.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.core import access, roles
from apps.core.access import is_pk, jurisdiction_scope
from apps.reports.models import ReportBatch, ReportFile

OFFICE_PERM = "reports.view_reportbatch"
# 403 unless the user is of the office (``apps.core.access.is_office``) and may see report batches.
office_required = access.office_required(perm=OFFICE_PERM)


def is_office(user) -> bool:
    return access.is_office(user, OFFICE_PERM)


def can_start(user) -> bool:
    return bool(is_office(user) and user.has_role(roles.STAFF) and user.has_perm("reports.add_reportbatch"))


def office_batches(user) -> QuerySet[ReportBatch]:
    if not is_office(user):
        return ReportBatch.objects.none()
    return ReportBatch.objects.filter(jurisdiction_scope(user))


def batch_for_user(user, pk) -> ReportBatch:
    if not is_pk(pk):
        raise Http404
    return get_object_or_404(office_batches(user).select_related("jurisdiction", "requested_by"), pk=pk)


def file_for_user(user, batch: ReportBatch, pk) -> ReportFile:
    if not is_pk(pk):
        raise Http404
    return get_object_or_404(ReportFile.objects.select_related("batch"), batch=batch, pk=pk)
