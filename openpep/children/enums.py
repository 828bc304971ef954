"""Codes from the DfE's SSDA903 specification (children looked after return)."""

from django.db import models


class Gender(models.TextChoices):
    # SSDA903 SEX: 1 male, 2 female. Other values are recorded here for the
    # plan's wording but map to neither in the return.
    MALE = "1", "Male"
    FEMALE = "2", "Female"
    OTHER = "9", "Other or prefer not to say"


class LegalStatus(models.TextChoices):
    C1 = "C1", "C1 – Interim care order"
    C2 = "C2", "C2 – Full care order"
    D1 = "D1", "D1 – Freeing order granted"
    E1 = "E1", "E1 – Placement order granted"
    J1 = "J1", "J1 – Remanded to local authority or youth detention accommodation"
    J2 = "J2", "J2 – Placed in local authority accommodation under PACE 1984"
    J3 = "J3", "J3 – Sentenced to a Youth Rehabilitation Order with residence requirement"
    L1 = "L1", "L1 – Under police protection, in local authority accommodation"
    L2 = "L2", "L2 – Emergency protection order"
    L3 = "L3", "L3 – Child assessment order, in local authority accommodation"
    V2 = "V2", "V2 – Single period of accommodation under section 20"
    V3 = "V3", "V3 – Agreed series of short-term breaks, episodes recorded"
    V4 = "V4", "V4 – Agreed series of short-term breaks, agreements recorded"


class PlacementType(models.TextChoices):
    A3 = "A3", "A3 – Placed for adoption with consent, with current foster carer"
    A4 = "A4", "A4 – Placed for adoption with consent, not with current foster carer"
    A5 = "A5", "A5 – Placed for adoption with placement order, with current foster carer"
    A6 = "A6", "A6 – Placed for adoption with placement order, not with current foster carer"
    H5 = "H5", "H5 – Supported accommodation"
    K1 = "K1", "K1 – Secure children's home"
    K2 = "K2", "K2 – Children's home"
    P1 = "P1", "P1 – Placed with own parents or person with parental responsibility"
    P2 = "P2", "P2 – Independent living"
    P3 = "P3", "P3 – Residential employment"
    R1 = "R1", "R1 – Residential care home"
    R2 = "R2", "R2 – NHS or health trust establishment"
    R3 = "R3", "R3 – Family centre or mother and baby unit"
    R5 = "R5", "R5 – Young offender institution"
    S1 = "S1", "S1 – Residential school"
    T0 = "T0", "T0 – Temporary move"
    T1 = "T1", "T1 – Temporary period in hospital"
    T2 = "T2", "T2 – Temporary absence on holiday"
    T3 = "T3", "T3 – Temporary accommodation while foster carer on holiday"
    T4 = "T4", "T4 – Temporary accommodation of seven days or less"
    U1 = "U1", "U1 – Foster placement with relative or friend, long term"
    U2 = "U2", "U2 – Foster placement with relative or friend, fostering for adoption"
    U3 = "U3", "U3 – Foster placement with relative or friend, other"
    U4 = "U4", "U4 – Foster placement with other foster carer, long term"
    U5 = "U5", "U5 – Foster placement with other foster carer, fostering for adoption"
    U6 = "U6", "U6 – Foster placement with other foster carer, other"
    Z1 = "Z1", "Z1 – Other placement"


#: The sections of a PEP a Designated Teacher may delegate: the school's part, as values of
#: ``plans.enums.Section`` (this app sits below ``plans``; a test keeps the two in step).
DELEGABLE_SECTIONS = [
    ("b", "Section B – the child's views, when the school records them"),
    ("d", "Section D – the school section: targets, progress, attainment, SEND and the education story"),
]


class Cohort(models.TextChoices):
    """The Virtual School's cohorts besides the children it looks after. Whether a child is looked
    after is not stored here: it is the period of care the SSDA903 import and the placement pages
    keep (``Child.care_start_date`` and ``Placement``, ``queries.looked_after_q``)."""

    PREVIOUSLY_LOOKED_AFTER = "previously_looked_after", "Previously looked after"
    SOCIAL_WORKER = "social_worker", "With a social worker"
    KINSHIP = "kinship", "Kinship care"


#: The register's filter and the child's page name the looked-after cohort with the others.
LOOKED_AFTER = "looked_after"
COHORT_CHOICES = [(LOOKED_AFTER, "Looked after"), *Cohort.choices]


class CohortKind(models.TextChoices):
    ADOPTION = "adoption", "Adoption order"
    SGO = "sgo", "Special guardianship order"
    CAO = "cao", "Child arrangements order"
    CIN = "cin", "Child in need plan"
    CPP = "cpp", "Child protection plan"
    INFORMAL = "informal", "Informal or private arrangement"


#: The kinds each cohort's memberships may be.
KINDS_OF = {
    Cohort.PREVIOUSLY_LOOKED_AFTER: (CohortKind.ADOPTION, CohortKind.SGO, CohortKind.CAO),
    Cohort.SOCIAL_WORKER: (CohortKind.CIN, CohortKind.CPP),
    Cohort.KINSHIP: (CohortKind.SGO, CohortKind.CAO, CohortKind.INFORMAL),
}


class FromWhere(models.TextChoices):
    """Where a previously looked-after child was in care before the order."""

    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    OUTSIDE = "outside", "Outside England and Wales"


#: A child with a social worker stays in that cohort for 6 years after their plan ends.
SOCIAL_WORKER_KEPT_YEARS = 6
