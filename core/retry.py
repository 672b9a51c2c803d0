"""When background work from the outbox is tried again (decision 0014).
Plain Python: the outbox and its tests share these numbers."""

from datetime import timedelta

# A failed attempt is tried again after 1, 2, 4 ... minutes, at most an hour
# apart; after this many the work is marked as given up, for someone to see,
# rather than tried for ever (about a day, as for reminders).
MAX_ATTEMPTS = 30
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=1)
# A message handed to the broker but still not done after this long was
# lost (Redis restarted without its data, a queue purged): hand it over
# again. Doing it twice is safe, so this only has to be longer than a busy
# queue normally takes.
REDELIVER_AFTER = timedelta(minutes=15)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    if attempts < 1:
        raise ValueError("retry_delay is for work that has failed at least once")
    # Capping the exponent keeps the arithmetic small for any count.
    return min(FIRST_DELAY * 2 ** min(attempts - 1, 16), LONGEST_DELAY)


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS
