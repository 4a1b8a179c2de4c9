"""Profiles of demo-store shoppers recover the hidden tastes their histories were drawn from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.tools.recommend.demo import FAKE, build_demo, demo_url
from tools.demo_store import TRUTH_FILE_NAME, read_truth
from tools.recommend import RecommendService, open_service
from tools.store import make_engine


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("profiles"), skus=1_500, shoppers=400)


@pytest.fixture(scope="module")
def service(demo: Path) -> Iterator[RecommendService]:
    db = make_engine(demo_url(demo))
    yield open_service(db, data_dir=demo, encoder=FAKE)
    db.dispose()


def test_profiles_recover_departments_brands_and_price_sensitivity(
    demo: Path, service: RecommendService
) -> None:
    truth = read_truth(demo / TRUTH_FILE_NAME)
    estimated, true, brands, departments = [], [], [], []
    for shopper, taste in sorted(truth.tastes.items()):
        profile = service.profile(shopper_id=shopper)
        if profile.purchases < 3:
            continue
        estimated.append(profile.price.estimate)
        true.append(taste.price_sensitivity)
        liked = {brand for brand, weight in taste.brands.items() if weight > 1}
        brands.append(profile.brands[0].value in liked)
        departments.append(profile.departments[0].value in taste.categories)
    assert len(true) >= 60
    assert np.corrcoef(estimated, true)[0, 1] > 0.3
    assert np.mean(brands) > 0.55 and np.mean(departments) > 0.85
