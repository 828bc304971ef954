"""The demo's QA rounds, and the share of demo PEPs each check before submission catches.

The demo is built once for the run (tests/fixtures.py's ``demo_snapshot``) and loaded here.
Run with ``-s`` to read the shares."""

from openpep.plans.enums import Status
from openpep.plans.models import Decision, Pep
from openpep.quality.enums import CheckId, Rag
from openpep.quality.measure import all_peps, report, shares
from openpep.quality.models import Review


def test_demo_rounds_and_the_share_of_peps_each_check_catches(db, demo_snapshot):
    # The rounds are written as the demo builds; what it left to run on commit (mail, stored PDFs,
    # webhooks) is not run: it cost half a minute and nothing here reads it.
    demo = demo_snapshot.load()

    # A round before every decision of the Virtual School: red before a return, green before a sign-off.
    for pep in Pep.objects.filter(decisions__isnull=False).distinct():
        rounds = list(pep.qa_reviews.order_by("id"))
        decisions = list(pep.decisions.order_by("id"))
        assert len(rounds) == len(decisions), pep
        for review, decision in zip(rounds, decisions, strict=True):
            assert review.created_at < decision.decided_at
            assert review.overall == (Rag.GREEN if decision.outcome == Status.SIGNED_OFF else Rag.RED)
    assert Review.objects.count() == Decision.objects.count() + 1  # and one of a PEP still waiting

    # A PEP returned to the school, with its red rating and the reason.
    alfie = demo["peps"]["alfie"][-1]
    assert alfie.status == Status.RETURNED_TO_SCHOOL
    assert list(alfie.qa_reviews.get().ratings.exclude(rating=Rag.GREEN).values_list("title", "rating")) == [
        ("Targets are SMART", "red"),
        ("PP+ costed and linked to targets", "amber"),
    ]
    assert alfie.decisions.get().reasons.startswith("Section D: the success measure of target 2")

    # A PEP waiting for sign-off, looked at already.
    ellie = demo["peps"]["ellie"][-1]
    assert (ellie.status, [r.overall for r in ellie.qa_reviews.all()]) == (Status.SUBMITTED, [Rag.AMBER])

    rows = shares(all_peps())
    print("\n" + "\n".join(report(rows)))
    everything = {row.check: row for row in rows if row.group == "all"}
    assert set(everything) == set(CheckId)
    assert {row.total for row in everything.values()} == {Pep.objects.count()}
    reached = {row.check: row.caught for row in rows if row.group == "reached the Virtual School"}
    # What the workflow itself refuses cannot be found in a PEP that got past it.
    assert reached[CheckId.VOICE] == reached[CheckId.UNREVIEWED_TARGETS] == reached[CheckId.NEXT_MEETING] == 0
    # The demo's reviews say something new each term: no answer is copied from the last PEP.
    assert everything[CheckId.COPIED].caught == 0
