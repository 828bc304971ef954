"""The PEP as a task list (GOV.UK's task list pattern): its parts in order, each with who completes
it, where it is done and how far it has got.

``PARTS`` is the one registry of a PEP's parts: title, owner, anchor and, for a one-per-PEP section,
its table and form, from which ``views.section_view`` makes its page. This app registers its own below; apps above it
(``meetings``, ``funding``) add theirs with ``add_part`` from their ``AppConfig.ready``, so this
module imports none of them. A part is *completed* when its completeness rule — the same
function the workflow's moves check (``workflow.*_problems``) — finds nothing missing."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef
from django.forms import ModelForm
from django.urls import reverse

from openpep.people.models import User

from . import rules
from .enums import SCHOOL_PART_OPEN, SOCIAL_WORKER_PART_OPEN, Owner, Section, Status, TaskStatus
from .forms import ArrangementsForm, ChildViewsForm, PepTypeForm, SchoolSectionForm
from .models import Arrangements, Attainment, ChildViews, Decision, Pep, SchoolSection, Target, TargetReview
from .workflow import arrangements_problems, reviews_problems, section_d_problems, views_problems


def _nothing_missing(pep: Pep) -> list[str]:
    return []


def _always(pep: Pep) -> bool:
    return True


def has(model: type[models.Model], **conditions) -> Exists:
    """A part's ``started`` or ``applies`` that is "the PEP has rows of ``model``" (with ``conditions``):
    the task list reads every such flag of a PEP in one query."""
    return Exists(model.objects.filter(pep=OuterRef("pk"), **conditions))


#: A part's ``started`` or ``applies``: a test of the PEP as loaded, or a ``has`` read in the one query.
Flag = Callable[[Pep], bool] | Exists


@dataclass(frozen=True)
class Part:
    """One part of a PEP. ``key`` is its anchor, on the whole PEP and on the task list."""

    key: str
    title: str
    order: int
    section: Section  # who sees and who changes it follow this section's rules
    owner: Callable[[Pep], Owner]
    started: Flag
    problems: Callable[[Pep], list[str]] = _nothing_missing
    url: str = ""  # the name of its form's URL (taking the PEP's id), for whoever may change the section
    applies: Flag = _always
    model: type[models.Model] | None = None  # a one-per-PEP section's table (``Pep`` for Section A)
    form: type[ModelForm] | None = None  # its page's form
    lead: str = ""  # what its page says first, under the title

    @property
    def accessor(self) -> str:
        """Its name on a PEP (``pep.child_views``), which the API and the exchange document use too."""
        return self.model._meta.get_field("pep").remote_field.get_accessor_name()

    def saved(self, pep: Pep) -> models.Model | None:
        """This section of ``pep`` as saved, or None."""
        return pep if self.model is Pep else getattr(pep, self.accessor, None)

    def record(self, pep: Pep) -> models.Model:
        """This section of ``pep`` as saved, or a new one not saved yet."""
        return self.saved(pep) or self.model(pep=pep)

    def questions(self, pep: Pep) -> tuple[str, ...]:
        """What this section asks of ``pep``, as the documents show it (Section D's depend on the phase)."""
        by_phase = getattr(self.model, "fields_for_phase", None)
        return by_phase(pep.phase) if by_phase else tuple(self.model.CONTENT_FIELDS)


PARTS: dict[str, Part] = {}


def add_part(part: Part) -> None:
    """Adds a part to every PEP's task list (an app's ``ready`` may run twice: the key keeps it once)."""
    PARTS[part.key] = part


def section_parts(*, with_pep: bool = False) -> list[Part]:
    """The one-per-PEP sections, in order: those with a table of their own (B, C, D: what the API
    reads and writes and the exchange document carries), and Section A, the PEP itself, ``with_pep``."""
    ordered = sorted(PARTS.values(), key=lambda part: part.order)
    return [part for part in ordered if part.model is not None and (with_pep or part.model is not Pep)]


#: When each owner can work on their part; outside these, a part not started cannot start yet.
OPEN = {
    Owner.SOCIAL_WORKER: SOCIAL_WORKER_PART_OPEN,
    Owner.SCHOOL: SCHOOL_PART_OPEN,
    Owner.VIRTUAL_SCHOOL: {Status.SUBMITTED},
}

#: The colour of each status's tag (GOV.UK's task list pattern): Completed and Cannot start yet are plain text.
TAGS = {TaskStatus.NOT_STARTED: "blue", TaskStatus.IN_PROGRESS: "light-blue"}


@dataclass
class Task:
    """A part as ``user`` sees it on one PEP: what the task list template draws."""

    id: str
    title: str
    owner: Owner
    status: TaskStatus
    href: str  # empty when it cannot start yet
    problems: list[str] = field(default_factory=list)
    editable: bool = False  # ``href`` is its form, which ``user`` may fill in now

    @property
    def hint(self) -> str:
        return f"Completed by {self.owner.label}"

    @property
    def tag(self) -> str:
        return TAGS.get(self.status, "")


def status_of(pep: Pep, owner: Owner, started: bool, problems: list[str]) -> TaskStatus:
    if started and not problems:
        return TaskStatus.COMPLETED
    if started:
        return TaskStatus.IN_PROGRESS
    if pep.status in OPEN[owner] or pep.status == Status.SIGNED_OFF:
        return TaskStatus.NOT_STARTED
    return TaskStatus.CANNOT_START_YET


def task_list(user: User, pep: Pep) -> list[Task]:
    """The parts of ``pep`` that ``user`` reads, in order. Each links to its form when ``user`` may
    change it now, else to the part on the whole PEP. A fixed number of queries whatever the PEP holds."""
    visible = rules.visible_sections(user, pep)
    editable = {Section(section).value for section in rules.editable_sections(user, pep)}
    whole = reverse("plans:whole", args=[pep.pk])
    parts = [part for part in sorted(PARTS.values(), key=lambda part: part.order) if part.section.value in visible]
    flag = _flags(pep, parts)
    tasks = []
    for part in parts:
        if not flag(part, "applies"):
            continue
        owner = part.owner(pep)
        problems = part.problems(pep)
        status = status_of(pep, owner, flag(part, "started"), problems)
        can_change = bool(part.url) and part.section.value in editable
        if can_change:
            href = reverse(part.url, args=[pep.pk])
        elif status == TaskStatus.CANNOT_START_YET:
            href = ""
        else:
            href = f"{whole}#{part.key}"
        tasks.append(Task(part.key, part.title, owner, status, href, problems, can_change))
    return tasks


def _flags(pep: Pep, parts: list[Part]) -> Callable[[Part, str], bool]:
    """``flag(part, "started" or "applies")`` for ``parts`` of ``pep``: each ``has`` among them read
    in one query, each test of the PEP as loaded asked when wanted."""
    wanted = {
        f"{name}_{index}": getattr(part, name)
        for index, part in enumerate(parts)
        for name in ("started", "applies")
        if isinstance(getattr(part, name), Exists)
    }
    found = Pep.objects.filter(pk=pep.pk).values(**wanted).get() if wanted else {}
    index_of = {part.key: index for index, part in enumerate(parts)}

    def flag(part: Part, name: str) -> bool:
        test = getattr(part, name)
        return found[f"{name}_{index_of[part.key]}"] if isinstance(test, Exists) else test(pep)

    return flag


def _social_worker(pep: Pep) -> Owner:
    return Owner.SOCIAL_WORKER


def _school(pep: Pep) -> Owner:
    return Owner.SCHOOL


def _views_owner(pep: Pep) -> Owner:
    return Owner.SCHOOL if rules.school_owns_views(pep) else Owner.SOCIAL_WORKER


def _signed_off(pep: Pep) -> list[str]:
    return [] if pep.status == Status.SIGNED_OFF else ["Not signed off yet"]


for _part in [
    Part(
        "section-a",
        "Section A – PEP type",
        10,
        Section.A,
        _social_worker,
        _always,
        url="plans:section_a",
        model=Pep,
        form=PepTypeForm,
    ),
    Part(
        "section-b",
        "Section B – Child's views",
        20,
        Section.B,
        _views_owner,
        lambda pep: hasattr(pep, "child_views"),
        views_problems,
        url="plans:section_b",
        model=ChildViews,
        form=ChildViewsForm,
        lead="Record the child's views before the meeting, in their own words where you can.",
    ),
    Part(
        "section-c",
        "Section C – Education arrangements and actions",
        30,
        Section.C,
        _social_worker,
        lambda pep: hasattr(pep, "arrangements"),
        arrangements_problems,
        url="plans:section_c",
        model=Arrangements,
        form=ArrangementsForm,
    ),
    Part(
        "reviews",
        "Previous targets: how far were they achieved",
        50,
        Section.D,
        _school,
        Exists(TargetReview.objects.filter(pep=OuterRef("pk")).exclude(rating="")),
        reviews_problems,
        url="plans:reviews_edit",
        applies=has(TargetReview),
    ),
    Part("targets", "New targets", 60, Section.D, _school, has(Target), url="plans:target_add"),
    Part(
        "attainment",
        "Attainment",
        70,
        Section.D,
        _school,
        has(Attainment),
        url="plans:attainment_add",
    ),
    Part(
        "section-d",
        "Section D – SEND, attendance and the school's view",
        80,
        Section.D,
        _school,
        lambda pep: hasattr(pep, "school_section"),
        section_d_problems,
        url="plans:section_d",
        model=SchoolSection,
        form=SchoolSectionForm,
    ),
    Part(
        "section-e",
        "Section E – Virtual School sign-off",
        100,
        Section.E,
        lambda pep: Owner.VIRTUAL_SCHOOL,
        has(Decision),
        _signed_off,
    ),
]:
    add_part(_part)
