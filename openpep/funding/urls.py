from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("admin/pupil-premium/", views.settings_page, name="settings"),
    path("admin/pupil-premium/settings/", views.settings_edit, name="settings_edit"),
    path("admin/pupil-premium/rate/", views.rate, name="rate"),
    path("admin/pupil-premium/allocate/", views.allocate, name="allocate"),
    path("peps/<int:pep_id>/pupil-premium/request/", views.request_add, name="request_add"),
    path("peps/<int:pep_id>/pupil-premium/<int:request_id>/approve/", views.approve, name="approve"),
    path("peps/<int:pep_id>/pupil-premium/<int:request_id>/pay/", views.pay, name="pay"),
]
