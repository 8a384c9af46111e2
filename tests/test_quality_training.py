"""The spun flag's calibration (``bench/train_quality.py``) on made-up score arrays: a
clean set unlike the rest may not hide inside the pooled false-flag rate."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from train_quality import calibrate, held_out_rates

# Labelled dev scores: three spun texts (0.9, 0.8, 0.6), many clean ones low.
DEV_S = np.array([0.9, 0.8, 0.6] + [0.1] * 20)
DEV_Y = np.array([1, 1, 1] + [0] * 20)
# A large clean set far below, and a small one (product pages, say) with two texts at 0.7:
# 2 of 1,050 pooled (0.19%) but 4% of their own set.
POOLS = {"news": np.full(1000, 0.05), "pages": np.array([0.7, 0.7] + [0.05] * 48)}


def test_no_clean_set_may_have_more_than_its_share_flagged() -> None:
    threshold = calibrate(DEV_S, DEV_Y, POOLS)
    assert threshold > 0.7  # 0.6 would catch every spun text, and 4% of the pages
    assert all((pool >= threshold).mean() <= 0.015 for pool in POOLS.values())


def test_held_out_rate_shows_the_set_unlike_the_rest() -> None:
    rates = held_out_rates(DEV_S, DEV_Y, POOLS)
    assert rates["news"] == 0.0
    assert rates["pages"] == 0.04  # calibrated on the news alone, 0.6 flags two pages
