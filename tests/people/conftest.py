import pytest


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    # Hashing the world's ten passwords properly takes about two seconds a test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
