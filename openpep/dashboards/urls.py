from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("children/", views.children, name="children"),
    path("pupil-premium/", views.ledger, name="ledger"),
    path("annual-report/", views.annual_report, name="annual_report"),
]
