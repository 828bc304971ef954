"""Make (or replace) a council's directory provisioning token: ``manage.py scim_token 301``.
The secret is printed once; only its SHA-256 is kept. ``--revoke`` turns provisioning off."""

from django.core.management.base import BaseCommand, CommandError

from openpep.people.models import LocalAuthority
from openpep.scim import services
from openpep.scim.models import ScimToken


class Command(BaseCommand):
    help = "Make a council's SCIM 2.0 token (revoking the one it had), or revoke it with --revoke"

    def add_arguments(self, parser):
        parser.add_argument("la_code", help="The council's 3-digit LA code")
        parser.add_argument("--revoke", action="store_true", help="Revoke the council's token and make none")

    def handle(self, la_code, revoke, **options):
        authority = LocalAuthority.objects.filter(code=la_code).first()
        if authority is None:
            raise CommandError(f"No local authority has the LA code {la_code}")
        if revoke:
            for token in ScimToken.objects.filter(local_authority=authority, revoked_at__isnull=True):
                services.revoke_token(None, token)
            self.stdout.write(f"{authority.name}: directory provisioning is off")
            return
        token, secret = services.make_token(None, authority)
        self.stdout.write(f"{authority.name}: the SCIM token (shown once; keep it in the directory's settings):")
        self.stdout.write(secret)
