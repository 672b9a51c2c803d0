"""The sources of queue items, registered on import (work.apps)."""

from work.sources import contracts, finance, procurement  # noqa: F401
