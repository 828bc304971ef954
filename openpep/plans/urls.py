from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("start/<int:child_id>/", views.pep_start, name="start"),
    path("<int:pep_id>/", views.pep_detail, name="detail"),
    path("<int:pep_id>/whole/", views.pep_whole, name="whole"),
    path("<int:pep_id>/history/", views.pep_history, name="history"),
    path("<int:pep_id>/type/", views.section_a, name="section_a"),
    path("<int:pep_id>/views/", views.section_b, name="section_b"),
    path("<int:pep_id>/arrangements/", views.section_c, name="section_c"),
    path("<int:pep_id>/school/", views.section_d, name="section_d"),
    path("<int:pep_id>/targets/add/", views.target_add, name="target_add"),
    path("<int:pep_id>/targets/<int:target_id>/", views.target_edit, name="target_edit"),
    path("<int:pep_id>/targets/<int:target_id>/remove/", views.target_remove, name="target_remove"),
    path("<int:pep_id>/reviews/", views.reviews_edit, name="reviews_edit"),
    path("<int:pep_id>/reviews/<int:review_id>/", views.review_edit, name="review_edit"),
    path("<int:pep_id>/attainment/add/", views.attainment_add, name="attainment_add"),
    path("<int:pep_id>/attainment/<int:row_id>/remove/", views.attainment_remove, name="attainment_remove"),
    path("<int:pep_id>/move/<str:to>/", views.pep_move, name="move"),
    path("<int:pep_id>/correct/", views.pep_correct, name="correct"),
]
