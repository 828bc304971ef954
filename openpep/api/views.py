"""The REST API, version 1. Every lookup goes through the pages' own scoping
(``children_for``, ``peps_for``) with the token's principal, so out of scope is a 404;
every write goes through the plans services, so it is checked and audited."""

import datetime
import re

from django.db.models import F, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from openpep.audit.models import AuditEntry
from openpep.children.queries import children_for
from openpep.documents.disclosure import carer_names, scrub
from openpep.meetings.models import Meeting
from openpep.plans import services as plan_services
from openpep.plans.enums import Section
from openpep.plans.models import Pep, Target
from openpep.plans.queries import peps_for
from openpep.plans.tasklist import Part, section_parts
from openpep.reminders.queries import deadlines

from . import exchange, serializers
from . import services as api_services


def _shown(pep, data):
    """What a section or a target shows: any carer's name in its text withheld."""
    return scrub(data, carer_names(pep.child.placements.all()))


ERRORS = {
    401: OpenApiResponse(serializers.ErrorSerializer, description="No token, or not a valid one"),
    403: OpenApiResponse(serializers.ErrorSerializer, description="The token may not do this"),
    404: OpenApiResponse(serializers.ErrorSerializer, description="Not there, or not the token's to see"),
    429: OpenApiResponse(serializers.ErrorSerializer, description="Too many requests: wait and try again"),
}
READ_ERRORS = {k: v for k, v in ERRORS.items() if k != 403}
LIST_ERRORS = {400: OpenApiResponse(serializers.ErrorSerializer, description="A filter is not valid"), **READ_ERRORS}

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only what changed at or after this time (ISO 8601, with its offset): for incremental sync, "
    "pass the time your previous sync started.",
)


def _since(request):
    raw = request.query_params.get("updated_since")
    if raw is None:
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+")) if raw else None
        # In UTC: the database need not accept every offset Python does (PostgreSQL stops at ±15:59).
        value = value.astimezone(datetime.UTC) if value is not None and value.tzinfo else None
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise ValidationError({"updated_since": "Give a date and time with its offset, like 2026-03-01T09:00:00Z"})
    return value


def _changed(since, key: str) -> Q:
    """Changed since: its own timestamp, or any audited write about it (a section, a target, a
    move, a removal: every write is audited, so a deletion is seen too)."""
    audited = AuditEntry.objects.filter(at__gte=since, **{f"{key}__isnull": False}).values(key)
    return Q(updated_at__gte=since) | Q(pk__in=audited)


# Reads are audited as the pages' are: one entry per record read (its child and PEP, so the child's
# trail and the unusual-access alerts see it), a page of a list written in one INSERT.


def _child_read(child):
    return child, child.pk, None


def _pep_read(pep):
    return pep, pep.child_id, pep.pk


class _AuditedList:
    """A list whose every page is audited when it is read."""

    read_what = ""

    def read(self, row):
        raise NotImplementedError

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else queryset
        reads = {}  # once per record (a PEP has several tasks)
        for row in rows:
            target, child_id, pep_id = self.read(row)
            reads[target._meta.label_lower, target.pk] = target, child_id, pep_id
        api_services.record_reads(self.request.user, list(reads.values()), what=self.read_what)
        return page


class _AuditedDetail:
    """One record whose read is audited."""

    read_what = ""

    def get_object(self):
        found = super().get_object()
        api_services.record_reads(self.request.user, [self.read(found)], what=self.read_what)
        return found


class ChildList(_AuditedList, generics.ListAPIView):
    """The authority's children (what its Virtual School sees), with school enrolments and periods of care."""

    serializer_class = serializers.ChildSerializer
    read_what = "a list of children"
    read = staticmethod(_child_read)

    def get_queryset(self):
        children = (
            children_for(self.request.user)
            .select_related("local_authority")
            .prefetch_related("enrolments__school", "placements")
            .order_by("pk")
        )
        since = _since(self.request)
        return children.filter(_changed(since, "child_id")) if since else children

    @extend_schema(parameters=[UPDATED_SINCE], responses={200: serializers.ChildSerializer(many=True), **LIST_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ChildDetail(_AuditedDetail, generics.RetrieveAPIView):
    serializer_class = serializers.ChildSerializer
    read_what = "the child's record"
    read = staticmethod(_child_read)

    def get_queryset(self):
        return (
            children_for(self.request.user)
            .select_related("local_authority")
            .prefetch_related("enrolments__school", "placements")
        )

    @extend_schema(responses={200: serializers.ChildSerializer, **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _pep_queryset(user):
    return (
        peps_for(user)
        .select_related("school", "child_views", "arrangements", "school_section", "clock", "child")
        .prefetch_related("child__placements")
        .prefetch_related("targets", "target_reviews", "attainment", "decisions", "child_contributions")
        .order_by("pk")
    )


class PepList(_AuditedList, generics.ListAPIView):
    """PEPs (every version) with their sections, targets, status and due dates."""

    serializer_class = serializers.PepSerializer
    read_what = "a list of PEPs"
    read = staticmethod(_pep_read)

    def get_queryset(self):
        peps = _pep_queryset(self.request.user)
        child = self.request.query_params.get("child")
        if child is not None:
            if not (child.isascii() and child.isdigit() and len(child) < 19):
                raise ValidationError({"child": "Give a child's id"})
            peps = peps.filter(child_id=int(child))
        since = _since(self.request)
        return peps.filter(_changed(since, "pep_id")) if since else peps

    @extend_schema(
        parameters=[UPDATED_SINCE, OpenApiParameter("child", OpenApiTypes.INT, description="Only this child's PEPs")],
        responses={200: serializers.PepSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PepDetail(_AuditedDetail, generics.RetrieveAPIView):
    serializer_class = serializers.PepSerializer
    read_what = "a PEP"
    read = staticmethod(_pep_read)

    def get_queryset(self):
        return _pep_queryset(self.request.user)

    @extend_schema(responses={200: serializers.PepSerializer, **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# Writes with ETag / If-Match


def etag(version: int) -> str:
    return f'"{version}"'


def _if_match(request) -> int | None:
    raw = request.headers.get("If-Match")
    if raw is None:
        return None
    found = re.fullmatch(r'\s*(?:W/)?"(\d{1,9})"\s*', raw)
    if not found:
        raise ParseError('If-Match must be the ETag a GET returned, like "3"')
    return int(found.group(1))


def _precondition(detail: str, code: int, current=None) -> Response:
    body = {"detail": detail}
    if current is not None:
        body["current"] = current
    return Response(body, status=code)


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag of the version you are changing, as a GET returned it (like "3"). Required to change '
    "a section that exists: if someone has saved since, nothing is written and the answer is 412.",
)
WRITE_ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description="Not valid"),
    **ERRORS,
    413: OpenApiResponse(serializers.ErrorSerializer, description="The body is too large"),
    412: OpenApiResponse(serializers.ConflictSerializer, description="Saved by someone else since your ETag"),
    428: OpenApiResponse(serializers.ErrorSerializer, description="If-Match is required"),
}


class _Versioned(APIView):
    """GET with an ETag; PUT / PATCH with If-Match, through ``plans.services.save_section``."""

    section: Section
    serializer_class = None

    def pep(self, pk):
        return get_object_or_404(peps_for(self.request.user).select_related("child"), pk=pk)

    def instance(self, pep):  # the saved row, or None
        raise NotImplementedError

    def new(self, pep):
        raise NotImplementedError

    def found(self, pep, **kwargs):
        instance = self.instance(pep, **kwargs)
        if instance is None:
            raise Http404
        return instance

    def _read(self, request, pk, **kwargs):
        pep = self.pep(pk)
        instance = self.found(pep, **kwargs)
        api_services.record_reads(
            request.user, [(instance, pep.child_id, pep.pk)], what=f"{self.section.label} of a PEP"
        )
        return Response(
            _shown(pep, self.serializer_class(instance).data), headers={"ETag": etag(instance.lock_version)}
        )

    def _write(self, request, pk, *, partial: bool, **kwargs):
        pep = self.pep(pk)
        instance = self.instance(pep, **kwargs)
        expected = _if_match(request)
        if instance is None:
            if partial:
                raise Http404
            instance = self.new(pep)
        elif expected is None:
            return _precondition("Send If-Match with the ETag of the version you are changing", 428)
        elif expected != instance.lock_version:
            return _precondition(
                "Saved by someone else since your ETag: nothing was written",
                412,
                _shown(pep, self.serializer_class(instance).data),
            )
        serializer = self.serializer_class(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        try:
            instance.full_clean(exclude=["pep", "updated_by", "target", "continues"])
            saved = plan_services.save_section(
                request.user, pep, instance, section=self.section, expected_version=expected
            )
        except plan_services.Conflict as conflict:
            return _precondition(
                "Saved by someone else since your ETag: nothing was written",
                412,
                _shown(pep, self.serializer_class(conflict.current).data),
            )
        saved = type(saved).objects.get(pk=saved.pk)
        return Response(
            _shown(pep, self.serializer_class(saved).data),
            status=status.HTTP_200_OK if expected is not None else status.HTTP_201_CREATED,
            headers={"ETag": etag(saved.lock_version)},
        )


def _section_view(part: Part):
    """The API's view of a one-per-PEP section, from its part in the registry (``plans.tasklist``)."""
    name, model, what = part.accessor, part.model, part.title
    serializer = serializers.section_serializer(model)

    class View(_Versioned):
        serializer_class = serializer
        section = part.section

        def instance(self, pep):
            return model.objects.filter(pep=pep).first()

        def new(self, pep):
            return model(pep=pep)

        @extend_schema(
            summary=f"Read {what}", responses={200: serializer, **READ_ERRORS}, operation_id=f"peps_{name}_read"
        )
        def get(self, request, pk):
            return self._read(request, pk)

        @extend_schema(
            summary=f"Write {what} (create it, or replace it with If-Match)",
            parameters=[IF_MATCH],
            request=serializer,
            responses={200: serializer, 201: serializer, **WRITE_ERRORS},
            operation_id=f"peps_{name}_replace",
        )
        def put(self, request, pk):
            return self._write(request, pk, partial=False)

        @extend_schema(
            summary=f"Change some fields of {what} (If-Match required)",
            parameters=[IF_MATCH],
            request=serializer,
            responses={200: serializer, **WRITE_ERRORS},
            operation_id=f"peps_{name}_change",
        )
        def patch(self, request, pk):
            return self._write(request, pk, partial=True)

    View.__name__ = View.__qualname__ = f"{model.__name__}View"
    View.__doc__ = f"{what[0].upper()}{what[1:]}: ETag on read, If-Match on write."
    return View


SECTION_VIEWS = {part.accessor: _section_view(part) for part in section_parts()}
ChildViewsView = SECTION_VIEWS["child_views"]
ArrangementsView = SECTION_VIEWS["arrangements"]
SchoolSectionView = SECTION_VIEWS["school_section"]


class TargetView(_Versioned):
    """One target of a PEP's Section D: ETag on read, If-Match on write."""

    serializer_class = serializers.TargetSerializer
    section = Section.D

    def instance(self, pep, target_id):
        return Target.objects.filter(pep=pep, pk=target_id).first()

    @extend_schema(responses={200: serializers.TargetSerializer, **READ_ERRORS})
    def get(self, request, pk, target_id):
        return self._read(request, pk, target_id=target_id)

    @extend_schema(
        parameters=[IF_MATCH],
        request=serializers.TargetSerializer,
        responses={200: serializers.TargetSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk, target_id):
        return self._write(request, pk, partial=True, target_id=target_id)


def _meetings(user):
    # The child's id rides along (a column of the join, not a query per meeting) for the audit.
    return Meeting.objects.filter(pep__in=peps_for(user).values("pk")).annotate(child_of=F("pep__child_id"))


def _meeting_read(meeting):
    return meeting, meeting.child_of, meeting.pep_id


class MeetingList(_AuditedList, generics.ListAPIView):
    """PEP meetings: when and how (not where, nor the notes, nor who came)."""

    serializer_class = serializers.MeetingSerializer
    read_what = "a list of PEP meetings"
    read = staticmethod(_meeting_read)

    def get_queryset(self):
        meetings = _meetings(self.request.user).order_by("pk")
        since = _since(self.request)
        return meetings.filter(updated_at__gte=since) if since else meetings

    @extend_schema(parameters=[UPDATED_SINCE], responses={200: serializers.MeetingSerializer(many=True), **LIST_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MeetingDetail(_AuditedDetail, generics.RetrieveAPIView):
    serializer_class = serializers.MeetingSerializer
    read_what = "a PEP meeting"
    read = staticmethod(_meeting_read)

    def get_queryset(self):
        return _meetings(self.request.user)

    @extend_schema(responses={200: serializers.MeetingSerializer, **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TaskList(_AuditedList, generics.ListAPIView):
    """Every dated task of every PEP in progress, with the staff who must do it (the reminders' deadlines)."""

    serializer_class = serializers.TaskSerializer
    read_what = "a list of tasks"

    def read(self, row):
        return Pep(pk=row["pep"]), row["child"], row["pep"]

    def get_queryset(self):
        today = timezone.localdate()
        return [
            {
                "task": d.task.value,
                "pep": d.pep.pk,
                "child": d.pep.child_id,
                "due_on": d.due,
                "overdue": d.due < today,
                "assigned_to": [{"name": p.full_name, "email": p.email} for p in d.doers],
            }
            for d in sorted(deadlines(peps_for(self.request.user)), key=lambda d: (d.due, d.pep.pk, d.task))
        ]

    @extend_schema(responses={200: serializers.TaskSerializer(many=True), **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# PEP exchange


class PepHistory(APIView):
    """The child's whole PEP history as one PEP exchange document (see exchange/schema.json)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **READ_ERRORS})
    def get(self, request, pk):
        child = get_object_or_404(children_for(request.user), pk=pk)
        api_services.record_reads(request.user, [_child_read(child)], what="the child's whole PEP history")
        return Response(exchange.export_history(child))


class ImportHistory(APIView):
    """Import a PEP exchange document into the token's authority (read-write tokens). A second
    import of the same document makes nothing twice."""

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            200: serializers.ImportResultSerializer,
            400: OpenApiResponse(serializers.ErrorSerializer, description="Not a valid exchange document"),
            **ERRORS,
            413: OpenApiResponse(serializers.ErrorSerializer, description="The document is too large"),
        },
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            raise exchange.InvalidDocument(["(document): send the exchange document as a JSON object"])
        result = exchange.import_history(request.data, request.auth.local_authority, request.user)
        return Response({"child": result.child.pk, "created": result.created, "skipped": result.skipped})


def exchange_schema(request):
    """The published JSON Schema of the PEP exchange document (public: it holds no data)."""
    return JsonResponse(exchange.schema(), json_dumps_params={"indent": 2})


@csrf_exempt  # no session, nothing done: whatever the method, the answer is the same 404
def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": "Not found."}, status=404)
