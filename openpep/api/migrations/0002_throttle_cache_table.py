from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The API's rate limits are counted in the database cache (settings.CACHES["api"]) so that every
    # app process shares them; its table is made here so that no deployment step is forgotten.
    call_command("createcachetable", "openpep_api_cache", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
