"""scripts/run serves, prints and links emails to one address, read from
RUN_ADDRESS the way runserver reads it (config/run_address.py)."""

import subprocess
import sys

import pytest
from django.conf import settings

from config.run_address import RunAddressError, main, parse


@pytest.mark.parametrize(
    ("run_address", "url", "listen"),
    [
        ("", "http://127.0.0.1:8000", "127.0.0.1:8000"),
        ("8080", "http://127.0.0.1:8080", "127.0.0.1:8080"),
        ("127.0.0.1:8001", "http://127.0.0.1:8001", "127.0.0.1:8001"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080", "0.0.0.0:8080"),
        ("0:9000", "http://127.0.0.1:9000", "0:9000"),
        ("localhost:9000", "http://localhost:9000", "localhost:9000"),
        ("[::1]:8000", "http://[::1]:8000", "[::1]:8000"),
    ],
)
def test_the_address_printed_is_the_one_run_address_serves(run_address, url, listen, capsys):
    address = parse(run_address)
    assert address.url == url
    assert f"{address.listen}:{address.port}" == listen
    assert main([run_address]) == 0
    assert capsys.readouterr().out.split() == [url, address.host, listen]


def test_a_run_address_runserver_would_refuse_is_refused(capsys):
    with pytest.raises(RunAddressError, match="not a port or address:port"):
        parse("localhost:")
    assert main(["not an address"]) == 2
    assert "RUN_ADDRESS" in capsys.readouterr().err


def test_scripts_run_reads_the_address_with_that_code_and_gives_it_to_the_emails():
    script = (settings.BASE_DIR / "scripts" / "run").read_text()
    assert 'config.run_address "${RUN_ADDRESS:-}"' in script
    assert 'export SITE_URL="${SITE_URL:-$url}"' in script
    assert 'echo "Serving $url' in script
    assert 'runserver "${RUN_ADDRESS:-127.0.0.1:8000}"' in script


def test_the_address_is_read_without_django_settings():
    # scripts/run reads it before anything is configured.
    result = subprocess.run(
        [sys.executable, "-m", "config.run_address", "0.0.0.0:8123"],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.split()[0] == "http://127.0.0.1:8123"
