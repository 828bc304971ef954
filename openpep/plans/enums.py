from django.db import models


class Phase(models.TextChoices):
    EARLY_YEARS = "early_years", "Early Years"
    STATUTORY = "statutory", "Statutory school age (Reception to Year 11)"
    POST_16 = "post_16", "Post-16"


class Occasion(models.TextChoices):
    INITIAL = "initial", "Initial PEP – new into care"
    REVIEW = "review", "Termly review"
    CHANGE_OF_SCHOOL = "change_of_school", "Change of school"
    INTERIM = "interim", "Interim"


class WordingKind(models.TextChoices):
    """What a council may word its own way: a PEP's phase or its occasion (``PepTypeWording``)."""

    PHASE = "phase", "Phase"
    OCCASION = "occasion", "Occasion"


#: The national hints shown under each PEP type in Section A; a council may word its own.
PHASE_HINTS = {
    Phase.EARLY_YEARS: "From the term after the child's 2nd or 3rd birthday",
    Phase.STATUTORY: "",
    Phase.POST_16: "Years 12 and 13, including young people not in education, employment or training",
}
OCCASION_HINTS = {
    Occasion.INITIAL: "",
    Occasion.REVIEW: "Once every school term",
    Occasion.CHANGE_OF_SCHOOL: "When the child starts at a new school",
    Occasion.INTERIM: "Between reviews, when something important changes",
}
#: The longest a council's label or hint of a PEP type may be.
WORDING_LABEL_MAX = 60
WORDING_HINT_MAX = 200


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHOOL_RETURNED = "school_returned", "School section returned"
    SUBMITTED = "submitted", "Submitted to Virtual School"
    RETURNED_TO_SCHOOL = "returned_to_school", "Returned to school"
    RETURNED_TO_SW = "returned_to_sw", "Returned to social worker"
    SIGNED_OFF = "signed_off", "Signed off"


#: Statuses in which each part of the plan can be edited. The school part is
#: Sections B (when the school records it) and D; the social worker's part is
#: Sections A, C, B (when they record it) and the meeting record.
SCHOOL_PART_OPEN = {Status.DRAFT, Status.RETURNED_TO_SCHOOL}
SOCIAL_WORKER_PART_OPEN = {Status.DRAFT, Status.SCHOOL_RETURNED, Status.RETURNED_TO_SW}


class Section(models.TextChoices):
    A = "a", "Section A – PEP type"
    B = "b", "Section B – Child's views"
    C = "c", "Section C – Education arrangements and actions"
    D = "d", "Section D – Targets, progress, SEND and education summary"
    E = "e", "Section E – Virtual School sign-off"
    MEETING = "meeting", "PEP meeting record"


class TaskStatus(models.TextChoices):
    """A part's status on the PEP's task list (GOV.UK's task list pattern)."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANNOT_START_YET = "cannot_start_yet", "Cannot start yet"


class Owner(models.TextChoices):
    """Who completes a part of the PEP."""

    SOCIAL_WORKER = "social_worker", "the social worker"
    SCHOOL = "school", "the Designated Teacher"
    VIRTUAL_SCHOOL = "virtual_school", "the Virtual School"


class ViewsRecordedBy(models.TextChoices):
    SCHOOL = "school", "The school (Designated Teacher)"
    SOCIAL_WORKER = "social_worker", "The social worker"


class HowGathered(models.TextChoices):
    OWN_WORDS = "own_words", "In the child's own words"
    SYMBOLS = "symbols", "With symbols, pictures or drawings"
    ADULT = "adult", "By an adult on the child's behalf"


class TookPart(models.TextChoices):
    """How the child took part in giving their views (Section B): a quality measure councils report."""

    IN_PERSON = "in_person", "In person, with an adult"
    FORM = "form", "By the \u201cHave your say\u201d form"
    ADULT = "adult", "Through an adult who knows them"
    DECLINED = "declined", "They chose not to take part"


class TargetArea(models.TextChoices):
    READING = "reading", "Reading"
    WRITING = "writing", "Writing"
    MATHS = "maths", "Maths"
    COMMUNICATION = "communication", "Communication and language"
    SOCIAL_EMOTIONAL = "social_emotional", "Social, emotional and mental health"
    ATTENDANCE = "attendance", "Attendance"
    BEHAVIOUR = "behaviour", "Behaviour for learning"
    PHYSICAL = "physical", "Physical development"
    ADULTHOOD = "adulthood", "Preparation for adulthood"
    OTHER_SUBJECT = "other_subject", "Another subject"


class TargetRating(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    PARTLY = "partly", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    NO_LONGER_RELEVANT = "no_longer_relevant", "No longer relevant"


class SenStatus(models.TextChoices):
    # School census SEN provision codes
    NONE = "N", "N – No special educational need"
    SUPPORT = "K", "K – SEN support"
    EHCP = "E", "E – Education, health and care plan"


class SenNeed(models.TextChoices):
    # School census primary SEN type
    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Visual impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    OTH = "OTH", "Other difficulty or disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"


class Post16Status(models.TextChoices):
    EDUCATION = "education", "In education"
    TRAINING = "training", "In training or an apprenticeship"
    EMPLOYMENT = "employment", "In employment"
    NEET = "neet", "Not in education, employment or training (NEET)"


class AttainmentScale(models.TextChoices):
    EYFS = "eyfs", "Early Years Foundation Stage"
    KEY_STAGE = "key_stage", "Primary (working towards / expected / greater depth)"
    GCSE = "gcse", "GCSE grades 9 to 1"
    POST_16 = "post_16", "Post-16 qualification grade"


#: The values each scale allows; post-16 grades are written as given.
ATTAINMENT_VALUES = {
    AttainmentScale.EYFS: [("emerging", "Emerging"), ("expected", "Expected")],
    AttainmentScale.KEY_STAGE: [
        ("PKS", "Pre-key stage"),
        ("WTS", "Working towards the expected standard"),
        ("EXS", "Working at the expected standard"),
        ("GDS", "Working at greater depth"),
    ],
    AttainmentScale.GCSE: [(str(g), f"Grade {g}") for g in range(9, 0, -1)] + [("U", "U – ungraded")],
    AttainmentScale.POST_16: [],
}


class DecisionOutcome(models.TextChoices):
    SIGNED_OFF = "signed_off", "Signed off"
    RETURNED_TO_SCHOOL = "returned_to_school", "Returned to the school"
    RETURNED_TO_SW = "returned_to_sw", "Returned to the social worker"
