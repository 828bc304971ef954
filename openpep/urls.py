from django.urls import include, path
from django.views.generic import TemplateView

from openpep.people import views as people_views
from openpep.sso import views as sso_views

from .health import healthz

urlpatterns = [
    path("", people_views.home, name="home"),
    # E-mail first: a council with single sign-on sends its staff to its own provider (openpep.sso).
    path("sign-in/", sso_views.SignInView.as_view(), name="login"),
    path("sign-in/council/", include("openpep.sso.urls")),
    path("sign-out/", sso_views.SignOutView.as_view(), name="logout"),
    path("password/set/<uidb64>/<token>/", sso_views.SetPasswordView.as_view(), name="password_reset_confirm"),
    path("request-access/", include("openpep.people.access_urls")),
    path("healthz/", healthz, name="healthz"),
    path("", include("openpep.mfa.urls")),  # the second step of signing in, and one's own sign-in methods
    path("accessibility/", TemplateView.as_view(template_name="accessibility.html"), name="accessibility"),
    path("children/", include("openpep.children.urls")),
    path("tasks/", include("openpep.reminders.urls")),
    path("peps/", include("openpep.plans.urls")),
    path("peps/", include("openpep.meetings.urls")),
    path("admin/", include("openpep.people.urls")),
    path("admin/calendar/", include("openpep.clock.urls")),
    path("admin/attendance/", include("openpep.attendance.urls")),
    path("admin/pep-types/", include("openpep.plans.admin_urls")),
    path("documents/", include("openpep.documents.urls")),
    path("quality/", include("openpep.quality.urls")),
    path("", include("openpep.funding.urls")),
    path("dashboard/", include("openpep.dashboards.urls")),
    path("", include("openpep.warnings.urls")),
    path("", include("openpep.cohorts.urls")),
    path("api/v1/", include("openpep.api.urls")),
    path("admin/connected-systems/", include("openpep.api.admin_urls")),
    path("admin/single-sign-on/", include("openpep.sso.admin_urls")),
    # A council's directory keeping its staff in step (SCIM 2.0): a bearer token, no session.
    path("scim/v2/", include("openpep.scim.urls")),
    path("admin/directory-provisioning/", include("openpep.scim.admin_urls")),
    path("session/", include("openpep.session_limits")),
    path("drafts/", include("openpep.drafts.urls")),
    path("", include("openpep.voice.urls")),  # the child's Have your say (public, by a code) and the adult's pages
]

handler400 = "openpep.errors.bad_request"
handler404 = "openpep.errors.page_not_found"
handler500 = "openpep.errors.server_error"
