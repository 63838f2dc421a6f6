"""A computed share, change or rate is shown at the precision the text prints its own, and says so: never one
decimal more than the text gave (that would read as correcting a digit it never printed)."""
from __future__ import annotations

from decimal import Decimal

import pytest

import budgetkit
from budgetkit.check.narrative.percent import as_printed
from conftest import SEED_TXT


def test_a_share_is_rounded_to_the_printed_decimals():
    """250,110.65 ÷ 404,415.23 = 61.845…%: against a printed 61.9% that is 61.8 at one decimal, not 61.85."""
    value, zh, en = as_printed(Decimal("250110.65") / Decimal("404415.23") * 100, Decimal("61.9"))
    assert (value, zh, en) == (Decimal("61.8"), "（按所印一位小数）", " (at the printed one decimal)")
    assert as_printed(Decimal("-15.1515"), Decimal("-10"))[:2] == (Decimal("-15"), "（按所印整数）")
    assert as_printed(Decimal("1.6897"), Decimal("1.66"))[0] == Decimal("1.69")


@pytest.fixture(scope="module")
def seed():
    return budgetkit.check(budgetkit.read(SEED_TXT))


def test_seed_messages_print_no_digit_the_text_did_not(seed):
    """data/seed (the text export): 「1,065.53万元、占92.6%」 of 1,149.80 is 92.67%: 92.7 at the one decimal printed;
    「较2022年预算3.3万元下降10%」 (3.3 → 2.80) is −15.15%: −15 at the whole number printed."""
    msgs = {f.message: f for f in seed if f.rule in ("N02", "N03") and f.unit == "%"}
    share = next(m for m in msgs if "92.6%" in m)
    assert "应为 92.7%（按所印一位小数）" in share and "92.67" not in share
    assert msgs[share].expected == Decimal("92.7") and "(at the printed one decimal)" in msgs[share].message_en
    change = next(m for m in msgs if "下降10%" in m)
    assert "-15%（按所印整数）" in change and "15.15" not in change
