"""How many kits the stock at the bench is enough for (issue #14, mutation testing).

``kit_components.buildable``: for each component, the whole number of kits its stock
covers (stock / per kit, rounded down, a floating-point hair below a whole number
counting as that number: 0.3 / 0.1 is 3 kits); the kit count is the least of them. A
component with no quantity per kit does not limit it; with no component that limits,
none can be built.
"""

from __future__ import annotations

import pytest

from scanner_app.workflows.assembly_answers import ComponentLine
from scanner_app.workflows.kit_components import buildable


def line(per_kit: float, in_stock: float, item_id: str = "I1") -> ComponentLine:
    return ComponentLine(item_id, f"Part {item_id}", per_kit=per_kit, needed=per_kit, in_stock=in_stock)


@pytest.mark.parametrize(
    ("lines", "kits"),
    [
        ([line(2.0, 7.0)], 3),  # 7 / 2 = 3.5: three kits
        ([line(0.5, 2.0)], 4),  # half a unit per kit
        ([line(0.1, 0.3)], 3),  # 0.3 / 0.1 is 2.999...: still three kits
        ([line(1.0, 5.0, "I1"), line(3.0, 7.0, "I2")], 2),  # the scarcest part decides
        ([line(1.0, 0.0)], 0),
        ([line(0.0, 0.0, "I1"), line(1.0, 4.0, "I2")], 4),  # no quantity per kit: not a limit
        ([line(0.5, 9.0, "I1"), line(0.5, 2.0, "I2")], 4),  # under one per kit still limits
        ([line(0.0, 5.0)], 0),
        ([], 0),
    ],
)
def test_kits_the_stock_is_enough_for(lines: list[ComponentLine], kits: int) -> None:
    assert buildable(lines) == kits
