"""How long the password reset page takes for an address that has an
account and for one that has not, alternately in one process, with a real
Redis as the broker (no worker: the email is only queued).

Headline: the known address's median time divided by the unknown one's
(target 0.90-1.10: the page must not tell them apart; a known address used
to take 0.1-0.3 s longer).
"""

import os

os.environ.setdefault("CELERY_BROKER_URL", os.environ.get("REDIS_URL", ""))

from _harness import setup, timed_pair

setup()

from django.test import Client
from django.urls import reverse

from core.models import OutboxMessage, User

LOW, HIGH = 0.90, 1.10
KNOWN = "bench.reset@example.gov.uk"


def main() -> None:
    from config.celery_app import app

    if not app.conf.broker_url or app.conf.task_always_eager:
        raise SystemExit("Set REDIS_URL (scripts/benchmarks does): the email must be queued.")
    user = User.objects.create_user("bench-reset", KNOWN, "a-long-benchmark-passphrase")
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    client = Client()
    url = reverse("password_reset")
    try:
        known, unknown = timed_pair(
            lambda: client.post(url, {"email": KNOWN}),
            lambda: client.post(url, {"email": "nobody.here@example.gov.uk"}),
            repeat=100,
        )
    finally:
        OutboxMessage.objects.exclude(pk__in=before).delete()
        user.delete()
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge("celery")
    ratio = known / unknown
    print(f"known address {known:.1f} ms, unknown address {unknown:.1f} ms (medians)")
    print(f"password_reset: {ratio:.2f} (target {LOW:.2f}-{HIGH:.2f})")
    if not LOW <= ratio <= HIGH:
        raise SystemExit(1)


main()
