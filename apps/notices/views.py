"""The notices' pages: the recipient's inbox and notice, the office's list, form, receipts, export and reminder.

Function views with decorators: a role for the inbox, the office (with the app's permission) for the rest; an
object out of the user's scope is a 404 (``apps.notices.access``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.core import roles
from apps.core.access import office_required, role_required
from apps.core.excel import simple_workbook, xlsx_response
from apps.core.services import audit_event
from apps.core.web import file_download, page_with_query, submit_form
from apps.notices import access, selectors, services
from apps.notices.forms import EndForm, NoticeForm, ReplyForm, initial_of
from apps.notices.models import NoticeAttachment

PAGE_SIZE = 30


@require_safe
@never_cache
@role_required(*roles.ALL_ROLES)
def inbox(request):
    only = request.GET.get("only", "")
    only = only if only in ("unread", "awaiting") else ""
    page, query = page_with_query(request, selectors.inbox(access.own_receipts(request.user), only=only),
                                  PAGE_SIZE)
    return render(request, "notices/inbox.html", {"page": page, "query": query, "only": only})


@never_cache
@role_required(*roles.ALL_ROLES)
def notice_read(request, pk):
    """A recipient opens a notice: the read receipt is recorded; a meeting notice takes the reply here."""
    receipt = access.receipt_for_recipient(request.user, pk)
    services.notice_read(receipt=receipt)
    form = ReplyForm(request.POST or None, initial={"reply": receipt.reply, "reason": receipt.reason})
    if response := submit_form(
            request, form, lambda data: services.notice_reply(receipt=receipt, **data),
            message=_("Your reply was recorded."), done=lambda r: redirect("notices:notice_read", pk=pk)):
        return response
    notice = receipt.notice
    return render(request, "notices/notice_read.html", {
        "receipt": receipt, "notice": notice, "form": form, "attachments": notice.attachments.all(),
        "can_reply": notice.is_meeting and (notice.reply_deadline is None
                                            or timezone.now() <= notice.reply_deadline)})


@require_safe
@never_cache
@role_required(*roles.ALL_ROLES)
def attachment_download(request, pk):
    attachment = get_object_or_404(NoticeAttachment.objects.select_related("notice"), pk=pk)
    if not (access.can_view(request.user) and access.office_notices(request.user).filter(
            pk=attachment.notice_id).exists()):
        access.receipt_for_recipient(request.user, attachment.notice_id)  # 404 unless he received it
    audit_event(request=request, action="download", obj=attachment, detail=attachment.name)
    return file_download(attachment.file.open("rb"), filename=attachment.name,
                         content_type=attachment.content_type)


@require_safe
@never_cache
@office_required(perm=access.VIEW)
def notice_list(request):
    page, query = page_with_query(request, selectors.office_list(access.office_notices(request.user)), PAGE_SIZE)
    return render(request, "notices/notice_list.html", {
        "page": page, "query": query, "can_write": access.can_write(request.user)})


@never_cache
@office_required(perm=access.WRITE)
def notice_create(request):
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user)
    if response := submit_form(
            request, form, lambda data: services.notice_create(user=request.user, **form.service_arguments()),
            message=lambda notice: (_("The notice was published to %(count)d recipients.")
                                    % {"count": notice.receipts.count()} if notice.is_published
                                    else _("The notice will be published at the set time.")),
            done=lambda notice: redirect("notices:notice_detail", pk=notice.pk)):
        return response
    return render(request, "notices/notice_form.html", {"form": form})


@never_cache
@office_required(perm=access.WRITE)
def notice_edit(request, pk):
    """Edit a scheduled notice; a published one goes back to its page (it can only be ended there)."""
    notice = access.notice_for_office(request.user, pk)
    if notice.is_published:
        messages.error(request, _("The notice is already published: it can no longer be edited or deleted, only "
                                  "ended by the date it is shown until."))
        return redirect("notices:notice_detail", pk=pk)
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user, notice=notice,
                      initial=initial_of(notice))
    if response := submit_form(
            request, form,
            lambda data: services.notice_update(user=request.user, notice=notice, **form.service_arguments()),
            message=lambda notice: (_("The notice was published to %(count)d recipients.")
                                    % {"count": notice.receipts.count()} if notice.is_published
                                    else _("The notice was saved; it will be published at the set time.")),
            done=lambda notice: redirect("notices:notice_detail", pk=notice.pk)):
        return response
    return render(request, "notices/notice_form.html", {"form": form, "notice": notice})


def _refused_or(request, act, message: str) -> bool:
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, message)
    return True


@require_POST
@office_required(perm=access.WRITE)
def notice_delete(request, pk):
    notice = access.notice_for_office(request.user, pk)
    if _refused_or(request, lambda: services.notice_delete(user=request.user, notice=notice),
                   _("The notice “%(title)s” was deleted.") % {"title": notice.title}):
        return redirect("notices:notice_list")
    return redirect("notices:notice_detail", pk=pk)


@require_POST
@office_required(perm=access.WRITE)
def notice_end(request, pk):
    """End a published notice: the recipients no longer see it after the chosen day."""
    notice = access.notice_for_office(request.user, pk)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        ends_on = form.cleaned_data["ends_on"]
        _refused_or(request, lambda: services.notice_end(user=request.user, notice=notice, ends_on=ends_on),
                    _("The notice is shown until %(date)s.") % {"date": f"{ends_on:%Y年%-m月%-d日}"})
    return redirect("notices:notice_detail", pk=pk)


@require_safe
@never_cache
@office_required(perm=access.VIEW)
def notice_detail(request, pk):
    """Per notice: who read it and who did not, and the meeting replies."""
    notice = access.notice_for_office(request.user, pk)
    page, query = page_with_query(request, selectors.receipts_of(notice), 100)
    return render(request, "notices/notice_detail.html", {
        "notice": notice, "page": page, "query": query, "counts": selectors.receipt_counts(notice),
        "attachments": notice.attachments.all(), "can_write": access.can_write(request.user),
        "announced": selectors.announced(notice, request.user),
        "end_form": EndForm(initial={"ends_on": notice.ends_on or timezone.localdate()})})


@require_safe
@never_cache
@office_required(perm=access.VIEW)
def notice_export(request, pk):
    notice = access.notice_for_office(request.user, pk)
    rows = [(r.user.full_name or r.user.username, r.user.username,
             timezone.localtime(r.read_at).strftime("%Y-%m-%d %H:%M") if r.read_at else "",
             r.get_reply_display() if r.reply else "", r.reason) for r in selectors.receipts_of(notice)]
    headers = [_("Recipient"), _("Account"), _("Read at"), _("Reply"), _("Reason")]
    audit_event(request=request, action="export", obj=notice, detail=notice.title)
    return xlsx_response(simple_workbook(_("Receipts"), headers, rows, widths=(16, 16, 18, 10, 40)),
                         filename=f"{_('Receipts')}-{notice.pk}.xlsx")


@require_POST
@office_required(perm=access.WRITE)
def notice_remind(request, pk):
    notice = access.notice_for_office(request.user, pk)
    try:
        count = services.notice_remind(user=request.user, notice=notice)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)d recipients were reminded.") % {"count": count})
    return redirect("notices:notice_detail", pk=pk)
