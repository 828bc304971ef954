"""The overall rating of a round, by each rule an authority can choose."""

import pytest

from openpep.quality.enums import OverallRule

R, A, G, AU = "red", "amber", "green", "gold"

CASES = [
    # (ratings, worst, red then most common, most common)
    ([G, G, G], G, G, G),
    ([AU, AU], AU, AU, AU),
    ([AU, G], G, G, G),  # gold only when every criterion is gold; a tie takes the lower
    ([AU, AU, G], G, AU, AU),
    ([G, G, A], A, G, G),
    ([G, A, A], A, A, A),
    ([G, G, G, R], R, R, G),
    ([R, A, A, G, G], R, R, A),
    ([A, R], R, R, R),
]


@pytest.mark.parametrize(("ratings", "worst", "red_then", "most_common"), CASES)
def test_overall_rule_combines_ratings(ratings, worst, red_then, most_common):
    assert OverallRule.WORST.combine(ratings) == worst
    assert OverallRule.RED_THEN_MOST_COMMON.combine(ratings) == red_then
    assert OverallRule.MOST_COMMON.combine(ratings) == most_common


def test_overall_rule_of_no_ratings_is_an_error():
    with pytest.raises(ValueError):
        OverallRule.WORST.combine([])
