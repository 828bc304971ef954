"""Bar charts drawn on the server as SVG: people look at the bars, and read the table beside them
(the chart is hidden from screen readers, which get the same figures from the table)."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 400  # the SVG's own units; it scales to its column
VALUE_SPACE = 100  # room after the longest bar for its value
ROW = 40


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    shown: str  # the value as the table writes it
    y: int
    length: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int = WIDTH

    @property
    def height(self) -> int:
        return max(ROW, ROW * len(self.bars))


def bar_chart(title: str, rows: list[tuple[str, Decimal | int, str]], *, width: int = WIDTH) -> Chart:
    """``rows`` of (label, value, value as shown); bars in proportion to the largest value.
    A narrower ``width`` draws larger, for a narrow column."""
    largest = max((value for _, value, _ in rows), default=0) or 1
    space = width - VALUE_SPACE
    bars = [
        Bar(label, value, shown, index * ROW, round(space * value / largest) if value else 0)
        for index, (label, value, shown) in enumerate(rows)
    ]
    return Chart(title, bars, width)
