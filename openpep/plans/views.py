from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpep.audit.queries import history_of_pep
from openpep.children.queries import children_for, is_looked_after
from openpep.clock.calendar import NoTermDates, SchoolCalendar
from openpep.clock.models import Timescales
from openpep.clock.queries import review_due_after, suggested_next_meeting
from openpep.clock.validators import lesson_time_warning
from openpep.forms import form_error
from openpep.people.queries import administered_authority
from openpep.templatetags.govuk import describe
from openpep.views import act, saved

from . import hooks, rules, services
from .carry import carried
from .due import DueKey, due_dates
from .enums import Owner, Section, Status
from .forms import (
    START_FROM,
    AttainmentForm,
    MoveForm,
    PepTypeForm,
    PepTypeWordingForm,
    SchoolSectionForm,
    TargetForm,
    TargetReviewForm,
    TargetReviewsForm,
)
from .models import Pep, Target, TargetReview, pep_type_wording
from .queries import pep_page, previous_pep, read_for_page, seen_by, works_with_child
from .tasklist import PARTS, section_parts, task_list
from .timeline import story_summary, timeline_for
from .workflow import MOVES, moves_for, transition


def pep_or_404(request, pep_id) -> Pep:
    return get_object_or_404(pep_page(request.user), pk=pep_id)


def require_section(request, pep, section):
    if not rules.can_edit(request.user, pep, section):
        raise PermissionDenied


def keeps_drafts(section):
    """Marks a section's form view: what is typed into it is kept as the person's draft (the
    page's autosave, or the POST that found their session had run out — ``openpep.drafts``),
    and the form opens with that draft until it is saved or discarded."""

    def mark(view):
        view.keeps_drafts = section
        return view

    return mark


def _drafts():
    # The drafts app builds on this one: it lends its services (``hooks``), as meetings lends its card.
    return hooks.lent(hooks.DRAFTS)


def _with_draft(request, form):
    """Opens ``form`` with the person's own draft of this page, if any: bound to what they typed,
    shown without validating it (the save does that)."""
    draft = _drafts().draft_for(request.user, request.path_info)
    if draft is None:
        return None
    form.data = _drafts().as_form_data(draft)
    form.is_bound = True
    form._errors = ErrorDict()  # not validated until it is saved
    if not [name for name in form.changed_data if name != "lock_version"]:
        # Nothing in it differs from what is saved (an autosave that landed after the save): let it go.
        _drafts().discard(request.user, request.path_info, because="the same as what is saved")
        form.data, form.is_bound, form._errors = {}, False, None
        return None
    return draft


def pep_url(pep, anchor=""):
    """The PEP's page at ``anchor``, where a part's form returns: its task list, whose tasks have the
    ids of the parts, or the whole PEP for what is not a task (the QA rounds)."""
    if anchor and anchor not in PARTS:
        return card_url(pep, anchor)
    return reverse("plans:detail", args=[pep.pk]) + (f"#{anchor}" if anchor else "")


def card_url(pep, anchor):
    """A part's card on the whole PEP, where what is done from the card returns (a target or an
    attendee removed, an invitation answered), so the next such act is at hand."""
    return reverse("plans:whole", args=[pep.pk]) + f"#{anchor}"


def save_section_form(request, pep, form, section, *, title, anchor, lead="", extra=None, save=None, then=None):
    """The one way a section form is shown and saved: on a conflict, both
    versions are shown and nothing typed is lost. ``save`` is a service with
    ``save_section``'s signature, for an app above this one that does more;
    ``then(saved)`` may name the page to go to after the save (else the PEP's)."""
    conflict = None
    draft = None
    autosave = getattr(request.resolver_match.func, "keeps_drafts", None) is not None
    if request.method != "POST":
        services.record_view(request.user, pep, page=title)
        if autosave:
            draft = _with_draft(request, form)
    # The button that puts last term's answer in its box (``forms.CarriedMixin``): shown again, not saved.
    starting = request.method == "POST" and getattr(form, "start_from", lambda name: False)(
        request.POST.get(START_FROM, "")
    )
    if request.method == "POST" and not starting and form.is_valid():
        instance = form.save(commit=False)
        try:
            (save or services.save_section)(
                request.user,
                pep,
                instance,
                section=section,
                expected_version=form.cleaned_data.get("lock_version"),
            )
        except services.Conflict as clash:
            conflict = clash.current
            form.adopt_version(conflict.lock_version)
            form.add_error(
                None,
                f"{getattr(conflict, 'updated_by', None) or 'Someone else'} saved this while you were editing. "
                "Your changes have not been saved: compare them with theirs below, then save again to keep yours.",
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            if autosave:
                _drafts().discard(request.user, request.path_info, because="the section was saved")
            messages.success(request, f"{title} saved")
            return redirect((then(instance) if then else None) or pep_url(pep, anchor))
    return render(
        request,
        "plans/section_form.html",
        {
            "pep": pep,
            "form": form,
            "title": title,
            "lead": lead,
            "conflict": describe(conflict, list(form.Meta.fields)) if conflict is not None else None,
            "cancel_url": pep_url(pep, anchor),
            "draft": draft,
            "autosave": autosave,
            **(extra or {}),
        },
    )


@login_required
def pep_start(request, child_id):
    child = get_object_or_404(children_for(request.user).prefetch_related("enrolments__school"), pk=child_id)
    if not rules.can_start_pep(request.user, child):
        raise PermissionDenied
    previous = previous_pep(child)
    initial = {
        "phase": services.default_phase(child),
        "occasion": "review" if previous else "initial",
        "views_recorded_by": "school",
    }
    form = PepTypeForm(request.POST or None, initial=initial, wording=pep_type_wording(child.local_authority_id))
    looked_after = is_looked_after(child)
    if done := saved(
        request,
        form,
        lambda: services.start_pep(request.user, child, form.save(commit=False)),
        "The PEP has been started",
        pep_url,
    ):
        return done
    enrolment = child.current_enrolment()
    return render(
        request,
        "plans/start.html",
        {
            "child": child,
            "form": form,
            "previous": previous,
            "school": enrolment.school if enrolment else None,
            "not_looked_after": None if looked_after else services.NOT_LOOKED_AFTER.format(name=child.full_name),
        },
    )


def _pep_page(user, pep) -> dict:
    """What the PEP's task list and the whole PEP both show above its parts."""
    previous = previous_pep(pep, before=pep, seen_by=user)
    can_see_previous = previous is not None and seen_by(previous, user)
    return {
        "pep": pep,
        "child": pep.child,
        "previous": previous if can_see_previous else None,
        "moves": moves_for(user, pep),
        "can_correct": rules.can_correct(user, pep),
        "editable": rules.editable_sections(user, pep),
        "whole": rules.sees_whole_pep(user, pep),
        **_statutory_dates(pep),
        "child_visible": works_with_child(user, pep),
    }


@login_required
def pep_detail(request, pep_id):
    """The PEP as a task list: each part, who completes it and how far it has got."""
    pep = pep_or_404(request, pep_id)
    services.record_view(request.user, pep, page="the PEP")
    return render(request, "plans/detail.html", {**_pep_page(request.user, pep), "tasks": task_list(request.user, pep)})


@login_required
def pep_whole(request, pep_id):
    """The whole PEP, read-only, one part after another (each part's anchor is its task's id)."""
    pep = pep_or_404(request, pep_id)
    services.record_view(request.user, pep, page="the whole PEP")
    user = request.user
    # A delegate reads the sections delegated and nothing around them: what they may not read is
    # not fetched for the page at all, so no template slip can show it.
    whole = rules.sees_whole_pep(user, pep)
    visible = rules.visible_sections(user, pep)
    reviews = (
        list(
            pep.target_reviews.select_related("target").annotate(
                carried_forward=Exists(Target.objects.filter(continues=OuterRef("target")))
            )
        )
        if Section.D.value in visible
        else []
    )
    return render(
        request,
        "plans/whole.html",
        {
            **_pep_page(user, pep),
            "targets": list(pep.targets.select_related("continues")) if Section.D.value in visible else [],
            "reviews": reviews,
            "attainment": list(pep.attainment.all()) if Section.D.value in visible else [],
            "meeting_card": _meeting_card(user, pep),  # None for a delegate
            "decisions": list(pep.decisions.select_related("decided_by")) if whole else [],
            "rows": _section_rows(pep, visible),
            "visible": visible,
            "Section": Section,
        },
    )


def _statutory_dates(pep):
    """The statutory clock for this PEP, or the reason it cannot be worked out
    (the council has not entered a year's term dates)."""
    if pep.status == Status.SIGNED_OFF:
        return {"due": [], "due_problem": ""}
    calendar = SchoolCalendar(pep.child.local_authority)  # one read of the terms for both
    try:
        timescales = Timescales.selected_with(pep.child.local_authority) if read_for_page(pep) else None
        due = due_dates(pep, calendar, timescales)
        next_due = review_due_after(pep.child.local_authority, timezone.localdate(), calendar)
    except NoTermDates as error:
        return {"due": [], "due_problem": str(error)}
    rows = [{"label": DueKey(key).label, "date": day} for key, day in due.items() if day is not None]
    return {"due": rows, "due_problem": "", "next_pep_due": next_due}


def _meeting_card(user, pep):
    # The meetings app builds on this one: it lends its card (``hooks``), without plans importing it.
    return hooks.lent(hooks.MEETING_CARD)(user, pep)


def _section_rows(pep, visible):
    """Each visible section's answers, keyed by section, in the order its form asks them (the parts
    registry's questions: Section D's for the PEP's phase, and the next meeting). The meeting's rows
    are the meeting card's (``meetings.queries.meeting_card``)."""
    return {
        part.section.value: describe(part.saved(pep), part.questions(pep))
        for part in section_parts(with_pep=True)
        if part.section.value in visible
    }


@login_required
def pep_history(request, pep_id):
    pep = pep_or_404(request, pep_id)
    if not rules.sees_whole_pep(request.user, pep):
        raise Http404  # a delegate reads the sections delegated, not who did what to the rest
    services.record_view(request.user, pep, page="the PEP's history")
    return render(request, "plans/history.html", {"pep": pep, "entries": history_of_pep(pep.pk)})


def section_view(key, form_options):
    """The page of a one-per-PEP section, made from its part in the registry (``tasklist.PARTS``:
    its section's rules, table, form, title and anchor). ``form_options(request, pep, part)`` gives
    what its form needs beyond the record."""
    part = PARTS[key]

    @login_required
    @keeps_drafts(part.section)
    def view(request, pep_id):
        pep = pep_or_404(request, pep_id)
        require_section(request, pep, part.section)
        form = part.form(request.POST or None, instance=part.record(pep), **form_options(request, pep, part))
        return save_section_form(request, pep, form, part.section, title=part.title, anchor=part.key, lead=part.lead)

    view.__name__ = view.__qualname__ = key.replace("-", "_")
    return view


def _carried(request, pep, part):
    # Last term's answers, to start from (``forms.CarriedMixin``).
    return {"carried": carried(request.user, pep, part.section)}


section_a = section_view("section-a", lambda request, pep, part: {"wording": pep.wording})
section_b = section_view("section-b", _carried)
section_c = section_view("section-c", _carried)


@login_required
@keeps_drafts(Section.D)
def section_d(request, pep_id):
    pep = pep_or_404(request, pep_id)
    require_section(request, pep, Section.D)
    instance = PARTS["section-d"].record(pep)
    # A first draft of the story from the timeline, for the DT to edit: only while it is empty.
    initial = {}
    facts = carried(request.user, pep, Section.D)
    # Not for a delegate: the timeline tells more than the sections delegated.
    if request.method != "POST" and not instance.education_story and rules.sees_whole_pep(request.user, pep):
        # The story quotes the attendance figure the box opens with, and says where it is from.
        now = (facts.initial["attendance_percent"], facts.data_to) if "attendance_percent" in facts.initial else None
        initial["education_story"] = story_summary(timeline_for(request.user, pep.child), now=now)
    school = pep.working_school
    form = SchoolSectionForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        carried=facts,
        phase=pep.phase,
        authority=pep.child.local_authority,
        suggested=_suggested_next_meeting(pep, school),
    )

    def lesson_time(section) -> str:
        # The same rule as the meeting the social worker schedules (``meetings.queries.lesson_time_warning``).
        return lesson_time_warning(
            school,
            section.next_meeting_at,
            first_name=pep.child.first_name,
            authorities=(school.local_authority if school else None, pep.child.local_authority),
            what="The next meeting",
        )

    # After a save that puts the next meeting in lesson time, the page comes back with the warning
    # (as the schedule page does): a warning, not a refusal.
    return save_section_form(
        request,
        pep,
        form,
        Section.D,
        title="Section D – Progress, SEND and education summary",
        anchor="section-d",
        extra={"warning": lesson_time(instance) if request.method != "POST" else ""},
        then=lambda saved: request.path if lesson_time(saved) else None,
    )


def _suggested_next_meeting(pep, school):
    """The clock's suggestion for the next meeting: a school day before the next review is due, after school."""
    suggestion = suggested_next_meeting(pep.child.local_authority)
    if suggestion is None:
        return None
    on, due = suggestion
    return on, school.day_ends if school else None, due


def _target(pep, target_id) -> Target:
    return get_object_or_404(pep.targets, pk=target_id)


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit()


@login_required
@keeps_drafts(Section.D)
def target_add(request, pep_id):
    pep = pep_or_404(request, pep_id)
    require_section(request, pep, Section.D)
    continues = None
    review_id = request.GET.get("continues") or request.POST.get("continues")
    if review_id and not _is_id(review_id):  # the id of a review, or nothing
        raise Http404("No such target to carry forward")
    offer_draft = request.method != "POST"
    if offer_draft:
        # The page has one address whichever target it carries forward; the draft says which it was.
        kept = _drafts().draft_for(request.user, request.path_info)
        kept_review = str((kept.data.get("continues") or [""])[0]) if kept else ""
        if kept and not review_id and _is_id(kept_review) and pep.target_reviews.filter(pk=kept_review).exists():
            review_id = kept_review
        offer_draft = kept is not None and kept_review == (review_id or "")
    initial = {}
    if review_id:
        review = get_object_or_404(pep.target_reviews.select_related("target"), pk=review_id)
        continues = review.target
        initial = {f: getattr(continues, f) for f in ("outcome", "area", "success_measure", "actions", "who")}
    form = TargetForm(request.POST or None, initial=initial)
    draft = _with_draft(request, form) if offer_draft else None
    if request.method == "POST" and form.is_valid():
        try:
            services.add_target(request.user, pep, form.save(commit=False), continues=continues)
        except ValidationError as error:
            form_error(form, error)
        else:
            _drafts().discard(request.user, request.path_info, because="the target was added")
            messages.success(request, "Target added")
            return redirect(pep_url(pep, "targets"))
    return render(
        request,
        "plans/section_form.html",
        {
            "pep": pep,
            "form": form,
            "title": "Carry forward a target" if continues else "Add a target",
            "lead": "Agree outcomes specific to the child, in their words, with a clear measure of success.",
            "continues": continues,
            "hidden": {"continues": review_id} if review_id else {},
            "cancel_url": pep_url(pep, "targets"),
            "draft": draft,
            "autosave": True,
        },
    )


@login_required
@keeps_drafts(Section.D)
def target_edit(request, pep_id, target_id):
    pep = pep_or_404(request, pep_id)
    require_section(request, pep, Section.D)
    target = _target(pep, target_id)
    form = TargetForm(request.POST or None, instance=target)
    return save_section_form(request, pep, form, Section.D, title="Target", anchor="targets")


@login_required
@require_POST
def target_remove(request, pep_id, target_id):
    pep = pep_or_404(request, pep_id)
    require_section(request, pep, Section.D)
    act(request, lambda: services.remove_target(request.user, pep, _target(pep, target_id)), "Target removed")
    return redirect(card_url(pep, "targets"))


@login_required
@keeps_drafts(Section.D)
def review_edit(request, pep_id, review_id):
    pep = pep_or_404(request, pep_id)
    require_section(request, pep, Section.D)
    review = get_object_or_404(pep.target_reviews.select_related("target"), pk=review_id)
    form = TargetReviewForm(request.POST or None, instance=review)
    return save_section_form(
        request,
        pep,
        form,
        Section.D,
        title="Review of a previous target",
        anchor="reviews",
        extra={"review": review},
    )


REVIEWS_TITLE = "Review last term's targets"


@login_required
@keeps_drafts(Section.D)
def reviews_edit(request, pep_id):
    """Every previous target's review on one page, each with the choice to carry it forward: one
    save, all or nothing (``services.review_targets``). The page of one review stays for one-off changes."""
    pep = pep_or_404(request, pep_id)
    require_section(request, pep, Section.D)
    reviews = list(
        pep.target_reviews.select_related("target").annotate(
            carried_forward=Exists(Target.objects.filter(pep=pep, continues=OuterRef("target")))
        )
    )
    numbers = {review.pk: number for number, review in enumerate(reviews, start=1)}
    form = TargetReviewsForm(request.POST or None, reviews=reviews)
    draft = None
    conflicts = []
    if request.method != "POST":
        services.record_view(request.user, pep, page=REVIEWS_TITLE)
        draft = _with_draft(request, form)
    if request.method == "POST" and reviews and form.is_valid():
        try:
            carried = services.review_targets(request.user, pep, form.answers())
        except services.Conflicts as clash:
            conflicts = clash.current
            form.adopt_versions(conflicts)
            for saved in conflicts:
                form.add_error(
                    None,
                    f"Someone else saved the review of target {numbers[saved.pk]} "
                    "while you were editing. Nothing has been saved: compare theirs with yours below, "
                    "then save again to keep yours.",
                )
        except ValidationError as error:
            form_error(form, error)
        else:
            _drafts().discard(request.user, request.path_info, because="the reviews were saved")
            done = "Reviews of previous targets saved"
            if carried:
                done += f"; {len(carried)} carried forward into this PEP's targets"
            messages.success(request, done)
            return redirect(pep_url(pep, "reviews"))
    return render(
        request,
        "plans/reviews_form.html",
        {
            "pep": pep,
            "form": form,
            "title": REVIEWS_TITLE,
            "reviews": reviews,
            "conflicts": [
                {"number": numbers[saved.pk], "rows": describe(saved, list(TargetReview.CONTENT_FIELDS))}
                for saved in conflicts
            ],
            "cancel_url": pep_url(pep, "reviews"),
            "draft": draft,
            "autosave": True,
        },
    )


@login_required
@keeps_drafts(Section.D)
def attainment_add(request, pep_id):
    pep = pep_or_404(request, pep_id)
    require_section(request, pep, Section.D)
    form = AttainmentForm(request.POST or None, pep=pep)
    draft = _with_draft(request, form) if request.method != "POST" else None
    if request.method == "POST" and form.is_valid():
        services.add_attainment(request.user, pep, form.save(commit=False))
        _drafts().discard(request.user, request.path_info, because="the attainment was recorded")
        messages.success(request, "Attainment recorded")
        return redirect(pep_url(pep, "attainment"))
    return render(
        request,
        "plans/section_form.html",
        {
            "pep": pep,
            "form": form,
            "title": "Record attainment in a subject",
            "lead": f"Scale: {form.scale.label}.",
            "cancel_url": pep_url(pep, "attainment"),
            "draft": draft,
            "autosave": True,
        },
    )


@login_required
@require_POST
def attainment_remove(request, pep_id, row_id):
    pep = pep_or_404(request, pep_id)
    require_section(request, pep, Section.D)
    services.remove_attainment(request.user, pep, get_object_or_404(pep.attainment, pk=row_id))
    messages.success(request, "Attainment removed")
    return redirect(card_url(pep, "attainment"))


@login_required
def pep_move(request, pep_id, to):
    pep = pep_or_404(request, pep_id)
    try:
        move = MOVES[(Status(pep.status), Status(to))]
    except (KeyError, ValueError):
        move = None
    if move is None or not move.allowed(request.user, pep):
        raise PermissionDenied
    form = MoveForm(request.POST or None)
    if not move.needs_reasons:
        form.fields["note"].label = "Comments (optional)"
    problems = move.ready(pep)
    if done := saved(
        request,
        form,
        lambda: transition(pep, to, actor=request.user, note=form.cleaned_data["note"]),
        lambda _: f"Done: {move.label[0].lower()}{move.label[1:]}",
        pep_url(pep),
    ):
        return done
    answers = _check_answers(request.user, pep) if move.target in HANDS_ON else []
    return render(
        request, "plans/move.html", {"pep": pep, "move": move, "form": form, "problems": problems, "answers": answers}
    )


#: The moves that hand the PEP on to someone else, checked ("Check your answers") before they are made.
HANDS_ON = {Status.SCHOOL_RETURNED, Status.SUBMITTED}


def _check_answers(user, pep) -> list[dict]:
    """Each part ``user`` reads that its writers answer (not the Virtual School's sign-off, which the
    move leads to), as a summary card: its status, what it still lacks, and the answers of Sections A
    to D, with a link to change what ``user`` may change."""
    answers = _section_rows(pep, rules.visible_sections(user, pep))
    cards = []
    for task in task_list(user, pep):
        if task.owner == Owner.VIRTUAL_SCHOOL:
            continue
        rows = [{"label": "Status", "value": task.status.label}]
        if task.problems:
            rows.append({"label": "Still to do", "value": "\n".join(task.problems)})
        rows += answers.get(task.id.removeprefix("section-"), [])
        cards.append({"task": task, "rows": rows, "change_url": task.href if task.editable else ""})
    return cards


@login_required
@require_POST
def pep_correct(request, pep_id):
    pep = pep_or_404(request, pep_id)
    if not rules.can_correct(request.user, pep):
        raise PermissionDenied
    copy = services.start_correction(request.user, pep)
    messages.success(request, f"Version {copy.version} has been started. The signed-off version is kept as it was.")
    return redirect(pep_url(copy))


@login_required
def pep_types(request):
    """The Virtual School admin's wording of PEP types (everyone else: 404)."""
    authority = administered_authority(request.user)
    if authority is None:
        raise Http404
    form = PepTypeWordingForm(request.POST or None, wording=pep_type_wording(authority))
    if done := saved(
        request,
        form,
        lambda: services.save_pep_type_wording(request.user, authority, form.own()),
        "The wording of PEP types has been saved",
        "pep_types:wording",
    ):
        return done
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Wording of PEP types",
            "caption": authority.virtual_school_name or authority.name,
            "lead": "How Section A, PEP titles, PDFs and lists name each phase and occasion. "
            "Leave a box blank to use the national wording, shown above it.",
            "submit": "Save",
        },
    )
