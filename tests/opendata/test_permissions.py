"""Every URL of the public portal (/open/), anonymous first: each page and file opens for anyone, signed in or not
(200 with data, 404 for a year or an item that is not published), and refuses a POST (405) without writing
anything. The views read no role, so the table takes the anonymous visitor, a signed-in user with no role and one
with a role (the office); tests/security/test_url_matrix.py sweeps every route as anonymous and as the outsider too."""

import pytest
from django.urls import reverse

from apps.proposals.models import Proposal
from tests.opendata.conftest import published
from tests.security.matrix_support import Matrix

ROLES = ["anonymous", "outsider", "staff_user"]

# url name → (argument kinds, who opens it): every row is public
URLS = {
    "index": ((), "public"),
    "reply_detail": (("item",), "public"),
    "statistics": (("year",), "public"),
    "data": ((), "public"),
    "year_csv": (("year",), "public"),
    "year_json": (("year",), "public"),
    "feed": ((), "public"),
}


@pytest.fixture
def records(municipal_mandate, units):
    item = published(mandate=municipal_mandate, unit=units[0], number=1, title="关于增设社区养老服务站的建议")
    return {"item": item, "year": item.year}


def _url(name, records):
    kinds = URLS[name][0]
    args = [records[kind] if kind == "year" else records[kind].pk for kind in kinds]
    return reverse(f"opendata:{name}", args=args)


def _expected(name, role, method):
    return 405 if method == "post" else 200


def _check(response, expected):
    assert response.status_code == expected
    if expected == 200:  # public for the anonymous; the middleware makes it private for a signed-in user
        assert "public" in response["Cache-Control"] or "private" in response["Cache-Control"]


MATRIX = Matrix(namespace="opendata", urls=URLS, roles=ROLES, urlconf="apps.opendata.urls", expected=_expected,
                url=_url, get_outcome=_check, post_outcome=_check,
                state=lambda records: list(Proposal.objects.values_list("pk", "version", "is_confidential")))

test_every_url_is_in_the_matrix = MATRIX.every_url_test()
test_get = MATRIX.get_test(sorted(URLS))
test_post = MATRIX.post_test(sorted(URLS))


def test_an_unpublished_year_or_item_is_404_for_everyone(client, records):
    Proposal.objects.filter(pk=records["item"].pk).update(is_confidential=True)
    for name in ("reply_detail", "statistics", "year_csv", "year_json"):
        assert client.get(_url(name, records)).status_code == 404, name
    for url in (reverse("opendata:statistics", args=[999999]), reverse("opendata:year_csv", args=[1900]),
                reverse("opendata:reply_detail", args=[999999])):
        assert client.get(url).status_code == 404, url
