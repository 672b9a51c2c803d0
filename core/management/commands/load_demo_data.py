from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app that has demo data provides demo.load(stdout), or the function
# named after the colon; order matters where one app's demo data refers to
# another's. The reminders come last: they are about every app's dates.
DEMO_MODULES = [
    "core.demo",
    "providers.demo",
    "contracts.demo",
    "performance.demo",
    "performance.demo_failures",
    "procurement.demo",
    "finance.demo",
    "contracts.demo:load_reminders",
]


class Command(BaseCommand):
    help = "Load the demo organisations, providers and one user per role. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (the demo users have a published password).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to load demo users with a published password while DEBUG is off. "
                "Pass --allow-production if this really is a demonstration site."
            )
        with transaction.atomic():
            for step in DEMO_MODULES:
                module, _, function = step.partition(":")
                self.stdout.write(f"Demo data from {step}:")
                getattr(import_module(module), function or "load")(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at /sign-in/"))
