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


def test_a_lifter_can_see_how_long_a_session_takes_to_recover_from() -> None:
    bench = failwise.builtin_catalog().resolve("Bench Press (Barbell)")
    to_failure = [failwise.WorkSet(bench, 10, 0)] * 3
    three_in_reserve = [failwise.WorkSet(bench, 10, 3)] * 3
    assert round(failwise.session_recovery_hours(to_failure), 1) == 48.0
    assert round(failwise.session_recovery_hours(three_in_reserve), 1) == 17.8


def test_a_lifters_calibration_corrects_a_long_set_by_more_from_the_top_level() -> None:
    corrected = failwise.rir_corrector(failwise.calibrate([]))
    # The population's line: +0.05 on a set of 5, +0.95 at 10, +2.75 at 20 (Halperin 2022).
    assert round(corrected(2, 5), 2) == 2.05 and round(corrected(2, 20), 2) == 4.75
