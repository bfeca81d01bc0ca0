"""The flat public API of ``import failwise`` stays what it says."""

from __future__ import annotations

import failwise


def test_all_names_exist_once() -> None:
    for name in failwise.__all__:
        assert hasattr(failwise, name), name
    assert len(set(failwise.__all__)) == len(failwise.__all__)


def test_a_lifter_can_decide_a_set_from_the_top_level() -> None:
    squat = failwise.builtin_catalog().resolve("Squat (Barbell)")
    result = failwise.prescribe(failwise.SetContext(exercise=squat, spotter=False))
    assert result.failure is failwise.FailurePolicy.NEVER
    load = failwise.round_to_increment(failwise.load_for(180, 5, 3, "rts"), squat.increment_kg)
    assert load == 142.5  # 8RM on the RTS chart: 78.6% of 180 kg = 141.5 kg → 142.5
