from django.urls import path

from . import views

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="list"),
    path("add/", views.child_add, name="add"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/add/", views.delegation_add, name="delegation_add"),
    path("delegations/<int:delegation_id>/end/", views.delegation_end, name="delegation_end"),
    path("<int:child_id>/", views.child_detail, name="detail"),
    path("<int:child_id>/timeline/", views.child_timeline, name="timeline"),
    path("<int:child_id>/edit/", views.child_edit, name="edit"),
    path("<int:child_id>/school/", views.child_school, name="school"),
    path("<int:child_id>/placement/", views.child_placement, name="placement"),
    path("<int:child_id>/social-worker/", views.child_reallocate, name="reallocate"),
]
