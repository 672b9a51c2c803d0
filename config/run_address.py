"""The address `scripts/run` serves the demo at, from RUN_ADDRESS read the
way `manage.py runserver` reads its address, so what is printed, what the
emails link to (SITE_URL) and what is served are one address.

    python -m config.run_address "$RUN_ADDRESS"

prints the address to open, the host name to allow and the address
listened on, or explains on
stderr and exits 2 if runserver would refuse RUN_ADDRESS.
"""

import re
import sys
from dataclasses import dataclass

from django.core.management.commands.runserver import Command as Runserver
from django.core.management.commands.runserver import naiveip_re

# runserver listens on every interface for these; a browser, and a link in
# an email, reach it on this machine by the loopback address instead.
EVERY_INTERFACE = {"0": "127.0.0.1", "0.0.0.0": "127.0.0.1", "[::]": "[::1]"}  # noqa: S104  # nosec B104: a lookup, not a bind


class RunAddressError(ValueError):
    pass


@dataclass(frozen=True)
class RunAddress:
    listen: str  # the host runserver binds, bracketed if IPv6
    port: str

    @property
    def host(self) -> str:
        return EVERY_INTERFACE.get(self.listen, self.listen)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def every_interface(self) -> bool:
        return self.listen in EVERY_INTERFACE


def parse(run_address: str) -> RunAddress:
    """runserver's reading of its address: "8080", "0.0.0.0:8080",
    "[::1]:8000" or "localhost:9000"; empty is its default, 127.0.0.1:8000."""
    run_address = run_address.strip()
    if not run_address:
        return RunAddress(Runserver.default_addr, Runserver.default_port)
    match = re.match(naiveip_re, run_address)
    if match is None:
        raise RunAddressError(
            f'RUN_ADDRESS "{run_address}" is not a port or address:port, '
            "for example 8080 or 0.0.0.0:8080"
        )
    listen = match["addr"] or Runserver.default_addr
    return RunAddress(listen, match["port"])


def main(argv: list[str]) -> int:
    try:
        address = parse(argv[0] if argv else "")
    except RunAddressError as error:
        print(error, file=sys.stderr)
        return 2
    # The host as ALLOWED_HOSTS spells it (IPv6 in brackets), and where
    # runserver listens.
    print(address.url, address.host, f"{address.listen}:{address.port}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
