"""The wider cohort's pages: the Virtual School's register, a child's cohorts and casework, the
officer's follow-ups, the Designated Teacher's list and the head's settings. Children are fetched
through ``children_for`` (else 404), the right to act is the named rule (403), the services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openpep.children.models import CohortMembership
from openpep.children.queries import children_for
from openpep.views import administered_authority_or_404, council_settings_page, form_page, saved

from . import queries, rules, services
from .enums import PAGE_SIZE
from .forms import CaseworkForm, EndMembershipForm, MembershipForm, RegisterFilterForm, SettingsForm, TopicForm
from .models import CaseworkTopic, CohortSettings


@login_required
def register(request):
    if not rules.can_see_register(request.user):
        raise Http404
    schools = list(queries.register_schools(request.user))
    form = RegisterFilterForm(request.GET or None, schools=schools)
    filters = queries.Filters()
    if form.is_bound:
        form.is_valid()  # a wrong value is no filter: each field that cleaned is used
        data = form.cleaned_data
        filters = queries.Filters(
            cohort=data.get("cohort") or "",
            school_id=data.get("school"),
            year_group=data.get("year"),
            band=data.get("band") or "",
            warnings=bool(data.get("warnings")),
        )
    page = Paginator(queries.register_for(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(child, queries.cohort_labels(child)) for child in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cohorts/register.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


@login_required
def school_list(request):
    if not rules.can_see_school_cohorts(request.user):
        raise Http404
    children = list(queries.school_cohort_list(request.user))
    return render(
        request,
        "cohorts/school_list.html",
        {"children": [(child, queries.cohort_labels(child)) for child in children]},
    )


def _child(request, child_id):
    return get_object_or_404(children_for(request.user).select_related("local_authority"), pk=child_id)


@login_required
def membership_add(request, child_id):
    child = _child(request, child_id)
    if not rules.can_manage_cohorts(request.user, child):
        raise PermissionDenied
    form = MembershipForm(request.POST or None)
    if done := saved(
        request,
        form,
        lambda: services.add_membership(request.user, child, form.instance),
        lambda _: f"{child.full_name}'s cohort has been recorded",
        "children:detail",
        child.pk,
    ):
        return done
    return form_page(
        request,
        form,
        child.local_authority,
        caption=child.full_name,
        title="Add to a cohort",
        lead="A child of the Virtual School's wider cohort: previously looked after, with a social worker, or in "
        "kinship care. Whether a child is looked after is their care record (the date they entered care and their "
        "placements).",
        cancel_url=_detail(child),
    )


def _detail(child) -> str:
    return reverse("children:detail", args=[child.pk])


@login_required
def membership_end(request, child_id, membership_id):
    child = _child(request, child_id)
    membership = get_object_or_404(CohortMembership.objects.filter(child=child), pk=membership_id)
    if not rules.can_manage_cohorts(request.user, child) or membership.ends_on is not None:
        raise PermissionDenied
    form = EndMembershipForm(request.POST or None, membership=membership)
    if done := saved(
        request,
        form,
        lambda: services.end_membership(request.user, membership, form.cleaned_data["ends_on"]),
        "The end date has been recorded",
        "children:detail",
        child.pk,
    ):
        return done
    return form_page(
        request,
        form,
        child.local_authority,
        caption=child.full_name,
        title=f"End of the {membership.get_kind_display().lower()}",
        lead="A child with a social worker stays in the Virtual School's cohort for 6 years after their plan ends.",
        cancel_url=_detail(child),
    )


@login_required
def casework_add(request, child_id):
    child = _child(request, child_id)
    if not rules.can_record_casework(request.user, child):
        raise PermissionDenied
    form = CaseworkForm(request.POST or None, authority_id=child.local_authority_id)
    if done := saved(
        request,
        form,
        lambda: services.record_casework(request.user, child, form.instance),
        "The advice has been recorded",
        f"{_detail(child)}#casework",
    ):
        return done
    return form_page(
        request,
        form,
        child.local_authority,
        caption=child.full_name,
        title="Record advice given",
        cancel_url=_detail(child),
    )


@login_required
@require_POST
def follow_up_done(request, entry_id):
    entry = get_object_or_404(queries.follow_ups_for(request.user), pk=entry_id)
    services.close_follow_up(request.user, entry)
    messages.success(request, f"The follow-up for {entry.child.full_name} is done")
    return redirect("reminders:tasks")


@login_required
def settings_page(request):
    authority = administered_authority_or_404(request.user)
    return render(
        request,
        "cohorts/settings.html",
        {
            "authority": authority,
            "settings": CohortSettings.for_authority_id(authority.pk),
            "topics": CaseworkTopic.objects.filter(local_authority=authority),
        },
    )


@login_required
def settings_edit(request):
    return council_settings_page(
        request,
        CohortSettings,
        SettingsForm,
        services.save_settings,
        saved="The wider cohort settings have been saved",
        done="cohorts:settings",
        title="Sharing the wider cohort with schools",
    )


@login_required
def topic_edit(request, topic_id=None):
    authority = administered_authority_or_404(request.user)
    topic = (
        get_object_or_404(CaseworkTopic.objects.filter(local_authority=authority), pk=topic_id)
        if topic_id is not None
        else CaseworkTopic(local_authority=authority)
    )
    form = TopicForm(request.POST or None, instance=topic, initial={"active": True} if topic.pk is None else None)
    if done := saved(
        request,
        form,
        lambda: services.save_topic(request.user, authority, form.instance),
        "The topic has been saved",
        "cohorts:settings",
    ):
        return done
    return form_page(
        request,
        form,
        authority,
        cancel="cohorts:settings",
        title="Change a topic of advice" if topic.pk else "Add a topic of advice",
    )
