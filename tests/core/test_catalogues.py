"""The translation catalogues: the project's (``locale/``, first in ``LOCALE_PATHS``) wins over an app's for the
same message, so an app's different translation of it is never shown — 截止日期 where an opinion's addressee was
meant, 通报 (the covenant's notices) as the title of the notices' workbench card, 答复 for a meeting notice's 回执. A word an app
means otherwise needs its own context (``pgettext``); this holds that no app keeps a translation that cannot
show."""

import gettext
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)


def _catalogue(po: Path) -> dict:
    with open(po.with_suffix(".mo"), "rb") as handle:  # compiled by make test (compilemessages)
        return {key: text for key, text in gettext.GNUTranslations(handle)._catalog.items() if key and text}


def test_no_app_translation_is_hidden_by_the_projects_own():
    project = _catalogue(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po")
    hidden = []
    for po in sorted(ROOT.glob("apps/*/locale/zh_Hans/LC_MESSAGES/django.po")):
        for key, text in _catalogue(po).items():
            if key in project and project[key] != text:
                hidden.append(f"{po.parts[-5]}: {key!r} {text} (shown: {project[key]})")
    assert not hidden, "\n".join(hidden)


def test_the_words_that_were_hidden_now_show(staff_user, deputy_user, settings):
    from django.utils import translation

    from apps.funds.forms import BudgetForm
    from apps.intake.models import Intake
    from apps.notices.forms import ReplyForm
    from apps.notices.models import NoticeReceipt
    from tests.notices.conftest import publish

    settings.LANGUAGE_CODE = "zh-hans"
    staff = Client()
    staff.force_login(staff_user)
    assert "暂无通知" in staff.get(reverse("notices:notice_list")).content.decode()
    publish(staff_user, all_serving=True)
    deputy = Client()
    deputy.force_login(deputy_user)
    home = deputy.get("/").content.decode()
    assert "未读通知" in home and "通报" not in home  # the card is 通知 (the menu's word), not the covenant's 通报
    with translation.override("zh-hans"):
        assert str(ReplyForm.base_fields["reply"].label) == "回执"
        assert str(NoticeReceipt._meta.get_field("replied_at").verbose_name) == "回执时间"
        assert str(BudgetForm.base_fields["name"].label) == "名称"
        assert str(Intake._meta.get_field("name").verbose_name) == "姓名"
