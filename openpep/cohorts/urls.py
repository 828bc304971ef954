from django.urls import path

from . import views

app_name = "cohorts"
urlpatterns = [
    path("virtual-school/register/", views.register, name="register"),
    path("virtual-school/register/add/", views.child_add, name="child_add"),
    path("virtual-school/register/import/", views.cohort_import, name="import"),
    path("school/wider-cohort/", views.school_list, name="school_list"),
    path("children/<int:child_id>/cohorts/add/", views.membership_add, name="membership_add"),
    path("children/<int:child_id>/cohorts/<int:membership_id>/end/", views.membership_end, name="membership_end"),
    path("children/<int:child_id>/advice/add/", views.casework_add, name="casework_add"),
    path("advice/<int:entry_id>/followed-up/", views.follow_up_done, name="follow_up_done"),
    path("admin/wider-cohort/", views.settings_page, name="settings"),
    path("admin/wider-cohort/change/", views.settings_edit, name="settings_edit"),
    path("admin/wider-cohort/topics/add/", views.topic_edit, name="topic_add"),
    path("admin/wider-cohort/topics/<int:topic_id>/", views.topic_edit, name="topic_edit"),
]
