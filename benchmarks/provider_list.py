"""The providers list with 10,000 providers: server time and query count.

Target: a page of 25 renders in at most 150 ms, and the number of queries
does not depend on how many providers there are.
"""

from _harness import remove_users, setup, timed

setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import User
from core.roles import Role
from core.services import user_create
from providers.models import Provider

TARGET_MS = 150
PREFIX = "Benchmark provider "


def make_providers(start, stop):
    Provider.objects.bulk_create(
        (
            Provider(
                legal_name=f"{PREFIX}{i:06d} Ltd",
                companies_house_number=f"{90000000 + i:08d}",
                is_sme=i % 3 == 0,
                is_vcse=i % 7 == 0,
            )
            for i in range(start, stop)
        ),
        batch_size=2000,
    )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def main():
    user = user_create(
        username="benchmark.officer",
        email="benchmark@example.org",
        password="benchmark-password-123",
        role=Role.COMMISSIONING_OFFICER,
    )
    client = Client()
    client.force_login(user)
    try:
        make_providers(0, 100)
        small = queries(client, "/providers/?q=Benchmark")
        make_providers(100, 10_000)
        large = queries(client, "/providers/?q=Benchmark")
        print(f"queries with 100 providers: {small}; with 10,000: {large}")
        plain = timed(lambda: client.get("/providers/"))
        search = timed(lambda: client.get("/providers/?q=Benchmark&sme=on"))
        print(f"list page: {plain:.1f} ms; searched and filtered: {search:.1f} ms")
        assert small == large, "query count grows with the number of providers"
        print(f"provider_list: {max(plain, search):.1f} ms (target <= {TARGET_MS} ms)")
    finally:
        Provider.objects.filter(legal_name__startswith=PREFIX).delete()
        remove_users(User.objects.filter(username="benchmark.officer"))


main()
