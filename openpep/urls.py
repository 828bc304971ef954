from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from openpep.people import views as people_views

from .forms_auth import SetYourPasswordForm, SignInForm
from .health import healthz

urlpatterns = [
    path("", people_views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="auth/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="auth/set_password.html", success_url="/sign-in/", form_class=SetYourPasswordForm
        ),
        name="password_reset_confirm",
    ),
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
    path("session/", include("openpep.session_limits")),
    path("drafts/", include("openpep.drafts.urls")),
]

handler400 = "openpep.errors.bad_request"
handler404 = "openpep.errors.page_not_found"
handler500 = "openpep.errors.server_error"
