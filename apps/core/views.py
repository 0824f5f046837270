from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.core import selectors, services
from apps.core.access import is_office
from apps.core.models import Notification
from apps.core.web import local_redirect


@never_cache
def home(request):
    """The role-aware start page."""
    return render(request, "core/home.html", {"summary": selectors.home_summary(request.user),
                                              "paper_box": is_office(request.user)})


@login_not_required
@never_cache
def healthz(request):
    """JSON with the state of the database, the broker and the workers' heartbeat, each on its own; 200 while
    the database is up (pages work without the broker: jobs wait in the outbox), 503 when it is down."""
    state = {"database": "ok", "broker": "ok", "worker": "unknown"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        state["database"] = f"error: {exc.__class__.__name__}"
    state["broker"] = selectors.broker_state()
    if state["database"] == "ok":
        state["worker"] = selectors.worker_state()
    status = 200 if state["database"] == "ok" else 503
    state["status"] = "ok" if status == 200 else "error"
    return JsonResponse(state, status=status)


def notification_list(request):
    page = selectors.notifications_for(request.user)
    return render(request, "core/notification_list.html", {"notifications": page})


def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification=notification)
    # A notification's link leads within the platform, never to another site.
    return local_redirect(request, notification.url, "core:notification_list")


@require_POST
def notification_read_all(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("core:notification_list")
