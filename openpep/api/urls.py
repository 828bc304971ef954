from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import views

app_name = "api"
# The docs pages' renderers (Redoc, Swagger UI) style their pages with inline styles: allowed there
# only, for styles; their scripts are files of this site (the split Swagger view serves its own).
docs_page = csp_update({"style-src": [UNSAFE_INLINE]})

# The schema and its docs pages hold no data: public, and not throttled.
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(throttle_classes=[]), name="schema"),
    path("docs/", docs_page(SpectacularRedocView.as_view(url_name="api:schema", throttle_classes=[])), name="docs"),
    path(
        "swagger/",
        docs_page(SpectacularSwaggerSplitView.as_view(url_name="api:schema", throttle_classes=[])),
        name="swagger",
    ),
    path("exchange/schema.json", views.exchange_schema, name="exchange_schema"),
    path("exchange/import/", views.ImportHistory.as_view(), name="exchange_import"),
    path("children/", views.ChildList.as_view(), name="children"),
    path("children/<int:pk>/", views.ChildDetail.as_view(), name="child"),
    path("children/<int:pk>/pep-history/", views.PepHistory.as_view(), name="pep_history"),
    path("peps/", views.PepList.as_view(), name="peps"),
    path("peps/<int:pk>/", views.PepDetail.as_view(), name="pep"),
    path("peps/<int:pk>/child-views/", views.ChildViewsView.as_view(), name="child_views"),
    path("peps/<int:pk>/arrangements/", views.ArrangementsView.as_view(), name="arrangements"),
    path("peps/<int:pk>/school-section/", views.SchoolSectionView.as_view(), name="school_section"),
    path("peps/<int:pk>/targets/<int:target_id>/", views.TargetView.as_view(), name="target"),
    path("meetings/", views.MeetingList.as_view(), name="meetings"),
    path("meetings/<int:pk>/", views.MeetingDetail.as_view(), name="meeting"),
    path("tasks/", views.TaskList.as_view(), name="tasks"),
    # Anything else under /api/v1/ is a 404 in JSON, as the schema documents, not the HTML page.
    re_path(r"^", views.not_found, name="not_found"),
]
