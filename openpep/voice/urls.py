from django.urls import path

from . import views

app_name = "voice"

urlpatterns = [
    # The child's pages: public, opened by a code.
    path("have-your-say/", views.start, name="start"),
    path("have-your-say/your-answers/", views.answers, name="answers"),
    path("have-your-say/check/", views.check, name="check"),
    path("have-your-say/sent/", views.sent, name="sent"),
    # The Virtual School Head's: how long codes work.
    path("admin/child-voice/", views.settings_page, name="settings"),
    path("admin/child-voice/change/", views.settings_edit, name="settings_edit"),
    # The adult's, about one PEP.
    path("peps/<int:pep_id>/have-your-say/", views.invitations, name="invitations"),
    path("peps/<int:pep_id>/have-your-say/<int:code_id>/withdraw/", views.withdraw, name="withdraw"),
    path("peps/<int:pep_id>/own-words/<int:contribution_id>/", views.contribution, name="contribution"),
    path("peps/<int:pep_id>/own-words/<int:contribution_id>/picture/", views.picture, name="picture"),
]
