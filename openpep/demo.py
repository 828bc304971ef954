"""Synthetic demonstration data: ``build_demo`` makes it, ``manage.py demo`` calls it.

Every person, school and council here is invented. Everything is written through
the real services and the PEP workflow, with the person whose job it is as the
actor, so permissions are exercised and the audit trail is the one a real year
would leave. Only dates that the data carries itself (dates of birth, care,
placements, school rolls, meetings, targets) are set in the past; the services
stamp everything else with the time the command runs.

The two councils use LA codes retired from use (909, Cumbria until 2023; 836,
Poole until 2019): a UPN must carry an LA code that ``python-stdnum`` knows, so a
made-up code such as 999 would make every demo UPN fail the model's validator,
while a retired code belongs to no council working today.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from stdnum.gb import upn as upn_checker

from openpep.attendance import demo as attendance_demo
from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.children import services as children_services
from openpep.children.models import Child, Placement
from openpep.children.queries import current_enrolments
from openpep.clock.demo import build_calendar
from openpep.cohorts import demo as cohorts_demo
from openpep.dashboards import demo as dashboards_demo
from openpep.meetings import services as meeting_services
from openpep.meetings.enums import Attendance, ChildAttending, MeetingRole, Response, VenueKind
from openpep.meetings.models import Attendee, Invitation, Meeting
from openpep.mfa.services import demo_totp
from openpep.myplan import demo as myplan_demo
from openpep.people.enums import AUTHORITY_ROLES, SCHOOL_ROLES, AccessRequestStatus, Role, SchoolPhase
from openpep.people.models import AccessRequest, LocalAuthority, Membership, School, Team, User
from openpep.people.services import add_team
from openpep.plans import services as plan_services
from openpep.plans.carry import NARRATIVE
from openpep.plans.enums import (
    HowGathered,
    Occasion,
    Phase,
    Post16Status,
    Section,
    SenNeed,
    SenStatus,
    Status,
    TargetRating,
    ViewsRecordedBy,
)
from openpep.plans.models import Arrangements, Attainment, ChildViews, Pep, SchoolSection, Target
from openpep.plans.queries import previous_pep
from openpep.plans.workflow import transition
from openpep.quality import demo as quality_demo
from openpep.voice import demo as voice_demo
from openpep.warnings import demo as warnings_demo

PASSWORD = "openpep-demo"
EMAIL_DOMAIN = "demo.openpep.test"
MARKER_EMAIL = f"vs@{EMAIL_DOMAIN}"  # present exactly when the demo has been loaded

AUTHORITIES = {
    # key: (LA code, name, Virtual School)
    "demoshire": ("909", "Demoshire County Council", "Demoshire Virtual School"),
    "northvale": ("836", "Northvale Borough Council", ""),  # owns a school, does not run OpenPEP
}

SCHOOLS = {
    # key: (URN, establishment number, name, phase, authority)
    "oakfield": ("990101", "2101", "Oakfield Primary School and Nursery", SchoolPhase.PRIMARY, "demoshire"),
    "castlebrook": ("990102", "4102", "Castlebrook Academy", SchoolPhase.SECONDARY, "demoshire"),
    "northvale": ("990301", "4003", "Northvale Park High School", SchoolPhase.SECONDARY, "northvale"),
}
# Other (invented) Demoshire primaries that issued the UPNs of today's secondary pupils.
OTHER_PRIMARIES = ["2104", "2117", "3302", "2145"]

TEAMS = {"team1": "Children in Care Team North", "team2": "Children in Care Team South"}

USERS = [
    # key (e-mail is key@demo.openpep.test), full name, job title, role, organisation
    ("vsadmin", "Catherine Doyle", "Virtual School Head", Role.VS_ADMIN, "demoshire"),
    ("vs", "Aisha Rahman", "Virtual School education adviser", Role.VS_OFFICER, "demoshire"),
    ("iro", "Martin Keane", "Independent Reviewing Officer", Role.IRO, "demoshire"),
    ("tm", "Gillian Forsyth", "Team Manager, Children in Care Team North", Role.TEAM_MANAGER, "team1"),
    ("sw", "Priya Ramsden", "Social Worker", Role.SOCIAL_WORKER, "team1"),
    ("sw2", "Tom Ashworth", "Senior Social Worker", Role.SOCIAL_WORKER, "team2"),
    ("dt", "Daniel Whitfield", "Assistant Headteacher and Designated Teacher", Role.DESIGNATED_TEACHER, "castlebrook"),
    ("senco", "Helen Okafor", "SENCO (delegated by the Designated Teacher)", Role.SCHOOL_STAFF, "castlebrook"),
    ("dt2", "Sarah Lund", "SENCO and Designated Teacher", Role.DESIGNATED_TEACHER, "oakfield"),
    ("dt3", "Marcus Bell", "Head of Year and Designated Teacher", Role.DESIGNATED_TEACHER, "northvale"),
]

# Each demo account's authenticator app (TOTP, 6 digits every 30 seconds): fixed and published in the
# README so anyone can add them to an app and sign in. Only the demo has them; everyone else sets up
# their own app, with a random key, when they first sign in.
TOTP_SECRETS = {
    "vsadmin": "MMDJXJOM62OCYN3YV5URTDSFVJSK5YDE",
    "vs": "7YO5TLV53RAHQPA3TNSTHFCIEDXO7O3P",
    "iro": "POZDVZICHX3J2DJVLJUQVZ66FGDI2S5K",
    "tm": "MCVVMQ274XVHEFETBGGSHN5GIIF5FLRK",
    "sw": "VDXCELSZIDMDO53FURFXNWQUTUTWEMDO",
    "sw2": "3GYK5JEN72GYSJ63W5T7VA6SYMA2HF26",
    "dt": "JVFT7E2EW7R74UR7ZIOYIN4ZBMIIYAFR",
    "dt2": "PFNURND6Z23N3FWTXTFOD2HEPBESTDG4",
    "dt3": "FCGBHW4CVQGZMMTIADYCQYQJ6567FZVZ",
    "senco": "C2KLWMYO2YKUBLZJYH6W5WL2VVG43T6A",
}

# The second council: its staff sign in with their council account (single sign-on), through the
# OpenID Connect provider `make run` starts beside OpenPEP (synthetic/sso_provider/demo.py, whose
# directory has the same e-mail addresses; the passwords are the provider's, in the README). They have
# no OpenPEP password and no authenticator app. Its LA code is another retired one (837, Bournemouth
# until 2019), for the same reason as the others' (see above).
SSO_COUNCIL = ("837", "Northmere City Council", "Northmere Virtual School")
SSO_DOMAIN = "northmere.example"
SSO_SCHOOL = ("990401", "2201", "Northmere Meadows Primary School", SchoolPhase.PRIMARY)
SSO_TEAM = "Northmere Children in Care Team"
SSO_USERS = [
    # key (e-mail is key@northmere.example), full name, job title, role
    ("head", "Joanna Pryce", "Virtual School Head", Role.VS_ADMIN),
    ("officer", "Samuel Okoro", "Virtual School education adviser", Role.VS_OFFICER),
    ("social.worker", "Niamh Gallagher", "Social Worker", Role.SOCIAL_WORKER),
    # Has left the council, which disabled his account there; his OpenPEP account is still active.
    ("leaver", "Derek Holm", "Social Worker", Role.SOCIAL_WORKER),
]
# Northmere's children: first, last, sex, national curriculum year, days in care, carer.
SSO_KIDS = [
    ("Rowan", "Ellery", "1", 3, 20, "Mr and Mrs Castellano"),
    ("Jasmine", "Tully", "2", 5, 45, "Ms Imogen Varley"),
]

# Where a child's plan has got to. Each stage includes the ones before it.
NONE = "none"  # new into care: the initial PEP is due but not started
DRAFT = "draft"  # started by the social worker, nothing else yet
VIEWS = "views"  # the child's views recorded
PREDRAFTED = "predrafted"  # the school has pre-drafted Section D before the meeting
STAGES = [NONE, DRAFT, VIEWS, PREDRAFTED, Status.SCHOOL_RETURNED, Status.SUBMITTED, Status.SIGNED_OFF]
RETURNS = {Status.RETURNED_TO_SCHOOL, Status.RETURNED_TO_SW}  # submitted, then sent back
MOVED = "moved"  # the child who changed school (see _moved_child)
SCHOOL_RETURNED, SUBMITTED, SIGNED_OFF = Status.SCHOOL_RETURNED, Status.SUBMITTED, Status.SIGNED_OFF
RETURNED_TO_SCHOOL, RETURNED_TO_SW = Status.RETURNED_TO_SCHOOL, Status.RETURNED_TO_SW


class Kid(NamedTuple):
    first: str
    last: str
    sex: str  # SSDA903: 1 male, 2 female, 9 other
    year: int  # national curriculum year today: -1 nursery, 0 Reception, 12-13 post-16
    school: str | None
    sw: str
    legal: str  # SSDA903 LS
    place: str  # SSDA903 PLACE
    carer: str
    days_in_care: int
    stage: str
    history: int = 0  # earlier signed-off PEPs
    iro: bool = False
    sen: str = "N"  # census SEN provision, with the primary need: "K:SEMH"


KIDS = [
    Kid("Poppy", "Sutcliffe", "2", -1, "oakfield", "sw", "C2", "U4", "Mr and Mrs Adeyemi", 120, VIEWS),
    Kid("Theo", "Kowalski", "1", -2, None, "sw", "E1", "A5", "Mr and Mrs Lindqvist", 400, DRAFT),
    Kid("Ava", "Brennan", "2", 0, "oakfield", "sw", "L2", "U6", "Mrs Denise Farrow", 4, NONE),
    Kid("Hannah", "Price", "2", 4, "oakfield", "sw2", "V2", "U3", "Mrs Carol Price (grandmother)", 3, NONE, iro=True),
    Kid("Leo", "Garside", "1", 1, "oakfield", "sw", "C1", "U6", "Mr Gareth Lowe", 9, DRAFT),
    Kid("Isla", "Thornton", "2", 2, "oakfield", "sw", "E1", "A6", "Ms Rachel Dunmore", 300, VIEWS, 1),
    Kid(
        "Mason",
        "Clegg",
        "1",
        3,
        "oakfield",
        "sw",
        "C2",
        "U4",
        "Mr and Mrs Whittaker",
        500,
        PREDRAFTED,
        2,
        iro=True,
        sen="K:SLCN",
    ),
    Kid(
        "Ruby",
        "Akhtar",
        "2",
        4,
        "oakfield",
        "sw",
        "C2",
        "U1",
        "Mr and Mrs Akhtar (aunt and uncle)",
        420,
        SCHOOL_RETURNED,
        1,
    ),
    Kid(
        "Kai",
        "Robson",
        "1",
        5,
        "oakfield",
        "sw",
        "C2",
        "U4",
        "Ms Janet Ormerod",
        800,
        SUBMITTED,
        2,
        iro=True,
        sen="K:SEMH",
    ),
    Kid("Alfie", "Dunn", "1", 5, "oakfield", "sw", "C2", "U6", "Mr and Mrs Calder", 250, RETURNED_TO_SCHOOL, 1),
    Kid("Maya", "Osei", "2", 6, "oakfield", "sw", "C2", "U4", "Mrs Bernadette Quinn", 700, SIGNED_OFF, 2, iro=True),
    Kid(
        "Noah",
        "Pickering",
        "1",
        6,
        "oakfield",
        "sw",
        "C2",
        "U6",
        "Mr and Mrs Fenwick",
        350,
        RETURNED_TO_SW,
        1,
        sen="E:ASD",
    ),
    Kid("Lily", "Carr", "2", 3, "oakfield", "sw", "C1", "U6", "Mrs Yvonne Blake", 90, SIGNED_OFF),
    Kid("Oscar", "Wainwright", "1", 2, "oakfield", "sw2", "V2", "U6", "Mr and Mrs Haigh", 150, SIGNED_OFF),
    Kid(
        "Ethan", "Marsden", "1", 6, "oakfield", "sw2", "C2", "U4", "Ms Fiona Greaves", 300, PREDRAFTED, 1, sen="K:SPLD"
    ),
    Kid("Grace", "Holloway", "2", 7, "castlebrook", "sw", "C1", "U6", "Mr and Mrs Jessop", 12, DRAFT),
    Kid(
        "Tyler",
        "Brooks",
        "1",
        8,
        "castlebrook",
        "sw",
        "C2",
        "K2",
        "Larchwood House (children's home)",
        600,
        VIEWS,
        2,
        iro=True,
        sen="K:SEMH",
    ),
    Kid("Jayden", "Moss", "1", 9, "northvale", "sw", "C2", "U4", "Ms Lorraine Pike", 520, MOVED, iro=True),
    Kid("Amelia", "Novak", "2", 9, "castlebrook", "sw", "C2", "U4", "Mr and Mrs Thorpe", 450, SCHOOL_RETURNED, 1),
    Kid(
        "Ellie", "Fairbairn", "2", 10, "castlebrook", "sw", "C2", "U4", "Mrs Maureen Sykes", 900, SUBMITTED, 2, iro=True
    ),
    Kid(
        "Callum",
        "Reid",
        "1",
        10,
        "castlebrook",
        "sw",
        "C2",
        "K2",
        "Fernbank (children's home)",
        380,
        RETURNED_TO_SCHOOL,
        1,
        sen="K:SEMH",
    ),
    Kid("Zara", "Iqbal", "2", 11, "castlebrook", "sw", "C2", "U4", "Mr and Mrs Mahmood", 1400, SIGNED_OFF, 2, iro=True),
    Kid(
        "Reece",
        "Hartley",
        "1",
        11,
        "castlebrook",
        "sw",
        "V2",
        "U6",
        "Mr Colin Firth-Walker",
        280,
        PREDRAFTED,
        1,
        sen="K:SEMH",
    ),
    Kid("Sophie", "Lambert", "2", 8, "castlebrook", "sw", "C2", "U4", "Mrs Elaine Dobson", 330, RETURNED_TO_SW, 1),
    Kid("Harvey", "Nolan", "1", 7, "castlebrook", "sw2", "C1", "U6", "Mr and Mrs Brierley", 60, SIGNED_OFF),
    Kid(
        "Freya",
        "Doherty",
        "2",
        9,
        "castlebrook",
        "sw2",
        "C2",
        "U1",
        "Mrs Siobhan Doherty (aunt)",
        500,
        SUBMITTED,
        1,
        iro=True,
    ),
    Kid("Kayden", "Fraser", "1", 10, "northvale", "sw", "C2", "U4", "Mr and Mrs Royle", 700, SUBMITTED, 1, iro=True),
    Kid("Chloe", "Whitaker", "2", 8, "northvale", "sw", "C2", "P1", "Ms Kerry Whitaker (mother)", 400, SIGNED_OFF, 1),
    Kid("Bethany", "Shaw", "2", 12, "castlebrook", "sw", "C2", "U4", "Mr and Mrs Ingham", 1800, SIGNED_OFF, 1),
    Kid("Alex", "Mercer", "9", 13, None, "sw", "C2", "H5", "Brookside supported lodgings", 1200, VIEWS),
    Kid("Kieran", "Pollard", "1", 12, None, "sw", "V2", "H5", "Ridgeway House (supported accommodation)", 45, DRAFT),
]

# Children who moved placement: (first placement type, first carer, days since the move).
PLACEMENT_MOVES = {
    "Kai": ("U6", "Mr and Mrs Pearson", 400),
    "Tyler": ("U6", "Ms Angela Rowe", 250),
    "Jayden": ("U6", "Mr and Mrs Hadley", 30),
}
# The route by which a child's latest signed-off PEP got there, when it was sent back first.
RETURNED_BEFORE_SIGN_OFF = {"Kai": Status.RETURNED_TO_SCHOOL, "Zara": Status.RETURNED_TO_SW}
NOT_FULL_TIME = {"Reece"}
# At the college or out of education: no school on the roll, so the social worker records the views.
COLLEGE = {"Alex": "Level 3 Extended Diploma in Creative Media at Demoshire College"}


# ---------------------------------------------------------------------------------------------------------
# What people said and wrote, by phase band: "early", "primary", "secondary", "post16".

CHILD_VIEWS = {
    "early": [
        dict(
            going_well="{name} chose the smiley face for the sand tray, the bikes and story time. Points to "
            "the photo of the key person and says ‘my friend’.",
            hard="Chose the sad face for ‘saying bye-bye’ in the morning and for loud music at group time.",
            helps_me="A cuddle with the key person when arriving; the comfort blanket in the book corner.",
            aspirations="‘Big school’ – {name} is excited about wearing a uniform like the older children.",
            who_at_meeting="Carer and key person (views shared through them).",
            how_gathered=HowGathered.SYMBOLS,
            gathered_note="Gathered by the key person over a week of play, using a smiley-face board and photos.",
        ),
        dict(
            going_well="{name} loves the garden and the water tray, and shows carers paintings at home time.",
            hard="New adults. {name} hides behind the carer when someone unfamiliar comes in.",
            helps_me="The same routine every day, and a warning before things change.",
            aspirations="Too young to say; the carer says {name} lights up around animals.",
            who_at_meeting="Carer.",
            how_gathered=HowGathered.ADULT,
            gathered_note="Recorded by the social worker from a home visit and the carer's observations.",
        ),
    ],
    "primary": [
        dict(
            going_well="I like playtime and football with my friends. I got a star of the week for my writing.",
            hard="Spellings are hard. I get cross when it is noisy in the hall at dinner time.",
            helps_me="When Miss sits next to me and shows me one step at a time. Reading at bedtime with my carer.",
            aspirations="I want to be a vet because I like animals, especially dogs.",
            who_at_meeting="My carer and my teacher. Not lots of people.",
            how_gathered=HowGathered.OWN_WORDS,
            gathered_note="Talked with the Designated Teacher in the library; {name} wrote some answers.",
        ),
        dict(
            going_well="Maths is my favourite. I like being the register monitor.",
            hard="When people say things about my family. Writing long stories makes my hand hurt.",
            helps_me="My worry monster – I post my worries in it. Having a job to do at lunchtime.",
            aspirations="A footballer or a police officer.",
            who_at_meeting="My carer, my teacher and my social worker.",
            how_gathered=HowGathered.SYMBOLS,
            gathered_note="Used a ‘three houses’ drawing (worries, good things, dreams) with the learning mentor.",
        ),
        dict(
            going_well="I have a best friend now. I can swim 25 metres.",
            hard="Times tables. Getting up in the morning.",
            helps_me="Breakfast club, because I see my friends before school starts.",
            aspirations="I want to make videos and be a YouTuber, or a teacher.",
            who_at_meeting="My carer. I want to come for the first bit.",
            how_gathered=HowGathered.OWN_WORDS,
            gathered_note="",
        ),
    ],
    "secondary": [
        dict(
            going_well="PE and art. I've got a good group of mates and I like my form tutor.",
            hard="Maths – I missed loads in Year 7 and now I can't catch up. Some teachers shout.",
            helps_me="Knowing who to go to when I'm stressed. Sitting near the front. Being told about "
            "changes before they happen.",
            aspirations="I want to be a mechanic or join the army.",
            who_at_meeting="My carer and my head of year. I'll come for the end bit, not the whole thing.",
            how_gathered=HowGathered.OWN_WORDS,
            gathered_note="Filled in the pupil voice sheet with the Designated Teacher in a free period.",
        ),
        dict(
            going_well="English – my teacher said my poem was one of the best. Drama club on Thursdays.",
            hard="Friendship fall-outs online. Homework piles up and I don't know where to start.",
            helps_me="A homework planner, and my carer checking it with me on Sunday night.",
            aspirations="Do A levels and go to university to study psychology.",
            who_at_meeting="My carer, my social worker and my head of year.",
            how_gathered=HowGathered.OWN_WORDS,
            gathered_note="",
        ),
        dict(
            going_well="I'm getting on better with people at home. I've stopped getting detentions.",
            hard="Getting to school on time. I don't sleep well.",
            helps_me="The mentor sessions on Monday. Being allowed my time-out pass.",
            aspirations="Something with computers, maybe game design.",
            who_at_meeting="Just my carer and the teacher I trust.",
            how_gathered=HowGathered.OWN_WORDS,
            gathered_note="{name} preferred to talk while walking round the field with the mentor.",
        ),
    ],
    "post16": [
        dict(
            going_well="I like my course and the tutors treat you like an adult. I've got a part-time job at "
            "the weekend.",
            hard="Money. Managing travel and food on my own budget.",
            helps_me="My personal adviser texting to remind me about appointments.",
            aspirations="University, or a higher apprenticeship if I can get one.",
            who_at_meeting="My PA, my social worker and my tutor.",
            how_gathered=HowGathered.OWN_WORDS,
            gathered_note="Recorded by the social worker at a visit; {name} checked and agreed the wording.",
        ),
    ],
}

TARGETS = {
    # (area, outcome, how success is measured, actions, who, PP+ cost)
    "early": [
        (
            "communication",
            "I will use two words together to ask for what I want, like ‘more juice’.",
            "The key person sees this at least five times a week, recorded in the learning journal.",
            "Key person uses daily language activities at snack time; carer repeats them at home; speech and "
            "language therapy referral made.",
            "Key person, carer, social worker",
            None,
        ),
        (
            "social_emotional",
            "I will settle with my key person when my carer says goodbye.",
            "Settles within five minutes on four mornings out of five, on the nursery's daily sheet.",
            "Same key person greets every morning; a goodbye routine agreed with the carer; photo book of "
            "home kept in the tray.",
            "Key person and carer",
            None,
        ),
        (
            "physical",
            "I will use a spoon and fork by myself at lunchtime.",
            "Feeds self with a spoon and fork at four lunches out of five for two weeks running.",
            "Practise at every meal at home and nursery; chunky-handled cutlery provided.",
            "Carer and key person",
            None,
        ),
        (
            "communication",
            "I will join in with songs and rhymes at group time.",
            "Joins in with actions or words at group time on three days a week, observed by the key person.",
            "Small group of four for rhyme time; the same three rhymes sung at home.",
            "Key person and carer",
            None,
        ),
    ],
    "primary": [
        (
            "reading",
            "I will read for 20 minutes every evening with my carer and talk about the story.",
            "Reading record signed at least five nights a week; moves up two book bands by the review.",
            "Daily one-to-one reading with a teaching assistant, 10 minutes at 9:00; two banded books sent home "
            "each week.",
            "Class teacher, teaching assistant, carer",
            "240.00",
        ),
        (
            "maths",
            "I will know my 3, 4 and 8 times tables off by heart.",
            "Scores 20 out of 25 or more on the weekly times-table check for four weeks in a row.",
            "Small-group maths intervention three times a week for 20 minutes; times-table app at home for 10 "
            "minutes, four evenings a week.",
            "Teaching assistant and carer",
            "180.00",
        ),
        (
            "writing",
            "I will write three sentences on my own using capital letters and full stops.",
            "Three independent pieces each half term meet this, checked by the class teacher in the writing book.",
            "Sentence-building group twice a week; word mat and sentence starters on the desk.",
            "Class teacher",
            None,
        ),
        (
            "social_emotional",
            "I will tell an adult when I feel worried instead of keeping it inside.",
            "Uses the worry box or the feelings check-in at least three times a week; lunchtime incidents fall "
            "from six last half term to two or fewer.",
            "Weekly 30-minute ELSA session for six weeks; morning check-in with the learning mentor; the carer "
            "uses the same feelings chart at home.",
            "ELSA, learning mentor, carer",
            "600.00",
        ),
        (
            "communication",
            "I will take turns to talk and listen in a small group.",
            "Meets four of the five targets on the speech and language target sheet at the therapist's review.",
            "Language group three times a week for ten weeks, run by a trained teaching assistant.",
            "SENCO and teaching assistant",
            "300.00",
        ),
        (
            "attendance",
            "I will be in school on time every day.",
            "Attendance of 96% or more and no more than two late marks this term (last term 91.2% and 9 lates).",
            "Breakfast club place funded; the carer and school agree a morning routine and a text if late.",
            "Carer, Designated Teacher, social worker",
            "180.00",
        ),
        (
            "physical",
            "I will go to the after-school football club every week.",
            "Attends at least 10 of the 12 sessions, from the club register.",
            "Club place and kit paid for; carer collects at 4:30 on Wednesdays.",
            "Carer and PE lead",
            "90.00",
        ),
        (
            "behaviour",
            "I will stay in class for the whole lesson and use my time-out card if I need a break.",
            "Leaves class without permission no more than once a week (now five times a week), from the "
            "behaviour log checked every fortnight.",
            "Time-out card and a calm corner agreed with all staff; learning mentor check-in after lunch.",
            "Class teacher and learning mentor",
            None,
        ),
        (
            "reading",
            "I will know all my Phase 5 phonics sounds.",
            "Phonics assessment: 40 or more of the 45 graphemes correct (now 28).",
            "Phonics catch-up four mornings a week for 15 minutes; flashcards practised at home.",
            "Teaching assistant and carer",
            "150.00",
        ),
    ],
    "secondary": [
        (
            "maths",
            "I will get a grade 5 in my maths mock exam.",
            "Mock grade 5 or above (working at grade 4 now); maths homework completed every week.",
            "Twelve one-to-one maths tutoring sessions after school on Tuesdays, funded by PP+; the carer "
            "checks homework on Sunday evening.",
            "Maths teacher, tutor, carer",
            "540.00",
        ),
        (
            "writing",
            "I will finish one practice essay a fortnight in English and use the feedback to improve it.",
            "Six essays handed in this term; marking shows at least one grade of improvement from the "
            "first to the last.",
            "Essay-planning frame; feedback conversation with the English teacher every fortnight.",
            "English teacher",
            None,
        ),
        (
            "attendance",
            "I will get to school every day and be in my form room by 8:40.",
            "Attendance of 95% or more this term (last term 86.4%) and no more than three late marks.",
            "Bus pass renewed; the attendance officer texts the carer on any absence by 9:30; a weekly check-in "
            "with the form tutor.",
            "Carer, form tutor, attendance officer",
            "120.00",
        ),
        (
            "social_emotional",
            "I will go to my weekly sessions with the school counsellor and tell someone when I'm struggling.",
            "Attends eight of ten sessions; self-rated wellbeing (1 to 10) rises from 4 to 6 or more.",
            "Ten counselling sessions funded by PP+; a named adult to go to at break times.",
            "Designated Teacher and school counsellor",
            "650.00",
        ),
        (
            "adulthood",
            "I will go to a careers meeting and visit two colleges before I choose my next steps.",
            "Careers interview done; two college open evenings attended; an application in by 31 January.",
            "Designated Teacher books the careers adviser; the carer takes {name} to the open evenings; the "
            "Virtual School's post-16 adviser joins the next PEP.",
            "Designated Teacher, carer, Virtual School",
            None,
        ),
        (
            "behaviour",
            "I will use my time-out pass instead of walking out of lessons.",
            "Removals from lessons fall from seven last half term to two or fewer; no suspensions this term.",
            "Morning mentor check-in; time-out pass agreed with all teachers; a restorative conversation after "
            "any incident.",
            "Head of year and mentor",
            None,
        ),
        (
            "other_subject",
            "I will catch up on the science topics I missed when I moved placement.",
            "All four missed topic tests completed with 60% or more.",
            "Science catch-up sessions on Thursday lunchtimes; revision guide bought with PP+.",
            "Science teacher",
            "35.00",
        ),
        (
            "reading",
            "I will read a book I choose for 20 minutes every evening and talk about it with my carer.",
            "Reading age rises from 9 years 6 months to at least 10 years 6 months at the summer test; reading "
            "log kept five nights a week.",
            "Online reading programme licence; library session with the librarian each fortnight to choose books.",
            "English teacher, librarian, carer",
            "200.00",
        ),
        (
            "adulthood",
            "I will complete my Bronze Duke of Edinburgh Award.",
            "Volunteering and skill sections signed off by June; expedition completed.",
            "Award fee and expedition kit paid; the carer supports the weekly volunteering at the food bank.",
            "DofE leader and carer",
            "60.00",
        ),
    ],
    "post16": [
        (
            "adulthood",
            "I will hand in every assignment by its deadline.",
            "All assignments on time on the tracker (two of six were late last term).",
            "Weekly study period with the tutor to plan the week; a wall planner at home.",
            "Tutor and carer",
            None,
        ),
        (
            "adulthood",
            "I will write my personal statement and send my applications by 1 December.",
            "Statement drafted by November half term; applications sent before the deadline.",
            "Two sessions with the careers adviser; the Virtual School's post-16 adviser reads the draft.",
            "Careers adviser, Virtual School",
            None,
        ),
        (
            "adulthood",
            "I will keep a weekly budget for my food and travel.",
            "Budget sheet kept for eight weeks with the personal adviser; no emergency payments needed.",
            "Personal adviser meets fortnightly; bursary paid into a separate account.",
            "Personal adviser",
            None,
        ),
        (
            "attendance",
            "I will get to every lesson on time by setting two alarms and catching the 7:45 bus.",
            "Attendance of 90% or more on the register, checked monthly by the tutor.",
            "Bus pass from the bursary; the tutor rings if {name} has not arrived by 9:15.",
            "Tutor",
            None,
        ),
    ],
}

SCHOOL_VIEWS = {
    # what the Designated Teacher writes in Section D
    "early": dict(
        going_well="{name} has formed a strong bond with the key person and now plays alongside other "
        "children at the water tray and in the home corner.",
        challenges="Separation in the morning is still hard. Speech is behind age-related expectations.",
        support_offered="Same key person every session; small-group language activities daily.",
        support_needed="Speech and language therapy assessment (referral made).",
        education_story="{name} started in the nursery class in September and attends full time.",
        pupil_premium_use="Early Years Pupil Premium is used for the language group resources.",
        early_years_setting="Oakfield Primary School nursery class",
        areas_of_development="Communication and language; personal, social and emotional development.",
    ),
    "primary": dict(
        going_well="{name} has a settled friendship group and is proud of the reading certificates earned "
        "this term. Phonics has come on well.",
        challenges="Changes of routine (supply teachers, wet play) are still hard: two incidents of leaving "
        "the classroom this half term.",
        support_offered="Daily check-in with the learning mentor; small-group phonics four times a week; "
        "ELSA sessions on Thursdays.",
        support_needed="An educational psychologist's view of {name}'s working memory.",
        education_story="{name} joined {school} in Reception. Attendance dipped when {name} came into care; "
        "since the placement settled it has been above 95%.",
        pupil_premium_use="PP+ this term funds the ELSA sessions and the maths intervention (targets 1 to "
        "3); £60 towards the residential trip.",
    ),
    "secondary": dict(
        going_well="{name} is well liked by staff, works hard in practical subjects and has had no "
        "detentions since October.",
        challenges="Gaps in maths from missed schooling; homework completion is inconsistent; some conflict "
        "on social media with peers.",
        support_offered="Weekly mentor session; homework club Monday and Wednesday; a time-out pass.",
        support_needed="One-to-one maths tuition; careers guidance before options.",
        education_story="{name} joined {school} in Year 7 from a local primary. There were three school "
        "moves in primary, which left gaps in maths. Progress since Year 8 has been steady.",
        pupil_premium_use="PP+ funds the maths tutoring (£540) and counselling (£650), both linked to targets.",
    ),
    "post16": dict(
        going_well="{name} settled quickly into the sixth form and is on track in all three subjects.",
        challenges="Managing independent study time; a part-time job on two evenings.",
        support_offered="Weekly tutor meeting; study skills sessions; priority access to careers guidance.",
        support_needed="Help with university applications and student finance as a care leaver.",
        education_story="{name} has been at {school} since Year 7 and achieved seven GCSEs at grades 9 to 4, "
        "including English and maths.",
        pupil_premium_use="Not eligible for PP+ after Year 11; the 16 to 19 bursary covers travel and books.",
        course="A levels: biology, psychology, English literature",
        provider="Castlebrook Academy sixth form",
        post16_status=Post16Status.EDUCATION,
    ),
}

#: What each term adds to the school's narrative answers, so a review does not repeat the last PEP's word
#: for word (the ``copied`` check would find every one): the first PEP's stand as written.
TERM_NOTES = (
    "",
    "Reviewed at this term's meeting: still the picture, with the carer agreeing.",
    "Looked at again this term after the review of last term's targets.",
)

CHANGE_OF_SCHOOL_STORY = (
    "{name} joined {school} in {year} this term, after a move of placement back to Demoshire. Before that "
    "{name} attended Northvale Park High School from Year 7; its signed-off PEP and targets are reviewed in "
    "this plan. {name} has started well and has a buddy in every lesson."
)

ATTAINMENT = {
    "early": [
        ("Communication and language", "emerging", "expected"),
        ("Personal, social and emotional development", "expected", "expected"),
        ("Physical development", "expected", "expected"),
    ],
    "primary": [("Reading", "WTS", "EXS"), ("Writing", "WTS", "WTS"), ("Maths", "EXS", "EXS")],
    "secondary": [("English", "4", "5"), ("Maths", "3", "4"), ("Science", "4", "5")],
    "post16": [
        ("A level biology", "C", "B"),
        ("A level psychology", "B", "B"),
        ("A level English literature", "C", "B"),
    ],
}

ATTENDANCE = ["97.8", "94.2", "99.1", "88.5", "96.0", "92.7", "100.0", "85.4", "95.5"]

REVIEW_EVIDENCE = {
    TargetRating.ACHIEVED: "Met in full before the review: the records the target named show it, and {name} "
    "is proud of it.",
    TargetRating.PARTLY: "Good progress but not yet secure: the measure was met in about half of the weeks. "
    "Carried forward with the same support.",
    TargetRating.NOT_ACHIEVED: "Not met: the intervention did not run for four weeks while the teaching "
    "assistant was off sick. Support now restarted.",
    TargetRating.NO_LONGER_RELEVANT: "No longer relevant after the change of school: the new school has set "
    "its own target for this.",
}
RATINGS = [TargetRating.ACHIEVED, TargetRating.PARTLY, TargetRating.ACHIEVED, TargetRating.NOT_ACHIEVED]

RETURN_REASONS = {
    Status.RETURNED_TO_SCHOOL: "Section D: the success measure of target 2 does not say how often progress "
    "will be checked or by whom, and the PP+ summary does not link each cost to a target. Please add both.",
    Status.RETURNED_TO_SW: "Section C: the carer's views are only one line, and there is no action for the "
    "social worker about the outstanding EHC needs assessment. Please add both and resubmit.",
}


# ---------------------------------------------------------------------------------------------------------


@dataclass
class Demo:
    today: datetime.date
    authorities: dict = field(default_factory=dict)
    schools: dict = field(default_factory=dict)
    teams: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)
    peps: dict = field(default_factory=dict)  # first name -> [PEPs, oldest first]
    designated_teachers: dict = field(default_factory=dict)  # school pk -> User
    decisions: int = 0
    vs_answered: int = 0  # upcoming meetings of initial PEPs the Virtual School has answered

    def dt_for(self, school: School) -> User:
        return self.designated_teachers[school.pk]

    def vs_for_decision(self) -> User:
        """The adviser makes most decisions, the Head every fourth."""
        self.decisions += 1
        return self.users["vsadmin" if self.decisions % 4 == 0 else "vs"]


def demo_exists() -> bool:
    return User.objects.filter(email=MARKER_EMAIL).exists()


@transaction.atomic
def build_demo(today: datetime.date | None = None) -> dict:
    """Make the demo data; refuse when it is there already. Returns what it made, by key."""
    if demo_exists():
        raise RuntimeError(f"The demo data is already loaded ({MARKER_EMAIL} exists)")
    demo = Demo(today=today or timezone.localdate())
    _organisations(demo)
    _staff(demo)
    _pep_type_wording(demo)
    # The history goes back about three years; due dates need those years' terms.
    build_calendar(demo.authorities["demoshire"], demo.today, earlier_years=3)
    for index, kid in enumerate(KIDS):
        child = _add_child(demo, index, kid)
        if kid.stage == MOVED:
            _moved_child(demo, index, kid, child)
        else:
            _plans(demo, index, kid, child)
    _date_the_history()
    quality_demo.date_rounds()
    _attendance(demo)
    dashboards_demo.build_funding_and_dashboards(demo)
    cohorts_demo.build(demo)
    sso = build_sso_council(demo.today)  # before the warnings: the worker's first run finds none new
    warnings_demo.build(demo)
    voice_demo.build(demo)
    myplan_demo.build(demo)
    _schools_portal(demo)
    return {
        "today": demo.today,
        "authority": demo.authorities["demoshire"],
        "authorities": demo.authorities,
        "schools": demo.schools,
        "teams": demo.teams,
        "users": demo.users,
        "children": demo.children,
        "peps": demo.peps,
        "counts": counts(),
        "sso": sso,
    }


def sso_council_exists() -> bool:
    return LocalAuthority.objects.filter(code=SSO_COUNCIL[0]).exists()


@transaction.atomic
def build_sso_council(today: datetime.date | None = None) -> dict:
    """The second council, whose staff sign in with their council account: its Virtual School head
    (who adds the others and the team, as the audit trail says), an officer, a social worker with two
    children new into care at the council's own school, and a social worker who has left the council
    (the council's sign-in refuses him). Apart from the first council's data, and added on its own to
    a demo loaded before it existed (``manage.py demo``). Returns what it made, by key."""
    if sso_council_exists():
        raise RuntimeError(f"The demo's second council is already loaded (LA code {SSO_COUNCIL[0]})")
    today = today or timezone.localdate()
    code, name, virtual_school = SSO_COUNCIL
    authority = LocalAuthority.objects.create(code=code, name=name, virtual_school_name=virtual_school)
    urn, establishment, school_name, phase = SSO_SCHOOL
    school = School.objects.create(
        urn=urn, laestab=code + establishment, name=school_name, phase=phase, local_authority=authority
    )
    since = min(today, timezone.localdate()) - datetime.timedelta(days=365)
    users, team = {}, None
    for key, full_name, job_title, role in SSO_USERS:
        head = users.get("head")
        if role == Role.SOCIAL_WORKER and team is None:
            team = add_team(head, Team(local_authority=authority, name=SSO_TEAM))
        user = User.objects.create_user(email=f"{key}@{SSO_DOMAIN}", full_name=full_name, job_title=job_title)
        membership = Membership.objects.create(
            user=user,
            role=role,
            starts_on=since,
            team=team if role == Role.SOCIAL_WORKER else None,
            local_authority=authority if role in AUTHORITY_ROLES else None,
        )
        record(head, Verb.CREATED, user, summary=f"Added {full_name} ({user.email})", after={"email": user.email})
        record(
            head,
            Verb.CREATED,
            membership,
            summary=f"Gave {full_name} the role {membership.get_role_display()} at {membership.organisation}",
            after={"role": role},
        )
        users[key] = user
    build_calendar(authority, today)
    children = {}
    for index, (first, last, sex, year, days_in_care, carer) in enumerate(SSO_KIDS):
        cohort = _academic_year(today) - 5 - year
        child = Child(
            local_authority=authority,
            first_name=first,
            last_name=last,
            date_of_birth=datetime.date(cohort, 10, 1) + datetime.timedelta(days=index * 61),
            gender=sex,
            upn=_upn(code, establishment, cohort + 5, 200 + index),
            local_id=str(610023 + index * 17),
            care_start_date=today - datetime.timedelta(days=days_in_care),
            social_worker=users["social.worker"],
        )
        children_services.add_child(
            users["social.worker"],
            child,
            school=school,
            school_start=_weekday(datetime.date(cohort + 5, 9, 4)),
            legal_status="C2",
            placement_type="U4",
            carer_name=carer,
        )
        children[first.lower()] = child
    return {"authority": authority, "school": school, "team": team, "users": users, "children": children}


def _date_the_history() -> None:
    """The services stamp PEPs and decisions with the moment they run; a demo
    whose earlier PEPs were all started today would mislead. Date each PEP a
    fortnight before its meeting and each decision ten days after, never in the
    future. (Audit entries keep their real times: the trail cannot be changed.)"""
    now = timezone.now()
    for pep in Pep.objects.select_related("meeting"):
        meeting = getattr(pep, "meeting", None)
        if meeting is None:
            continue
        started = min(_aware(meeting.held_on - datetime.timedelta(days=14), 10, 0), now)
        Pep.objects.filter(pk=pep.pk).update(created_at=started)
        decided = min(_aware(meeting.held_on + datetime.timedelta(days=10), 11, 0), now)
        pep.decisions.filter(decided_at__gt=decided).update(decided_at=decided)


def _attendance(demo: Demo) -> None:
    """This year's register for every child on a school roll with a UPN (the schools' feed)."""
    on_roll = current_enrolments(demo.today).filter(child__upn__gt="").select_related("child", "school")
    on_roll = on_roll.order_by("child_id")
    for authority in demo.authorities.values():
        here = [(e.child, e.school) for e in on_roll if e.child.local_authority_id == authority.pk]
        attendance_demo.build(authority, here, demo.today)


def counts() -> dict:
    by_status = dict(Pep.objects.values_list("status").annotate(n=Count("id")).order_by("status"))
    return {
        "children": Child.objects.count(),
        "users": User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count(),
        "schools": School.objects.count(),
        "peps": {status.label: by_status.get(status.value, 0) for status in Status},
        "children_without_pep": Child.objects.filter(peps__isnull=True).count(),
    }


def summary(result: dict) -> list[str]:
    c = result["counts"]
    lines = [
        f"Demo data for {result['authority'].virtual_school_name}, as of {result['today']:%-d %B %Y}:",
        f"  {c['children']} children ({c['children_without_pep']} new into care with no PEP yet), "
        f"{c['schools']} schools, {c['users']} users",
        "  PEPs: " + ", ".join(f"{label} {n}" for label, n in c["peps"].items()),
        f"Sign in with any of these, password ‘{PASSWORD}’:",
    ]
    for user in result["users"].values():
        lines.append(f"  {user.email:<28} {user.full_name} – {user.job_title}")
    return lines + sso_summary(result["sso"])


def sso_summary(sso: dict) -> list[str]:
    lines = [
        f"{sso['authority'].virtual_school_name}'s staff sign in with their council account, on the council's own "
        "sign-in page that make run starts beside OpenPEP (their passwords there are in README.md):"
    ]
    for user in sso["users"].values():
        lines.append(f"  {user.email:<32} {user.full_name} – {user.job_title}")
    return lines


# --- organisations and people ----------------------------------------------------------------------------


def _organisations(demo: Demo) -> None:
    for key, (code, name, virtual_school) in AUTHORITIES.items():
        demo.authorities[key] = LocalAuthority.objects.create(code=code, name=name, virtual_school_name=virtual_school)
    for key, (urn, establishment, name, phase, authority) in SCHOOLS.items():
        la = demo.authorities[authority]
        demo.schools[key] = School.objects.create(
            urn=urn, laestab=la.code + establishment, name=name, phase=phase, local_authority=la
        )


def _pep_type_wording(demo: Demo) -> None:
    """Demoshire words two PEP types its own way (the rest stay national), as councils do."""
    plan_services.save_pep_type_wording(
        demo.users["vsadmin"],
        demo.authorities["demoshire"],
        {
            ("occasion", Occasion.REVIEW): ("Review PEP (termly)", "At the start of each school term"),
            ("phase", Phase.POST_16): ("Post-16 (Year 12 and above)", ""),
        },
    )


def _staff(demo: Demo) -> None:
    """Everyone signs in with the demo password. The Virtual School Head is added
    first and adds the teams, so the audit trail says who did."""
    since = min(demo.today, timezone.localdate()) - datetime.timedelta(days=2 * 365)
    for key, full_name, job_title, role, organisation in USERS:
        if organisation in TEAMS and organisation not in demo.teams:
            team = Team(local_authority=demo.authorities["demoshire"], name=TEAMS[organisation])
            demo.teams[organisation] = add_team(demo.users["vsadmin"], team)
        user = User.objects.create_user(
            email=f"{key}@{EMAIL_DOMAIN}", password=PASSWORD, full_name=full_name, job_title=job_title
        )
        demo_totp(user, TOTP_SECRETS[key])
        membership = Membership.objects.create(
            user=user,
            role=role,
            starts_on=since,
            team=demo.teams.get(organisation),
            school=demo.schools[organisation] if role in SCHOOL_ROLES else None,
            local_authority=demo.authorities[organisation] if role in AUTHORITY_ROLES else None,
        )
        if role == Role.DESIGNATED_TEACHER:
            demo.designated_teachers[membership.school_id] = user
        actor = demo.users.get("vsadmin")  # None for the Head herself: added when OpenPEP was set up
        record(actor, Verb.CREATED, user, summary=f"Added {full_name} ({user.email})", after={"email": user.email})
        record(
            actor,
            Verb.CREATED,
            membership,
            summary=f"Gave {full_name} the role {membership.get_role_display()} at {membership.organisation}",
            after={"role": role},
        )
        demo.users[key] = user


def _schools_portal(demo: Demo) -> None:
    """Castlebrook's Designated Teacher shares one child's Section D with the school's SENCO, and a
    teacher of Oakfield has asked for access and confirmed her address: the Head's queue has one."""
    castlebrook = demo.schools["castlebrook"]
    on_roll = list(
        Child.objects.filter(enrolments__in=current_enrolments(demo.today).filter(school=castlebrook)).order_by("pk")
    )
    if on_roll:
        children_services.delegate(
            demo.dt_for(castlebrook),
            castlebrook,
            to=demo.users["senco"],
            children=on_roll[:1],
            sections=["d"],
            ends_on=demo.today + datetime.timedelta(days=90),
        )
    request = AccessRequest.objects.create(
        full_name="Grace Mensah",
        email=f"grace.mensah@{EMAIL_DOMAIN}",
        job_title="Deputy Headteacher",
        school=demo.schools["oakfield"],
        role=Role.SCHOOL_STAFF,
        status=AccessRequestStatus.PENDING,
        verified_at=timezone.now(),
    )
    record(None, Verb.CREATED, request, summary=f"Grace Mensah asked for access to {request.school.name}")


# --- children --------------------------------------------------------------------------------------------


def _academic_year(on: datetime.date) -> int:
    return on.year if on.month >= 9 else on.year - 1


def _weekday(day: datetime.date) -> datetime.date:
    """The day itself, or the Monday after a weekend."""
    return day + datetime.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _upn(la_code: str, establishment: str, issued: int, serial: int) -> str:
    body = f"{la_code}{establishment}{issued % 100:02d}{serial:03d}"
    upn = upn_checker.calc_check_digit(body) + body
    return upn_checker.validate(upn)  # fails loudly should stdnum stop knowing the LA code


def _add_child(demo: Demo, index: int, kid: Kid) -> Child:
    today = demo.today
    # Born in the academic year that puts the child in ``kid.year`` today.
    cohort = _academic_year(today) - 5 - kid.year
    born = datetime.date(cohort, 9, 1) + datetime.timedelta(days=(index * 47) % 360)
    reception = cohort + 5
    la = demo.authorities["demoshire"]
    if kid.school is None and kid.year < 0:
        upn = ""  # not yet on a state school's roll, so no UPN
    elif kid.school == "oakfield":
        upn = _upn(la.code, SCHOOLS["oakfield"][1], reception - (1 if kid.year < 0 else 0), 100 + index)
    elif kid.school == "northvale":
        upn = _upn(AUTHORITIES["northvale"][0], "2010", reception, 100 + index)
    else:
        upn = _upn(la.code, OTHER_PRIMARIES[index % len(OTHER_PRIMARIES)], reception, 100 + index)

    care_start = today - datetime.timedelta(days=kid.days_in_care)
    if kid.stage not in (NONE, MOVED):  # in care for weeks before the first PEP meeting, whatever ``today``
        care_start = min(care_start, _meeting_dates(demo, kid)[0] - datetime.timedelta(weeks=4))
    first_place, first_carer, moved_days = PLACEMENT_MOVES.get(kid.first, (kid.place, kid.carer, None))
    child = Child(
        local_authority=la,
        first_name=kid.first,
        last_name=kid.last,
        date_of_birth=born,
        gender=kid.sex,
        upn=upn,
        local_id=str(402117 + index * 13),
        care_start_date=care_start,
        social_worker=demo.users[kid.sw],
        iro=demo.users["iro"] if kid.iro else None,
    )
    school = demo.schools[kid.school] if kid.school else None
    # Children in care since before OpenPEP went live were loaded by the Virtual School.
    actor = demo.users["vsadmin"] if kid.days_in_care > 365 else demo.users[kid.sw]
    children_services.add_child(
        actor,
        child,
        school=school,
        school_start=_school_start(demo, kid, cohort) if school else None,
        legal_status=kid.legal,
        placement_type=first_place,
        carer_name=first_carer,
    )
    if moved_days is not None:
        children_services.change_placement(
            demo.users[kid.sw],
            child,
            Placement(
                starts_on=today - datetime.timedelta(days=moved_days),
                legal_status=kid.legal,
                placement_type=kid.place,
                carer_name=kid.carer,
            ),
        )
    demo.children[kid.first.lower()] = child
    return child


def _school_start(demo: Demo, kid: Kid, cohort: int) -> datetime.date:
    """The start of the September the child joined: the nursery class or Reception at
    a primary, Year 7 at a secondary (the sixth form is the same school). Never after
    the first PEP meeting the demo records, nor after today."""
    entry_year = {"oakfield": -1 if kid.year < 0 else 0}.get(kid.school, 7)
    joined = _weekday(datetime.date(cohort + 5 + entry_year, 9, 4))
    first_meeting = _meeting_dates(demo, kid)[0] if kid.stage not in (NONE, MOVED) else demo.today
    return min(joined, first_meeting - datetime.timedelta(days=14), demo.today)


# Weeks in which a termly PEP meeting can fall: (month, day) from and to, in calendar order.
TERM_WINDOWS = [((1, 12), (3, 27)), ((4, 20), (7, 17)), ((9, 15), (12, 11))]


def _meeting_dates(demo: Demo, kid: Kid) -> list[datetime.date]:
    """One meeting a term: the current PEP's (held lately, or planned soon when the
    plan is not that far yet) and, one in each term before, those of the earlier PEPs."""
    index = KIDS.index(kid)
    stage = STAGES.index(kid.stage) if kid.stage in STAGES else STAGES.index(Status.SUBMITTED)
    if stage > STAGES.index(PREDRAFTED):
        current = _in_term(demo.today - datetime.timedelta(days=5 + index % 12))
    else:
        current = _weekday(demo.today + datetime.timedelta(days=4 + index % 10))
    return _earlier_terms(current, kid.history, index) + [current]


def _windows(around: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    return [
        (datetime.date(year, *start), datetime.date(year, *end))
        for year in range(around.year - 3, around.year + 1)
        for start, end in TERM_WINDOWS
    ]


def _in_term(day: datetime.date) -> datetime.date:
    """``day`` when it falls in term, else the end of the term before; then back to a weekday."""
    windows = _windows(day)
    if not any(start <= day <= end for start, end in windows):
        day = max(end for _, end in windows if end < day)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _earlier_terms(before: datetime.date, count: int, index: int) -> list[datetime.date]:
    """A meeting day in each of the ``count`` terms before the one ``before`` falls in."""
    if not count:
        return []
    windows = [w for w in _windows(before) if w[1] < before - datetime.timedelta(days=30)][-count:]
    return [_in_term(min(start + datetime.timedelta(days=(index * 11) % 50), end)) for start, end in windows]


# --- plans -----------------------------------------------------------------------------------------------


def _plans(demo: Demo, index: int, kid: Kid, child: Child) -> None:
    if kid.stage == NONE:
        return
    dates = _meeting_dates(demo, kid)
    for cycle, held_on in enumerate(dates):
        current = cycle == len(dates) - 1
        _run_pep(
            demo,
            index,
            kid,
            child,
            cycle,
            held_on=held_on,
            next_on=dates[cycle + 1] if not current else _weekday(held_on + datetime.timedelta(weeks=13)),
            upto=kid.stage if current else Status.SIGNED_OFF,
            route=RETURNED_BEFORE_SIGN_OFF.get(kid.first) if cycle == _last_signed_off(kid, dates) else None,
        )


def _last_signed_off(kid: Kid, dates: list) -> int:
    return len(dates) - 1 if kid.stage == Status.SIGNED_OFF else len(dates) - 2


def _moved_child(demo: Demo, index: int, kid: Kid, child: Child) -> None:
    """Signed off at Northvale Park (out of area), then moved to Castlebrook: the new
    PEP reviews the old school's targets, and Castlebrook's DT carries one forward."""
    today = demo.today
    sw = demo.users[kid.sw]
    old_meeting = _in_term(today - datetime.timedelta(weeks=10))
    moved_on = _weekday(today - datetime.timedelta(days=16))
    _run_pep(
        demo,
        index,
        kid,
        child,
        0,
        held_on=old_meeting,
        next_on=_weekday(moved_on + datetime.timedelta(weeks=2)),
        upto=Status.SIGNED_OFF,
    )
    children_services.change_school(sw, child, demo.schools["castlebrook"], moved_on)
    _run_pep(
        demo,
        index,
        kid,
        child,
        1,
        held_on=_weekday(today + datetime.timedelta(days=6)),
        next_on=_weekday(today + datetime.timedelta(weeks=13)),
        upto=PREDRAFTED,
        occasion=Occasion.CHANGE_OF_SCHOOL,
        ratings=[TargetRating.ACHIEVED, TargetRating.PARTLY, TargetRating.NO_LONGER_RELEVANT],
    )


def _band(phase: str, year: int) -> str:
    if phase == Phase.EARLY_YEARS:
        return "early"
    if phase == Phase.POST_16:
        return "post16"
    return "primary" if year <= 6 else "secondary"


def _fill(template: dict, **names) -> dict:
    """The template's texts with the child's name (and school, and year) put in."""
    return {key: value.format(**names) if isinstance(value, str) else value for key, value in template.items()}


def _aware(day: datetime.date, hour: int = 15, minute: int = 30) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _run_pep(demo, index, kid, child, cycle, *, held_on, next_on, upto, occasion=None, route=None, ratings=None):
    """Take one PEP through the workflow as far as ``upto``, each step by the person
    whose step it is: the social worker starts it, the school records the views and
    pre-drafts Section D, the meeting agrees it, the DT returns the school section,
    the social worker completes Section C and submits, the Virtual School decides."""
    sw = child.social_worker
    phase = plan_services.default_phase(child, held_on)
    if occasion is None:
        new_into_care = (held_on - child.care_start_date).days < 60
        occasion = Occasion.INITIAL if new_into_care and not previous_pep(child) else Occasion.REVIEW
    on_roll = child.current_enrolment() is not None
    views_by = ViewsRecordedBy.SCHOOL if on_roll else ViewsRecordedBy.SOCIAL_WORKER
    # A change of school has started its PEP already (plans.services.follow_school_change).
    pep = child.peps.filter(status=Status.DRAFT, occasion=occasion).first() or plan_services.start_pep(
        sw, child, Pep(phase=phase, occasion=occasion, views_recorded_by=views_by)
    )
    demo.peps.setdefault(kid.first.lower(), []).append(pep)
    if upto != Status.SIGNED_OFF:  # the open PEP: its meeting is scheduled, and people invited, in OpenPEP
        _schedule(demo, index, kid, child, pep, held_on)
    stage = STAGES.index(Status.SUBMITTED if upto in RETURNS else upto)
    if stage <= STAGES.index(DRAFT):
        return pep

    year = child.year_group(held_on)
    band = _band(phase, year)
    school = pep.school
    names = {
        "name": child.first_name,
        "school": school.name if school else "",
        "year": child.year_group_label(held_on),
    }
    variants = CHILD_VIEWS[band]
    views = ChildViews(pep=pep, **_fill(variants[(index + cycle) % len(variants)], **names))
    _save(sw if views_by == ViewsRecordedBy.SOCIAL_WORKER else demo.dt_for(school), pep, views, Section.B)
    if stage <= STAGES.index(VIEWS):
        return pep

    assert school is not None, f"{kid.first}: only a school can complete Section D"
    dt = demo.dt_for(school)
    section = _school_section(pep, kid, index, band, names, cycle)
    _save(dt, pep, section, Section.D)
    carried = _review_previous_targets(pep, dt, index, names, ratings)
    _add_targets(pep, dt, index, cycle, band, names, held_on, carried)
    for subject, current, expected in ATTAINMENT[band]:
        plan_services.add_attainment(dt, pep, Attainment(subject=subject, current=current, expected=expected))
    if stage <= STAGES.index(PREDRAFTED):
        return pep

    _meeting(demo, pep, kid, child, dt, held_on, occasion)
    section.next_meeting_at = _aware(next_on)  # agreed at the meeting
    _save(dt, pep, section, Section.D)
    transition(pep, Status.SCHOOL_RETURNED, actor=dt)
    if stage <= STAGES.index(Status.SCHOOL_RETURNED):
        return pep

    thin = Status.RETURNED_TO_SW in (route, upto)  # what the Virtual School will send back
    arrangements = _arrangements(pep, kid, child, band, names, held_on, thin=thin)
    _save(sw, pep, arrangements, Section.C)
    transition(pep, Status.SUBMITTED, actor=sw)
    if upto in RETURNS:
        quality_demo.rate_before(pep, demo.users["vs"], upto)
        transition(pep, upto, actor=demo.vs_for_decision(), note=RETURN_REASONS[upto])
        return pep
    if stage <= STAGES.index(Status.SUBMITTED):
        quality_demo.rate_before(pep, demo.users["vs"], Status.SUBMITTED, kid.first)
        return pep

    if route == Status.RETURNED_TO_SCHOOL:
        quality_demo.rate_before(pep, demo.users["vs"], route)
        transition(pep, route, actor=demo.vs_for_decision(), note=RETURN_REASONS[route])
        target = pep.targets.all()[1]
        target.success_measure += " Checked every fortnight by the class teacher, on the progress tracker."
        _save(dt, pep, target, Section.D)
        section.pupil_premium_use += " Each PP+ cost is shown against its target."
        _save(dt, pep, section, Section.D)
        transition(pep, Status.SUBMITTED, actor=dt, note="Target 2 now says how and when it is checked.")
    elif route == Status.RETURNED_TO_SW:
        quality_demo.rate_before(pep, demo.users["vs"], route)
        transition(pep, route, actor=demo.vs_for_decision(), note=RETURN_REASONS[route])
        full = _arrangements(pep, kid, child, band, names, held_on, thin=False)
        arrangements.carer_views = full.carer_views
        arrangements.actions_social_worker = full.actions_social_worker
        _save(sw, pep, arrangements, Section.C)
        transition(pep, Status.SUBMITTED, actor=sw, note="Added the carer's views and the EHCNA action.")
    cost = sum((t.pupil_premium_cost or 0) for t in pep.targets.all())
    quality_demo.rate_before(pep, demo.users["vs"], Status.SIGNED_OFF)
    transition(
        pep,
        Status.SIGNED_OFF,
        actor=demo.vs_for_decision(),
        note=f"Quality assurance: Green. The child's views shape the targets, previous targets are evaluated "
        f"with evidence, and the targets are SMART. PP+ approved: £{cost:,.2f}.",
    )
    return pep


def _save(actor: User, pep: Pep, instance, section: Section):
    """Create, or update at the version last read, through the service."""
    expected = instance.lock_version if instance.pk else None
    return plan_services.save_section(actor, pep, instance, section=section, expected_version=expected)


def _school_section(pep, kid, index, band, names, cycle) -> SchoolSection:
    sen_status, _, need = kid.sen.partition(":")
    views = _fill(SCHOOL_VIEWS[band], **names)
    note = TERM_NOTES[cycle % len(TERM_NOTES)]
    for name in NARRATIVE[Section.D]:
        if views.get(name) and note:
            views[name] = f"{views[name]} {note}"
    story = {}
    if pep.occasion == Occasion.CHANGE_OF_SCHOOL:
        story["education_story"] = CHANGE_OF_SCHOOL_STORY.format(**names)
    return SchoolSection(
        pep=pep,
        sen_status=SenStatus(sen_status),
        sen_primary_need=SenNeed(need) if need else "",
        attendance_percent=None if band == "early" else Decimal(ATTENDANCE[index % len(ATTENDANCE)]),
        suspensions=1 if kid.first in ("Callum", "Tyler") else 0,
        suspension_days=Decimal("1.5") if kid.first in ("Callum", "Tyler") else Decimal("0"),
        funded_hours=30 if band == "early" else None,
        **{**views, **story},
    )


def _review_previous_targets(pep, dt, index, names, ratings=None) -> list[Target]:
    """Rate each target of the previous PEP, with evidence; the partly achieved ones
    are carried forward."""
    carried = []
    for position, review in enumerate(pep.target_reviews.select_related("target")):
        if ratings:
            review.rating = ratings[position % len(ratings)]
        else:
            review.rating = RATINGS[(index + position) % len(RATINGS)]
        review.evidence = REVIEW_EVIDENCE[review.rating].format(**names)
        _save(dt, pep, review, Section.D)
        if review.rating == TargetRating.PARTLY:
            carried.append(review.target)
    return carried


def _add_targets(pep, dt, index, cycle, band, names, held_on, carried) -> None:
    by_when = _weekday(held_on + datetime.timedelta(weeks=12))
    for old in carried:
        plan_services.add_target(
            dt,
            pep,
            Target(
                outcome=old.outcome,
                area=old.area,
                success_measure=old.success_measure,
                actions="Carried forward from the last PEP, where it was partly achieved. " + old.actions,
                who=old.who,
                by_when=by_when,
                pupil_premium_cost=old.pupil_premium_cost,
            ),
            continues=old,
        )
    pool = TARGETS[band]
    taken = {old.outcome for old in carried}
    start = index * 2 + cycle * 3
    for step in range(len(pool)):
        if len(taken) >= 3:
            break
        area, outcome, measure, actions, who, cost = pool[(start + step) % len(pool)]
        if outcome in taken:
            continue
        taken.add(outcome)
        plan_services.add_target(
            dt,
            pep,
            Target(
                outcome=outcome,
                area=area,
                success_measure=measure.format(**names),
                actions=actions.format(**names),
                who=who,
                by_when=by_when,
                pupil_premium_cost=Decimal(cost) if cost else None,
            ),
        )


def _placement_on(child: Child, day: datetime.date) -> Placement:
    placement = child.placements.filter(starts_on__lte=day).order_by("-starts_on").first()
    return placement or child.current_placement()


ONLINE_MEETINGS = ("Kayden", "Chloe")  # the school is out of area


def _meeting_time(held_on: datetime.date) -> datetime.time:
    """After school on odd days; on even days first thing, in lesson time (the page warns of it)."""
    return datetime.time(15, 30) if held_on.day % 2 else datetime.time(9, 15)


def _schedule(demo, index, kid, child, pep, held_on) -> None:
    """The social worker schedules the open PEP's meeting (the DT, the IRO and, for a
    child new into care, the Virtual School are invited with it) and invites the carer
    and, when old enough, the child. Some have answered: the school and the carer of a
    meeting already held, the IRO with apologies; of the initial PEPs' meetings still to
    come, the Virtual School has accepted the first and not answered the others."""
    sw = child.social_worker
    school = pep.school
    online = kid.first in ONLINE_MEETINGS
    if online:
        where = {"venue_kind": VenueKind.ONLINE, "venue": "Video call"}
        where["online_link"] = f"https://meet.demoshire.example/pep-{402117 + index * 13}"
    elif school is not None:
        where = {"venue_kind": VenueKind.SCHOOL, "venue": "Meeting room"}
    else:
        where = {"venue_kind": VenueKind.ELSEWHERE, "venue": "Demoshire Family Centre, Room 3, Mill Lane"}
    old_enough = child.year_group(held_on) >= 3
    meeting = Meeting(
        held_on=held_on,
        start_time=_meeting_time(held_on),
        planned_minutes=60,
        child_attending=ChildAttending.YES if old_enough else ChildAttending.NO,
        child_input=f"{child.first_name} comes for the first part, to talk about their views with the carer."
        if old_enough
        else f"The carer and key person share what {child.first_name} has shown and said.",
        **where,
    )
    meeting = meeting_services.schedule(sw, pep, meeting, expected_version=None)
    carer = _placement_on(child, held_on).carer_name
    handle = kid.first.lower()
    meeting_services.invite(
        sw, pep, Invitation(name=carer, email=f"{handle}.carer@{EMAIL_DOMAIN}", role=MeetingRole.CARER)
    )
    if old_enough:
        invite = Invitation(name=child.first_name, email=f"{handle}@{EMAIL_DOMAIN}", role=MeetingRole.CHILD)
        meeting_services.invite(sw, pep, invite)
    held = held_on < demo.today
    for invitation in meeting.invitations.select_related("user"):
        response = None
        if invitation.role == MeetingRole.IRO:
            response = Response.APOLOGIES
        elif invitation.role == MeetingRole.VIRTUAL_SCHOOL and (held or demo.vs_answered == 0):
            response = Response.ATTENDING
            demo.vs_answered += not held
        elif invitation.role == MeetingRole.DESIGNATED_TEACHER:
            response = Response.ATTENDING if held or index % 2 == 0 else None
        elif invitation.role == MeetingRole.CARER and (held or index % 3 == 0):
            response = Response.ATTENDING
        if response is not None:
            meeting_services.answer(invitation.user or sw, pep, invitation, response)


def _meeting(demo, pep, kid, child, dt, held_on, occasion) -> None:
    sw = child.social_worker
    notes = (
        f"Started with {child.first_name}'s views and the carer's. {dt.full_name} shared the "
        "pre-drafted Section D; previous targets were reviewed together and the new targets agreed with "
        f"{child.first_name}. PP+ request agreed in principle. Next meeting booked."
    )
    meeting = getattr(pep, "meeting", None)  # the instance the PEP holds, so the workflow reads the record
    if meeting is not None:  # scheduled in OpenPEP: what happened is written into it
        meeting.refresh_from_db()
        meeting.chair, meeting.note_taker, meeting.agreed, meeting.notes = dt.full_name, sw.full_name, True, notes
        meeting_services.record_meeting(sw, pep, meeting, expected_version=meeting.lock_version)
    else:  # held before it was in OpenPEP: recorded afterwards
        online = kid.first in ONLINE_MEETINGS
        meeting = Meeting(
            pep=pep,
            held_on=held_on,
            start_time=_meeting_time(held_on),
            planned_minutes=60,
            venue="Online (video call)" if online else f"{pep.school.name}, meeting room",
            chair=dt.full_name,
            note_taker=sw.full_name,
            agreed=True,
            notes=notes,
        )
        _save(sw, pep, meeting, Section.MEETING)
    attendees = (
        [(child.first_name + " " + child.last_name, MeetingRole.CHILD, Attendance.PRESENT)]
        if child.year_group(held_on) >= 3
        else []
    )
    attendees += [
        (_placement_on(child, held_on).carer_name, MeetingRole.CARER, Attendance.PRESENT),
        (sw.full_name, MeetingRole.SOCIAL_WORKER, Attendance.PRESENT),
        (dt.full_name, MeetingRole.DESIGNATED_TEACHER, Attendance.PRESENT),
    ]
    if occasion == Occasion.INITIAL:  # the Virtual School attends for a child new into care
        attendees.append((demo.users["vs"].full_name, MeetingRole.VIRTUAL_SCHOOL, Attendance.PRESENT))
    if child.iro_id:
        attendees.append((child.iro.full_name, MeetingRole.IRO, Attendance.APOLOGIES))
    for name, role, attendance in attendees:
        meeting_services.add_attendee(sw, pep, Attendee(name=name, role=role, attendance=attendance))


def _arrangements(pep, kid, child, band, names, held_on, *, thin: bool) -> Arrangements:
    full_time = kid.first not in NOT_FULL_TIME
    placement = _placement_on(child, held_on)
    placement_kind = placement.get_placement_type_display().split(" – ", 1)[1]
    setting = COLLEGE.get(kid.first) or f"{names['year']} at {names['school']}"
    return Arrangements(
        pep=pep,
        setting=setting + (", full time." if full_time else ", on a part-time timetable (mornings only)."),
        full_time=full_time,
        not_full_time_reason=""
        if full_time
        else "After a suspension {name} is on mornings only for four "
        "weeks, building to full days from the next half term; reviewed weekly by the head of year and the "
        "Virtual School.".format(**names),
        transport="The carer drives {name} to school and collects at 3:15.".format(**names)
        if band in ("early", "primary")
        else "Walks with friends or catches the school bus; bus pass in place.",
        placement_arrangements=f"{placement_kind}. Family time is on Saturdays, so no lessons are missed.",
        actions_social_worker="Share the date of the next statutory review with the school; chase the EHC "
        "needs assessment decision by the end of the month."
        if not thin
        else "Share the review date with school.",
        actions_carer="Read with {name} five evenings a week and sign the planner; attend parents' evening.".format(
            **names
        ),
        actions_virtual_school="Release the PP+ agreed for the targets; the adviser to attend the next PEP "
        "if attendance falls below 90%.",
        carer_views="Fine."
        if thin
        else f"{placement.carer_name} says {child.first_name} is happier and "
        "sleeping better, is proud of school work and wants to keep the same friends; homework is still a "
        "battle on some evenings.",
        parent_views="Mum would like copies of school reports and is pleased about the progress in reading."
        if band != "post16"
        else "",
    )
