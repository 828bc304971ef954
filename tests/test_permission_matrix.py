"""Every URL of the project × every role × the role's own child or someone else's.

The matrix below is the specification of who may do what, written from the
rules a social worker, a Designated Teacher or a Virtual School officer would
state — not copied from what the code happens to do:

- seeing: the allocated social worker (sw); the team manager of that social
  worker's team (tm); the DT of the school the child is on the roll of (dt);
  every Virtual School officer and head of the child's authority (vs, vs_admin);
  the child's IRO (iro), read only. Anyone else gets a 404, never a hint. A
  delegate (other school staff given sections of a child by the DT) sees that
  child and reads only what was delegated: its own table, ``DELEGATE_OWN``.
- acting (403 when seen but not allowed): Sections A, C and the meeting record
  by the allocated social worker (the meeting record also by the DT while the PEP
  is a draft); scheduling the meeting, inviting people, withdrawing an invitation,
  cancelling the meeting, resending invitations and recording the answer of an
  invitee without an account only by the allocated social worker; the meeting's
  calendar file (.ics) for whoever sees the meeting; answering an invitation only by
  the invitee; Section B by the DT when the school records the child's views,
  otherwise by the social worker; Section D (targets, reviews of previous
  targets, attainment) by the DT of the PEP's school; the child's details,
  school and placement by the allocated social worker or the Virtual School;
  reallocation by the team manager of the social worker's team or the Virtual
  School head; the staff, teams and school calendar pages only for the Virtual
  School head (404 for everyone else). A head manages only what their council is
  responsible for — its Virtual School, its teams, the schools it maintains: the
  staff and access requests of another council's school are that council's, even
  when the head's children attend it (a 404; tests/adversarial/test_admin_scope.py),
  and nobody deactivates alone someone who also works for another council.

The child's "Have your say" code page is public; the pages behind a code answer anyone without one
(every role, signed in or not) by sending them to it; the codes of a PEP are whoever records its
Section B, and what the child sent is read by whoever reads Section B (tests/voice). "My plan" is
the same for its child's pages; a signed-off PEP's My plan is shared by its allocated social worker
alone (tests/myplan).

Objects: "own" is ``world.child`` (sw, tm's team, dt's school, iro), "other" is
``world.other_child`` (sw_other, other_team, dt_other's school). Each has a
signed-off PEP with one target (made directly with the models) and, after it, a
PEP in DRAFT, made through the real services, with a target, a review of the
previous target, an attainment row and a meeting with an attendee, scheduled
through the real services (so the DT, the Virtual School officer and, for the
own child, the IRO are invited) with a carer invited by hand. The own
draft has the school record the child's views, the other draft the social
worker — so the Section B row tests both owners.
URLs that take a PEP get the draft, except ``plans:correct`` (only a signed-off
PEP can be corrected: it gets the signed-off one). ``meetings:respond`` gets
the invitation of the DT of the PEP's school; the other invitation URLs get the
carer's, who has no account. ``plans:move`` gets
``to=school_returned``, the one move out of a draft, which only the DT of the
PEP's school makes. The password page gets a link that is not valid, which it
shows to anyone as "this link is not valid" (200). The calendar's delete URLs
get a term and a holiday of the Virtual School head's own authority.
``quality:review`` gets the draft marked submitted directly (a QA round is of a
submitted PEP; how a PEP gets there is tested in plans/test_workflow.py), and
``quality:criterion_edit`` a criterion of the Virtual School head's own authority.
``funding:approve`` gets a PP+ request the draft's DT has made, ``funding:pay`` one the
Virtual School has approved.

Sessions: each role is signed in once for the module (``module_sessions``). The council's staff (sw,
sw_other, tm, vs, vs_admin, iro) sign in with their council account through a real OpenID Connect
provider (tests/fixtures.py's ``council_sessions``: the provider's sign-in page, the authorization code,
an ID token saying multi-factor), with the council's provider configured for the whole module; school
staff, the other council's officer and the person with no role with a password and an app. The table is
the same whichever way a person signed in (tests/security/test_no_writes.py uses the same sessions).

A URL pattern with no row here fails ``test_matrix_has_a_row_for_every_url``. The URLs of the
API (namespace ``api``: tokens for systems, not people) are handed to ``tests/api/test_matrix.py``,
which has a row for each of them and fails on an API URL without one; the token admin pages
(``api_admin``) have their rows here. The same for a council directory's SCIM 2.0 URLs (namespace
``scim``: a council's token, never a session), handed to ``tests/scim/test_matrix.py``.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from openpep.api import services as api_services
from openpep.api.enums import Scope
from openpep.children import services as children_services
from openpep.children.enums import Cohort, CohortKind
from openpep.children.models import CohortMembership
from openpep.clock.enums import TermName
from openpep.clock.models import Holiday, Term
from openpep.cohorts.enums import GivenTo, How
from openpep.cohorts.models import CaseworkEntry, CaseworkTopic
from openpep.documents.models import ExportJob
from openpep.funding import services as funding_services
from openpep.funding.enums import RequestStatus
from openpep.mfa.models import Passkey
from openpep.myplan import services as myplan_services
from openpep.people.enums import AccessRequestStatus, Role
from openpep.people.models import AccessRequest
from openpep.plans.enums import DecisionOutcome, Occasion, Phase, Status, TargetArea, ViewsRecordedBy
from openpep.plans.models import Decision, Pep, Target
from openpep.quality.models import Criterion
from openpep.voice import services as voice_services
from openpep.voice.enums import Audience, Variant
from openpep.warnings.enums import Kind
from openpep.warnings.models import EarlyWarning
from tests.api.test_matrix import API_MATRIX
from tests.builders import (
    add_attainment,
    add_attendee,
    add_target,
    cast_of,
    invite,
    record_meeting,
    schedule_meeting,
    start,
)
from tests.fixtures import make_user, resume_session, sign_in, today
from tests.scim.test_matrix import SCIM_MATRIX

SIGN_IN = "sign-in"  # a 302 to the sign-in page
ROLES = ("anonymous", "sw", "sw_other", "tm", "dt", "dt_other", "vs", "vs_admin", "vs_other", "iro", "nobody")
ANY, OWN, OTHER = "-", "own", "other"  # the object column: none, world.child's, world.other_child's


def row(anonymous, sw, sw_other, tm, dt, dt_other, vs, vs_admin, vs_other, iro, nobody) -> dict:
    return dict(
        zip(ROLES, (anonymous, sw, sw_other, tm, dt, dt_other, vs, vs_admin, vs_other, iro, nobody), strict=True)
    )


def every(status, anonymous=SIGN_IN) -> dict:
    return row(anonymous, *[status] * (len(ROLES) - 1))


# Each row(...) gives, in this order, what each of these gets:
#   anonymous, sw, sw_other, tm, dt, dt_other, vs, vs_admin, vs_other, iro, nobody
# SIGN_IN is a 302 to the sign-in page; 302 alone is a redirect anywhere else.

# Who sees the child (and so its PEPs); everyone else must get a 404.
SEEN_OWN = row(SIGN_IN, 200, 404, 200, 200, 404, 200, 200, 404, 200, 404)
SEEN_OTHER = row(SIGN_IN, 404, 200, 404, 404, 200, 200, 200, 404, 404, 404)

GET = {
    # "/" forwards anyone signed in to the children list.
    "home": {ANY: every(302)},
    # The sign-in page is public; someone already signed in is sent on to "/".
    "login": {ANY: row(200, *[302] * 10)},
    # Signing out is a POST (a link could sign people out): a GET is refused for everyone.
    "logout": {ANY: every(405, anonymous=405)},
    # Reached from an e-mail before anyone can sign in; an invalid link says so to anyone.
    "password_reset_confirm": {ANY: every(200, anonymous=200)},
    # Everyone signed in has a list, perhaps empty (nobody's is).
    "children:list": {ANY: every(200)},
    # Social workers and Virtual School staff record a child coming into care.
    "children:add": {ANY: row(SIGN_IN, 200, 200, 403, 403, 403, 200, 200, 200, 403, 403)},
    "children:detail": {OWN: SEEN_OWN, OTHER: SEEN_OTHER},
    # The education timeline: whoever sees the child (care details are left out inside the page).
    "children:timeline": {OWN: SEEN_OWN, OTHER: SEEN_OTHER},
    # Details, school and placement: the allocated social worker or the Virtual School.
    "children:edit": {
        OWN: row(SIGN_IN, 200, 404, 403, 403, 404, 200, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 200, 200, 404, 404, 404),
    },
    "children:school": {
        OWN: row(SIGN_IN, 200, 404, 403, 403, 404, 200, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 200, 200, 404, 404, 404),
    },
    "children:placement": {
        OWN: row(SIGN_IN, 200, 404, 403, 403, 404, 200, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 200, 200, 404, 404, 404),
    },
    # The team manager of the social worker's team, or the Virtual School head; not the officer.
    "children:reallocate": {
        OWN: row(SIGN_IN, 403, 404, 200, 403, 404, 403, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 403, 403, 200, 404, 404, 404),
    },
    # Starting a PEP is Section A: the allocated social worker.
    "plans:start": {
        OWN: row(SIGN_IN, 200, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    # Reading a PEP (its task list, the whole PEP) and its history: whoever sees the child.
    "plans:detail": {OWN: SEEN_OWN, OTHER: SEEN_OTHER},
    "plans:whole": {OWN: SEEN_OWN, OTHER: SEEN_OTHER},
    "plans:history": {OWN: SEEN_OWN, OTHER: SEEN_OTHER},
    # Section A: the allocated social worker.
    "plans:section_a": {
        OWN: row(SIGN_IN, 200, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    # Section B: the DT on the own draft (the school records the views), the social worker on the other.
    "plans:section_b": {
        OWN: row(SIGN_IN, 403, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    # Section C: the allocated social worker.
    "plans:section_c": {
        OWN: row(SIGN_IN, 200, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    # Section D and its rows (targets, reviews, attainment): the DT of the PEP's school.
    "plans:section_d": {
        OWN: row(SIGN_IN, 403, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 200, 403, 403, 404, 404, 404),
    },
    "plans:target_add": {
        OWN: row(SIGN_IN, 403, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 200, 403, 403, 404, 404, 404),
    },
    "plans:target_edit": {
        OWN: row(SIGN_IN, 403, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 200, 403, 403, 404, 404, 404),
    },
    # POST only: a GET is refused before anything is looked up, so it says nothing about the PEP.
    "plans:target_remove": {OWN: every(405), OTHER: every(405)},
    "plans:review_edit": {
        OWN: row(SIGN_IN, 403, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 200, 403, 403, 404, 404, 404),
    },
    # Every review of the previous targets on one page: the same rule as one review.
    "plans:reviews_edit": {
        OWN: row(SIGN_IN, 403, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 200, 403, 403, 404, 404, 404),
    },
    "plans:attainment_add": {
        OWN: row(SIGN_IN, 403, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 200, 403, 403, 404, 404, 404),
    },
    "plans:attainment_remove": {OWN: every(405), OTHER: every(405)},
    # Draft -> school section returned: only the DT of the PEP's school.
    "plans:move": {
        OWN: row(SIGN_IN, 403, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 200, 403, 403, 404, 404, 404),
    },
    "plans:correct": {OWN: every(405), OTHER: every(405)},
    # The meeting record: the allocated social worker, and the DT while the PEP is a draft.
    "meetings:edit": {
        OWN: row(SIGN_IN, 200, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 200, 403, 403, 404, 404, 404),
    },
    "meetings:attendee_add": {
        OWN: row(SIGN_IN, 200, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 200, 403, 403, 404, 404, 404),
    },
    "meetings:attendee_remove": {OWN: every(405), OTHER: every(405)},
    # Scheduling the meeting and inviting people: the allocated social worker only, not the DT.
    "meetings:schedule": {
        OWN: row(SIGN_IN, 200, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    "meetings:invite": {
        OWN: row(SIGN_IN, 200, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    "meetings:cancel": {OWN: every(405), OTHER: every(405)},
    "meetings:uninvite": {OWN: every(405), OTHER: every(405)},
    "meetings:respond": {OWN: every(405), OTHER: every(405)},
    "meetings:record_answer": {OWN: every(405), OTHER: every(405)},
    # "Add to calendar": the scheduled meeting's .ics for whoever sees the meeting (the invitees among them).
    "meetings:calendar": {
        OWN: row(SIGN_IN, 200, 404, 200, 200, 404, 200, 200, 404, 200, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 200, 200, 200, 404, 404, 404),
    },
    "meetings:resend": {OWN: every(405), OTHER: every(405)},
    "meetings:resend_all": {OWN: every(405), OTHER: every(405)},
    # Staff and teams: the Virtual School head only; to anyone else the pages do not exist.
    # The accessibility statement is public, like the sign-in page.
    "accessibility": {ANY: every(200, anonymous=200)},
    # The health check (for the proxy, and the benchmark's trivial view) is public and says only "ok".
    "healthz": {ANY: every(200, anonymous=200)},
    # Everyone signed in has a task list, of their own work only (what it lists is tested in tests/reminders).
    "reminders:tasks": {ANY: every(200)},
    "people:staff": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "people:staff_add": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "people:teams": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    # The school calendar and timescales: the Virtual School head only, like staff and teams.
    "clock:calendar": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "clock:term_add": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "clock:holiday_add": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "clock:import": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "attendance:import": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "clock:timescales": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "clock:term_delete": {ANY: every(405)},
    "clock:holiday_delete": {ANY: every(405)},
    # The council's wording of PEP types: the Virtual School head only, like the calendar.
    "pep_types:wording": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    # PDFs of a PEP (here the draft): whoever sees the PEP (a former school keeps only its signed-off
    # school section, tested in tests/documents/test_access.py).
    "documents:pep_pdf": {OWN: SEEN_OWN, OTHER: SEEN_OTHER},
    "documents:school_pdf": {OWN: SEEN_OWN, OTHER: SEEN_OTHER},
    # Blank school-section templates hold nothing about anyone: everyone signed in.
    "documents:templates": {ANY: every(200)},
    "documents:template_pdf": {ANY: every(200)},
    # Subject-access exports: the child's Virtual School (officer or head); whoever else sees the child is
    # refused. The export's download, of a job still queued, sends the Virtual School to its progress page.
    "documents:exports": {
        OWN: row(SIGN_IN, 403, 404, 403, 403, 404, 200, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 403, 200, 200, 404, 404, 404),
    },
    "documents:export": {
        OWN: row(SIGN_IN, 403, 404, 403, 403, 404, 200, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 403, 200, 200, 404, 404, 404),
    },
    "documents:export_download": {
        OWN: row(SIGN_IN, 403, 404, 403, 403, 404, 302, 302, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 403, 302, 302, 404, 404, 404),
    },
    # Pupil Premium Plus settings, rates and allocations: the Virtual School head only, like the calendar.
    "funding:settings": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "funding:settings_edit": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    # A council's early warning rules: its Virtual School head.
    "warnings:settings": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "warnings:settings_edit": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    # How long the child's codes work: the Virtual School Head's setting.
    "voice:settings": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "voice:settings_edit": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    # A school-side warning (an exclusion) goes to the allocated social worker, the Virtual School of the
    # child's authority and the DT of the child's school; not to the team manager or the IRO.
    "warnings:acknowledge": {
        OWN: row(SIGN_IN, 200, 404, 404, 200, 404, 200, 200, 404, 404, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 200, 200, 200, 404, 404, 404),
    },
    "warnings:interim": {OWN: every(405), OTHER: every(405)},
    # The register of every cohort: the Virtual School's officers and head (another council's: its own,
    # without these children, tests/cohorts/test_register.py). The DT's list of their school's wider
    # cohort: every DT (empty unless the children's council shares them).
    "cohorts:register": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 200, 200, 200, 404, 404)},
    "cohorts:school_list": {ANY: row(SIGN_IN, 404, 404, 404, 200, 200, 404, 404, 404, 404, 404)},
    # Adding a child of the wider cohort never in care: the Virtual School (into its own authority). Importing
    # the wider cohort's files: the Virtual School head, as the attendance import.
    "cohorts:child_add": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 200, 200, 200, 404, 404)},
    "cohorts:import": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    # A child's cohorts and the advice given about them: the Virtual School of the child's authority;
    # whoever else sees the child is refused, anyone else finds nothing.
    "cohorts:membership_add": {
        OWN: row(SIGN_IN, 403, 404, 403, 403, 404, 200, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 403, 200, 200, 404, 404, 404),
    },
    "cohorts:membership_end": {
        OWN: row(SIGN_IN, 403, 404, 403, 403, 404, 200, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 403, 200, 200, 404, 404, 404),
    },
    "cohorts:casework_add": {
        OWN: row(SIGN_IN, 403, 404, 403, 403, 404, 200, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 403, 200, 200, 404, 404, 404),
    },
    "cohorts:follow_up_done": {ANY: every(405)},
    # A council's wider cohort settings and topics of advice: its Virtual School head.
    "cohorts:settings": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "cohorts:settings_edit": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "cohorts:topic_add": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "cohorts:topic_edit": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "funding:rate": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "funding:allocate": {ANY: every(405)},
    # Requesting PP+ is part of Section D: the DT of the PEP's school, while the school part is open.
    "funding:request_add": {
        OWN: row(SIGN_IN, 403, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 200, 403, 403, 404, 404, 404),
    },
    # Deciding and paying a request: the child's Virtual School (officer or head); whoever else sees it is refused.
    "funding:approve": {
        OWN: row(SIGN_IN, 403, 404, 403, 403, 404, 200, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 403, 200, 200, 404, 404, 404),
    },
    "funding:pay": {
        OWN: row(SIGN_IN, 403, 404, 403, 403, 404, 200, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 403, 200, 200, 404, 404, 404),
    },
    # Dashboards, their lists and the PP+ ledger: the Virtual School, team managers and DTs, each of
    # their own children (which children is tested in tests/dashboards); social workers and IROs have none.
    "dashboards:dashboard": {ANY: row(SIGN_IN, 404, 404, 200, 200, 200, 200, 200, 200, 404, 404)},
    "dashboards:children": {ANY: row(SIGN_IN, 404, 404, 200, 200, 200, 200, 200, 200, 404, 404)},
    "dashboards:ledger": {ANY: row(SIGN_IN, 404, 404, 200, 200, 200, 200, 200, 200, 404, 404)},
    # The annual report's figures, every cohort: the Virtual School (officers and head), of its own authority.
    "dashboards:annual_report": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 200, 200, 200, 404, 404)},
    # A QA round of a submitted PEP: its Virtual School (officer or head); whoever else sees it is refused.
    "quality:review": {
        OWN: row(SIGN_IN, 403, 404, 403, 403, 404, 200, 200, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 403, 200, 200, 404, 404, 404),
    },
    # The rubric and the checks' settings: the Virtual School head only, like the calendar.
    "quality:rubric": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "quality:settings": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "quality:criterion_add": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "quality:criterion_edit": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    # Connected systems (API tokens, webhooks and their delivery log): the Virtual School head only.
    "api_admin:tokens": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "api_admin:token_add": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "api_admin:webhook_add": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "api_admin:webhook_deliveries": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "api_admin:token_revoke": {ANY: every(405)},
    # The council's single sign-on, read only: the Virtual School head. Its provider's callback, reached
    # with no answer from a provider, goes home (the refusals are tested in tests/sso).
    "sso_admin:settings": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "scim_admin:settings": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "scim_admin:token_make": {ANY: every(405)},
    "scim_admin:token_revoke": {ANY: every(405)},
    "sso:callback": {ANY: every(302, anonymous=302)},
    "api_admin:webhook_remove": {ANY: every(405)},
    # Session limits and drafts: POST only, for anyone signed in.
    "session:keep_alive": {ANY: every(405)},
    "session:timed_out": {ANY: every(405, anonymous=405)},
    "drafts:autosave": {ANY: every(405)},
    "drafts:discard": {ANY: every(405)},
    # Asking for access is public; the confirmation link (here not valid) says so to anyone.
    "access:request": {ANY: every(200, anonymous=200)},
    "access:verify": {ANY: every(200, anonymous=200)},
    # Access requests (here one for world.school) and a person's page (world.dt, whose school is in the
    # authority): the Virtual School head only, like staff and teams. Deactivating is a POST.
    "people:access_requests": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "people:access_request": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "people:staff_detail": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "people:staff_deactivate": {ANY: every(405)},
    # Delegations: Designated Teachers only, each of their own school's (here one world.dt made). Ending is a POST.
    "children:delegations": {ANY: row(SIGN_IN, 404, 404, 404, 200, 200, 404, 404, 404, 404, 404)},
    "children:delegation_add": {ANY: row(SIGN_IN, 404, 404, 404, 200, 200, 404, 404, 404, 404, 404)},
    "children:delegation_end": {ANY: every(405)},
    # The second step of signing in: a session already verified goes on to "/" (the step itself, an
    # unverified session and the passkey ceremonies are tested in tests/mfa).
    "mfa:verify": {ANY: every(302)},
    "mfa:setup": {ANY: every(302)},  # a verified person with an app: to their sign-in methods
    "mfa:passkey_options": {ANY: every(405)},
    "mfa:passkey_verify": {ANY: every(405)},
    # "Have your say": the child's code page is public (whoever is signed in may open it too); the pages
    # behind a code answer anyone without one (every role here) by sending them to the code page; the
    # thank-you page shows nothing but a first name kept for the browser that has just sent.
    "voice:start": {ANY: every(200, anonymous=200)},
    "voice:answers": {ANY: every(302, anonymous=302)},
    "voice:check": {ANY: every(302, anonymous=302)},
    "voice:sent": {ANY: every(200, anonymous=200)},
    # Asking the child for their views (the codes): whoever records Section B, as Section B's own row.
    "voice:invitations": {
        OWN: row(SIGN_IN, 403, 404, 403, 200, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    "voice:withdraw": {OWN: every(405), OTHER: every(405)},
    # What the child sent, and their picture: whoever reads Section B (taking it in is tested in tests/voice).
    "voice:contribution": {OWN: SEEN_OWN, OTHER: SEEN_OTHER},
    "voice:picture": {OWN: SEEN_OWN, OTHER: SEEN_OTHER},
    # My plan: the child's (or carer's) code page is public; the plan and its PDF send anyone without a
    # code opened in their browser to it. Of a signed-off PEP (the column's), the page that shares it and
    # its PDF are the allocated social worker's; whoever else sees the PEP is refused (the unsigned PEP's
    # 404 is tested in tests/myplan).
    "myplan:start": {ANY: every(200, anonymous=200)},
    "myplan:plan": {ANY: every(302, anonymous=302)},
    "myplan:plan_pdf": {ANY: every(302, anonymous=302)},
    "myplan:share": {
        OWN: row(SIGN_IN, 200, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    "myplan:pdf": {
        OWN: row(SIGN_IN, 200, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 200, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    "myplan:withdraw": {OWN: every(405), OTHER: every(405)},
    # Everyone manages their own sign-in methods, and nobody else's.
    "mfa:manage": {ANY: every(200)},
    "mfa:reset_app": {ANY: every(200)},
    "mfa:passkey_register_options": {ANY: every(405)},
    "mfa:passkey_register": {ANY: every(405)},
    "mfa:passkey_remove": {ANY: every(405)},
    # Renaming a passkey: world.vs's own; anyone else's id is not found.
    "mfa:passkey_rename": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404)},
}

# POST-only URLs, posted with no data (the test client does not check CSRF).
POST = {
    # Signing out always ends at the sign-in page, signed in or not.
    "logout": {ANY: every(SIGN_IN, anonymous=SIGN_IN)},
    # Removing a target or an attainment row is Section D: the DT of the PEP's school.
    "plans:target_remove": {
        OWN: row(SIGN_IN, 403, 404, 403, 302, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 302, 403, 403, 404, 404, 404),
    },
    "plans:attainment_remove": {
        OWN: row(SIGN_IN, 403, 404, 403, 302, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 302, 403, 403, 404, 404, 404),
    },
    # A signed-off PEP is corrected by the allocated social worker or the Virtual School.
    "plans:correct": {
        OWN: row(SIGN_IN, 302, 404, 403, 403, 404, 302, 302, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 302, 404, 404, 403, 302, 302, 404, 404, 404),
    },
    # The meeting record, in a draft: the allocated social worker or the DT.
    "meetings:attendee_remove": {
        OWN: row(SIGN_IN, 302, 404, 403, 302, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 302, 404, 404, 302, 403, 403, 404, 404, 404),
    },
    # Cancelling the meeting, withdrawing an invitation and recording the answer of someone
    # with no account (the carer): the allocated social worker only.
    "meetings:cancel": {
        OWN: row(SIGN_IN, 302, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 302, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    "meetings:uninvite": {
        OWN: row(SIGN_IN, 302, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 302, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    "meetings:record_answer": {
        OWN: row(SIGN_IN, 302, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 302, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    # Sending the invitation again, to the carer or to everyone: the allocated social worker only.
    "meetings:resend": {
        OWN: row(SIGN_IN, 302, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 302, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    "meetings:resend_all": {
        OWN: row(SIGN_IN, 302, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 302, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    # Answering an invitation (the DT's): only the invitee; whoever else sees the PEP is refused.
    "meetings:respond": {
        OWN: row(SIGN_IN, 403, 404, 403, 302, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 403, 404, 404, 302, 403, 403, 404, 404, 404),
    },
    # Deleting a term or a holiday: the Virtual School head of its authority.
    "clock:term_delete": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)},
    "clock:holiday_delete": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)},
    # Working out the year's PP+ allocations: the Virtual School head.
    "funding:allocate": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)},
    # Revoking a token or removing a webhook of the head's own authority: the Virtual School head.
    "api_admin:token_revoke": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)},
    "scim_admin:token_make": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)},
    "scim_admin:token_revoke": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)},
    # Answering a warning with an interim PEP: the allocated social worker (whose child has a draft in
    # progress here, so they are sent back to say so); whoever else is sent the warning is refused.
    "warnings:interim": {
        OWN: row(SIGN_IN, 302, 404, 404, 403, 404, 403, 403, 404, 404, 404),
        OTHER: row(SIGN_IN, 404, 302, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    "api_admin:webhook_remove": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)},
    # A follow-up of advice world.vs gave: theirs alone to close; no one else finds it.
    "cohorts:follow_up_done": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 302, 404, 404, 404, 404)},
    # "Stay signed in": anyone signed in. The page's timed-out sign-out ends at the sign-in page.
    "session:keep_alive": {ANY: every(200)},
    "session:timed_out": {ANY: every(SIGN_IN, anonymous=SIGN_IN)},
    # A draft of a form given no form's address: nothing to keep or discard (a 404). Which forms
    # keep drafts, for whom, is tested in tests/drafts.
    "drafts:autosave": {ANY: every(404)},
    "drafts:discard": {ANY: every(404)},
    # Deactivating world.dt: the Virtual School head of the authority of world.dt's school (Elm Academy's
    # DT, though a Testshire child attends it, is Otherborough's: tests/adversarial/test_admin_scope.py).
    "people:staff_deactivate": {ANY: row(SIGN_IN, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)},
    # Ending world.dt's delegation: a Designated Teacher of its school (world.dt); anyone else finds none.
    "children:delegation_end": {ANY: row(SIGN_IN, 404, 404, 404, 302, 404, 404, 404, 404, 404, 404)},
    # Passkeys, posted with nothing: signing in with one needs one (these people have an app only);
    # answering a ceremony needs one started; adding one starts for anyone verified; removing needs
    # one of one's own.
    "mfa:passkey_options": {ANY: every(404)},
    "mfa:passkey_verify": {ANY: every(400)},
    "mfa:passkey_register_options": {ANY: every(200)},
    "mfa:passkey_register": {ANY: every(400)},
    "mfa:passkey_remove": {ANY: every(404)},
    # Withdrawing a child's Have your say code: whoever records Section B.
    "voice:withdraw": {
        OWN: row(SIGN_IN, 403, 404, 403, 302, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 302, 404, 404, 403, 403, 403, 404, 404, 404),
    },
    # Withdrawing a share of My plan: the allocated social worker.
    "myplan:withdraw": {
        OWN: row(SIGN_IN, 302, 404, 403, 403, 404, 403, 403, 404, 403, 404),
        OTHER: row(SIGN_IN, 404, 302, 404, 404, 403, 403, 403, 404, 404, 404),
    },
}

MATRIX = {"GET": GET, "POST": POST}

# The delegate: other staff of world.school to whom world.dt has delegated Section D of world.child
# (``_delegate``). Of the own child's URLs they get what this table says: the child's page, the PEP's
# page (Section D alone on it), Section D and its rows (targets, reviews, attainment, a PP+ request, while
# the school part is open) and the school-section PDF; never the timeline, the PEP's history, the
# meeting (its record, arrangements, invitees and answers: a 404 to them) or the whole-PEP PDF (a 404);
# every other part of the plan is seen and refused (403), as it is to whoever else sees the child. Of
# anything else — the other child, the URLs about no child — they get what "nobody" gets: a delegation
# gives that one child only. A URL about a child or a PEP with no row here fails
# ``test_the_delegate_has_a_row_for_every_url_about_a_child``.
DELEGATE_OWN = {
    "GET": {
        "children:detail": 200,
        "children:timeline": 404,
        "children:edit": 403,
        "children:school": 403,
        "children:placement": 403,
        "children:reallocate": 403,
        "plans:start": 403,
        "plans:detail": 200,
        "plans:whole": 200,
        "plans:history": 404,
        "plans:section_a": 403,
        "plans:section_b": 403,
        "plans:section_c": 403,
        "plans:section_d": 200,
        "plans:target_add": 200,
        "plans:target_edit": 200,
        "plans:target_remove": 405,
        "plans:review_edit": 200,
        "plans:reviews_edit": 200,
        "plans:attainment_add": 200,
        "plans:attainment_remove": 405,
        "plans:move": 403,
        "plans:correct": 405,
        "meetings:edit": 404,
        "meetings:attendee_add": 404,
        "meetings:attendee_remove": 405,
        "meetings:schedule": 404,
        "meetings:invite": 404,
        "meetings:cancel": 405,
        "meetings:uninvite": 405,
        "meetings:respond": 405,
        "meetings:record_answer": 405,
        "meetings:calendar": 404,
        "meetings:resend": 405,
        "meetings:resend_all": 405,
        "documents:pep_pdf": 404,
        "documents:school_pdf": 200,
        "documents:exports": 403,
        "documents:export": 403,
        "documents:export_download": 403,
        "funding:request_add": 200,
        "funding:approve": 403,
        "funding:pay": 403,
        "quality:review": 403,
        "warnings:acknowledge": 404,
        "warnings:interim": 405,
        # Section D only: Section B's codes are refused; the child's words (Section B) are not theirs to read.
        "voice:invitations": 403,
        "voice:withdraw": 405,
        "voice:contribution": 404,
        "voice:picture": 404,
        # My plan is the social worker's to share: refused to whoever else sees the PEP.
        "myplan:share": 403,
        "myplan:pdf": 403,
        "myplan:withdraw": 405,
        "cohorts:membership_add": 403,
        "cohorts:membership_end": 403,
        "cohorts:casework_add": 403,
    },
    "POST": {
        "plans:target_remove": 302,
        "plans:attainment_remove": 302,
        "plans:correct": 403,
        "meetings:attendee_remove": 404,
        "meetings:cancel": 404,
        "meetings:uninvite": 404,
        "meetings:record_answer": 404,
        "meetings:respond": 404,
        "meetings:resend": 404,
        "meetings:resend_all": 404,
        "warnings:interim": 404,
        "voice:withdraw": 403,
        "myplan:withdraw": 403,
    },
}

# Cells where the application disagrees with the rules above: (method, url name, object, role) -> why.
KNOWN_BUGS: dict[tuple[str, str, str, str], str] = {}


def url_patterns(resolver=None, namespace="", params=()):
    """(namespaced name, URL parameter names) of every pattern, includes followed."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        found = params + tuple(getattr(pattern.pattern, "converters", {}))
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner, found)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), found


PARAMS = dict(url_patterns())
OBJECT_PARAMS = {
    "child_id",
    "pep_id",
    "target_id",
    "review_id",
    "row_id",
    "attendee_id",
    "invitation_id",
    "warning_id",
}


def takes_object(name: str) -> bool:
    return bool(OBJECT_PARAMS & set(PARAMS.get(name, ())))


def test_matrix_has_a_row_for_every_url():
    names = set(PARAMS)
    assert None not in names, "Every URL pattern needs a name, so that it can have a row in the matrix"
    # API URLs with a row in tests/api/test_matrix.py are covered there; one without fails here too.
    names -= {f"api:{name}" for name, _method in API_MATRIX}
    names -= {f"scim:{name}" for name, _method in SCIM_MATRIX}
    assert sorted(names - set(GET)) == [], "URLs with no row in the permission matrix"
    assert sorted(set(GET) - names) == [], "Matrix rows for URLs that no longer exist"


def test_matrix_has_the_right_columns_for_every_url():
    for method, table in MATRIX.items():
        for name, columns in table.items():
            expected_columns = {OWN, OTHER} if takes_object(name) else {ANY}
            assert set(columns) == expected_columns, f"{method} {name}"
            for column, cells in columns.items():
                assert tuple(cells) == ROLES, f"{method} {name} {column}"


def test_matrix_has_a_post_row_for_every_post_only_url():
    refuses_get = {
        name
        for name, columns in GET.items()
        if any(cells[role] == 405 for cells in columns.values() for role in ROLES if role != "anonymous")
    }
    assert refuses_get == set(POST)


def _cells():
    for method, table in MATRIX.items():
        for name, columns in table.items():
            for column in columns:
                for role in ROLES:
                    key = (method, name, column, role)
                    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[key])] if key in KNOWN_BUGS else []
                    yield pytest.param(*key, marks=marks, id="-".join(key))


@dataclass(frozen=True)
class Objects:
    child: object
    signed_off: object
    draft: object
    target: object
    review: object
    attainment: object
    attendee: object
    carer_invitation: object  # no account: the social worker records the answer
    dt_invitation: object


def _signed_off(cast) -> Pep:
    """A signed-off PEP with one target, made directly: the matrix needs it to
    exist, and how a PEP gets signed off is tested in plans/test_workflow.py."""
    pep = Pep.objects.create(
        child=cast.child,
        school=cast.child.current_enrolment().school,
        phase=Phase.STATUTORY,
        occasion=Occasion.INITIAL,
        status=Status.SIGNED_OFF,
        created_by=cast.sw,
    )
    Decision.objects.create(pep=pep, outcome=DecisionOutcome.SIGNED_OFF, decided_by=cast.vs)
    Target.objects.create(
        pep=pep,
        outcome="I will know my times tables up to 12",
        area=TargetArea.MATHS,
        success_measure="Times tables check",
        actions="Ten minutes a day with a teaching assistant",
        who="Class teacher",
        by_when=datetime.date(2025, 12, 19),
    )
    return pep


def _objects(world, child, views_recorded_by) -> Objects:
    cast = cast_of(world, child)
    signed_off = _signed_off(cast)
    draft = start(cast, views_recorded_by=views_recorded_by)
    target = add_target(draft, cast.dt)
    attainment = add_attainment(draft, cast.dt)
    schedule_meeting(draft, cast.sw)
    record_meeting(draft, cast.sw)
    attendee = add_attendee(draft, cast.sw)
    carer = invite(draft, cast.sw)
    dt_invitation = draft.meeting.invitations.get(user=cast.dt)
    return Objects(
        child, signed_off, draft, target, draft.target_reviews.get(), attainment, attendee, carer, dt_invitation
    )


def with_matrix_objects(world):
    """`world` with each column's objects made (``world.matrix_objects``), once for the module: the
    PEPs, meetings and invitations every cell of a column reads. What a single URL needs besides
    (a term, a PP+ request, a token...) ``_url`` makes in the cell, rolled back after it."""
    world.matrix_objects = {
        OWN: _objects(world, world.child, ViewsRecordedBy.SCHOOL),
        OTHER: _objects(world, world.other_child, ViewsRecordedBy.SOCIAL_WORKER),
    }
    return world


def _objects_of(world, column: str) -> Objects:
    """The column's objects: those made once for the module when `world` has them (``with_matrix_objects``),
    else made now (a world of a test's own, as tests/test_fuzz_forms.py's)."""
    if hasattr(world, "matrix_objects"):
        return world.matrix_objects[column]
    if column == OWN:
        return _objects(world, world.child, ViewsRecordedBy.SCHOOL)
    return _objects(world, world.other_child, ViewsRecordedBy.SOCIAL_WORKER)


@pytest.fixture(scope="module")
def matrix_world(module_world, django_db_blocker):
    with django_db_blocker.unblock():
        return with_matrix_objects(module_world)


@pytest.fixture(scope="module")
def module_sessions(module_sessions, council_sessions):
    """Each role's session, made once for the module: the council's staff (social workers, team manager,
    Virtual School, IRO) signed in with their council account through a real OpenID Connect provider
    (tests/fixtures.py's ``council_sessions``), everyone else with a password and an app. The same
    table of expected answers holds for both."""
    return module_sessions | council_sessions


@pytest.fixture
def world(matrix_world, db):
    """The world and its objects are built once for this module (tests/fixtures.py's ``module_transaction``);
    each cell runs in a savepoint rolled back after it, so no cell's writes reach the next."""
    return matrix_world


def _calendar_ids(world) -> dict:
    """A term and a holiday in it, of the Virtual School head's authority, made directly."""
    term = Term.objects.create(
        local_authority=world.authority,
        name=TermName.AUTUMN,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 12, 18),
    )
    holiday = Holiday.objects.create(
        local_authority=world.authority,
        name="October half-term",
        starts_on=datetime.date(2026, 10, 26),
        ends_on=datetime.date(2026, 10, 30),
    )
    return {"term_id": term.pk, "holiday_id": holiday.pk}


def _funding_request_id(world, column: str, pep_id: int, *, approved: bool) -> int:
    """A PP+ request on the draft, made by its DT through the service for a new target costed
    directly; approved by the Virtual School (beyond the allocation of £0, with a reason) when
    the URL is for paying it."""
    cast = cast_of(world, world.child if column == OWN else world.other_child)
    pep = Pep.objects.get(pk=pep_id)
    target = add_target(pep, cast.dt, outcome="I will go to the homework club twice a week")
    Target.objects.filter(pk=target.pk).update(pupil_premium_cost=Decimal("120.00"))
    target.refresh_from_db()
    funding_request = funding_services.request_funding(cast.dt, pep, target)
    if approved:
        funding_services.move(funding_request, RequestStatus.APPROVED, actor=cast.vs, override_reason="None allocated")
    return funding_request.pk


def _access_request_id(world) -> int:
    """A confirmed request for access to world.school, made directly (the journey is tested in tests/people)."""
    return AccessRequest.objects.create(
        full_name="Nia New",
        email="nia@school.example",
        school=world.school,
        role=Role.SCHOOL_STAFF,
        status=AccessRequestStatus.PENDING,
    ).pk


def _delegation_id(world) -> int:
    """world.dt shares world.child with a colleague at world.school, through the real service."""
    colleague = make_user("senco@test.example", "Sen Colleague", Role.SCHOOL_STAFF, school=world.school)
    return children_services.delegate(
        world.dt,
        world.school,
        to=colleague,
        children=[world.child],
        sections=["d"],
        ends_on=today() + datetime.timedelta(days=30),
    ).pk


def _voice_ids(world, column: str, pep_id: int) -> dict:
    """A Have your say code for the column's draft, made by whoever records its Section B, and what a
    child sent with an earlier one (a picture too), through the real services."""
    cast = cast_of(world, world.child if column == OWN else world.other_child)
    pep = Pep.objects.get(pk=pep_id)
    recorder = cast.dt if pep.views_recorded_by == ViewsRecordedBy.SCHOOL else cast.sw
    sent, _ = voice_services.make_invitation(recorder, pep, variant=Variant.PRIMARY)
    picture = SimpleUploadedFile("drawing.png", _tiny_png(), content_type="image/png")
    voice_services.save_answers(sent.pk, {"going_well": "Football at lunch"}, picture)
    contribution = voice_services.submit(sent.pk)
    invitation, _ = voice_services.make_invitation(recorder, pep, variant=Variant.PRIMARY)
    return {"code_id": invitation.pk, "contribution_id": contribution.pk}


def _tiny_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, "PNG")
    return out.getvalue()


def _url(name: str, column: str, world) -> str:
    values = {"uidb64": "MQ", "token": "not-a-valid-token"}
    if column != ANY:  # only the column's objects are made: half the work for each cell
        found = _objects_of(world, column)
        values |= {
            "child_id": found.child.pk,
            "pep_id": (found.signed_off if name == "plans:correct" or name.startswith("myplan:") else found.draft).pk,
            "target_id": found.target.pk,
            "review_id": found.review.pk,
            "row_id": found.attainment.pk,
            "attendee_id": found.attendee.pk,
            "invitation_id": (found.dt_invitation if name == "meetings:respond" else found.carer_invitation).pk,
            "to": Status.SCHOOL_RETURNED.value,
        }
    if {"term_id", "holiday_id"} & set(PARAMS[name]):
        values |= _calendar_ids(world)
    if name == "quality:review":
        Pep.objects.filter(pk=values["pep_id"]).update(status=Status.SUBMITTED)
    if "criterion_id" in PARAMS[name]:
        values["criterion_id"] = Criterion.objects.create(local_authority=world.authority, title="Carer input").pk
    if "request_id" in PARAMS[name]:
        values["request_id"] = _funding_request_id(world, column, values["pep_id"], approved=name == "funding:pay")
    if "job_id" in PARAMS[name]:  # a subject-access export of the column's child, queued
        values["job_id"] = ExportJob.objects.create(child_id=values["child_id"], requested_by=world.vs).pk
    if "token_id" in PARAMS[name]:  # a token of the Virtual School head's own authority
        token, _ = api_services.create_token(world.vs_admin, world.authority, name="MIS", scope=Scope.READ)
        values["token_id"] = token.pk
    if "webhook_id" in PARAMS[name]:
        values["webhook_id"] = api_services.add_webhook(
            world.vs_admin, world.authority, name="MIS", url="https://mis.example/hook", events=["pep.submitted"]
        ).pk
    if "user_id" in PARAMS[name]:
        values["user_id"] = world.dt.pk
    if "access_request_id" in PARAMS[name]:
        values["access_request_id"] = _access_request_id(world)
    if "delegation_id" in PARAMS[name]:
        values["delegation_id"] = _delegation_id(world)
    if "passkey_id" in PARAMS[name]:  # world.vs's, made directly (adding one is tested in tests/mfa)
        values["passkey_id"] = Passkey.objects.create(
            user=world.vs, name="Passkey 1", credential_id="matrix", public_key=b"k", confirmed=True
        ).pk
    if "warning_id" in PARAMS[name]:  # an exclusion (school-side) warning about the column's child, made directly
        values["warning_id"] = EarlyWarning.objects.create(
            child_id=values["child_id"], kind=Kind.EXCLUSION, occurrence="E 2026-11-02", detail="Suspended"
        ).pk
    if "share_id" in PARAMS[name]:  # My plan shared with the column's child, by their social worker
        pep = Pep.objects.get(pk=values["pep_id"])
        values["share_id"] = myplan_services.share(pep.child.social_worker, pep, audience=Audience.CHILD)[0].pk
    if {"code_id", "contribution_id"} & set(PARAMS[name]):
        values |= _voice_ids(world, column, values["pep_id"])
    if "membership_id" in PARAMS[name]:  # the column's child with a social worker, made directly
        values["membership_id"] = CohortMembership.objects.create(
            child_id=values["child_id"], cohort=Cohort.SOCIAL_WORKER, kind=CohortKind.CIN, starts_on=today()
        ).pk
    if "topic_id" in PARAMS[name]:  # a default topic of the Virtual School head's authority
        values["topic_id"] = CaseworkTopic.objects.filter(local_authority=world.authority).first().pk
    if "entry_id" in PARAMS[name]:  # advice world.vs gave about world.child, to follow up
        values["entry_id"] = CaseworkEntry.objects.create(
            child=world.child,
            given_on=today(),
            given_to=GivenTo.SCHOOL,
            given_by=world.vs,
            how=How.PHONE,
            topic=CaseworkTopic.objects.filter(local_authority=world.authority).first(),
            notes="Spoke to the DT about a part-time timetable",
            follow_up_on=today() + datetime.timedelta(days=7),
        ).pk
    if "pep_type" in PARAMS[name]:
        values["pep_type"] = "statutory-review"
    return reverse(name, kwargs={param: values[param] for param in PARAMS[name]})


@pytest.mark.parametrize(("method", "name", "column", "role"), list(_cells()))
def test_url_answers_role_as_the_matrix_says(method, name, column, role, world, client, module_sessions):
    expected = MATRIX[method][name][column][role]
    url = _url(name, column, world)
    if role != "anonymous":
        resume_session(client, module_sessions, getattr(world, role))

    _assert_answers(client, method, name, url, expected)


def test_the_delegate_has_a_row_for_every_url_about_a_child():
    for method, table in MATRIX.items():
        assert sorted(DELEGATE_OWN[method]) == sorted(name for name in table if takes_object(name)), method


def _delegate(world):
    """Other staff of world.school, given Section D of world.child by world.dt (the real service)."""
    delegate = make_user("delegate@test.example", "Del Egate", Role.SCHOOL_STAFF, school=world.school)
    children_services.delegate(
        world.dt,
        world.school,
        to=delegate,
        children=[world.child],
        sections=["d"],
        ends_on=today() + datetime.timedelta(days=30),
    )
    return delegate


def _delegate_cells():
    for method, table in MATRIX.items():
        for name, columns in table.items():
            for column, cells in columns.items():
                expected = DELEGATE_OWN[method].get(name) if column == OWN else cells["nobody"]
                yield pytest.param(method, name, column, expected, id="-".join((method, name, column, "delegate")))


@pytest.mark.parametrize(("method", "name", "column", "expected"), list(_delegate_cells()))
def test_url_answers_the_delegate_as_the_matrix_says(method, name, column, expected, world, client):
    url = _url(name, column, world)
    sign_in(client, _delegate(world))

    _assert_answers(client, method, name, url, expected)


def _assert_answers(client, method, name, url, expected):
    response = client.get(url) if method == "GET" else client.post(url)

    location = urlsplit(response.get("Location", ""))
    if expected == SIGN_IN:
        assert (response.status_code, location.path) == (302, reverse("login"))
        if name not in ("logout", "session:timed_out"):  # signing out does not come back; every other page does
            assert parse_qs(location.query) == {"next": [url]}
    else:
        assert response.status_code == expected
        if expected == 302:
            assert location.path != reverse("login")
