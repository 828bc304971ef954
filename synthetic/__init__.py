"""Synthetic data for tests and benchmarks, outside the production package (nothing in ``openpep``
imports it: an import contract in pyproject.toml). No real person, school or council is in it.

- ``council``: a council at scale (``make bench``), written with ``bulk_create``, the services bypassed.
- ``sessions``: a signed-in session without the sign-in form, for the benchmarks' clients.
- ``files``: files in the real import formats (GIAS, SSDA903, enrolments).
- ``sso_provider``: a council's OpenID Connect provider (django-oidc-provider) on 127.0.0.1, for the single
  sign-on tests and, with the directory of the demo's second council running OpenPEP
  (``sso_provider.demo``), for ``make run``."""
