from django.core.management.base import BaseCommand

from core.services import roles_sync


class Command(BaseCommand):
    help = "Bring each role's group in line with the permissions declared in core/roles.py."

    def handle(self, *args, **options):
        roles_sync()
        self.stdout.write("Roles synchronised.")
