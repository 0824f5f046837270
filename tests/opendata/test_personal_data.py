"""No personal data on the public portal: every page and file of /open/ is held against the ID numbers, phones
and addresses of the deputies involved (plain and masked as the roster masks them), the handling unit's contact,
and an invited co-signer who never confirmed. Deputies are named only as the signers of a suggestion."""

import datetime

from django.urls import reverse

from apps.deputies.models import Person
from apps.deputies.validators import mask_id_number, mask_phone
from apps.proposals.models import Rating, Signature
from tests.factories import make_id_number
from tests.opendata.conftest import published


def _every_public_response(client, item):
    year = item.year
    urls = [reverse("opendata:index"), reverse("opendata:index") + "?q=供暖",
            reverse("opendata:reply_detail", args=[item.pk]), reverse("opendata:statistics", args=[year]),
            reverse("opendata:data"), reverse("opendata:year_csv", args=[year]),
            reverse("opendata:year_json", args=[year]), reverse("opendata:feed")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        yield url, body.decode("utf-8")


def test_no_public_page_or_file_shows_personal_data(client, municipal_mandate, units):
    item = published(mandate=municipal_mandate, unit=units[0], number=1, title="关于改善老旧小区供暖的建议",
                     cosigners=1, rated=Rating.Result.SATISFIED)
    people = Person.objects.filter(signatures__proposal=item)
    for n, person in enumerate(people):
        person.id_number = make_id_number(datetime.date(1975, 3, 9 + n), seq=700 + n)
        person.phone = f"1391234{n:04d}"
        person.address = f"长春市南关区幸福路{88 + n}号"
        person.employer = f"长春市某保密单位{n}"
        person.save()
    invited = Signature.objects.get(proposal=item, role=Signature.Role.COSIGNER, confirmed_at__isnull=True)
    signers = [s.person.name for s in Signature.objects.filter(proposal=item).exclude(pk=invited.pk)]
    secrets = {units[0].contact_name, units[0].contact_phone, mask_phone(units[0].contact_phone)}
    for person in Person.objects.filter(pk__in=people.values("pk")):
        secrets |= {person.id_number, mask_id_number(person.id_number), person.phone, mask_phone(person.phone),
                    person.address, person.employer}
    assert len(secrets) == 3 + 6 * 3  # every value distinct, none empty

    seen_signers = False
    for url, body in _every_public_response(client, item):
        for secret in secrets:
            assert secret not in body, (url, secret)
        assert invited.person.name not in body, url  # never confirmed: not a signer
        seen_signers |= all(name in body for name in signers)
    assert seen_signers  # the signers are named (the check above would pass on an empty page)
