import pytest


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    # The world's ten passwords, hashed properly, take seconds for each test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
