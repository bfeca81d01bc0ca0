"""Personal records worked out by hand on the RTS chart (DESIGN.md: %1RM by reps to failure)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from failwise.domain.personal_records import (
    LiftedSet,
    RecordKind,
    personal_records,
    records_broken,
)

NOV_2 = datetime(2026, 11, 2, 18, 0)
NOV_9 = datetime(2026, 11, 9, 18, 0)
NOV_12 = datetime(2026, 11, 12, 18, 0)


def squat(
    at: datetime,
    load: float,
    reps: int,
    rir: float | None = 2,
    *,
    working: bool = True,
    ref: int | None = None,
) -> LiftedSet:
    return LiftedSet("bb-squat", at, load, reps, rir, working=working, ref=ref)


def test_three_fives_at_140_then_eight_at_120() -> None:
    sets = [squat(NOV_2, 140, 5, ref=i) for i in (1, 2, 3)] + [squat(NOV_9, 120, 8, ref=4)]
    records = personal_records(sets)["bb-squat"]
    # 5 @ RIR 2 = 7 reps to failure = 81.1 %: 140 / 0.811 = 172.6 kg. 8 @ RIR 2 = 10 to
    # failure = 73.9 %: 120 / 0.739 = 162.4 kg, lower. The first of the three fives holds it.
    assert records.e1rm is not None
    assert records.e1rm.e1rm == pytest.approx(172.63, abs=0.01)
    assert records.e1rm.set.ref == 1
    assert records.e1rm.set.performed_at == NOV_2
    assert [(r.load, r.reps, r.set.performed_at) for r in records.reps] == [
        (140, 5, NOV_2),
        (120, 8, NOV_9),
    ]
    assert records.heaviest is not None
    assert (records.heaviest.load, records.heaviest.ref) == (140, 1)
    assert records.sets == 4


def test_a_warm_up_at_180_is_not_a_load_record() -> None:
    sets = [squat(NOV_2, 140, 5), squat(NOV_9, 180, 1, None, working=False)]
    records = personal_records(sets)["bb-squat"]
    assert records.heaviest is not None and records.heaviest.load == 140
    assert records.e1rm is not None and records.e1rm.e1rm == pytest.approx(172.63, abs=0.01)
    assert [r.load for r in records.reps] == [140]
    assert records.sets == 1


def test_only_warm_ups_make_no_records() -> None:
    assert personal_records([squat(NOV_2, 60, 5, working=False)]) == {}


def test_a_set_without_rir_is_taken_at_failure_as_every_e1rm_is() -> None:
    # 100 × 10, no RIR: 10 to failure = 73.9 %, 135.3 kg (a lower bound). 110 × 5 @ RIR 2:
    # 7 to failure = 81.1 %, 135.6 kg, beats it. Read at RIR 2 the tens would be 147.1.
    records = personal_records([squat(NOV_2, 100, 10, None), squat(NOV_9, 110, 5, 2)])
    best = records["bb-squat"].e1rm
    assert best is not None
    assert best.e1rm == pytest.approx(135.64, abs=0.01)
    assert best.set.performed_at == NOV_9


def test_the_lifters_calibration_corrects_the_call() -> None:
    # Called RIR 2, true RIR 3: 8 to failure = 78.6 %, 140 / 0.786 = 178.1 kg.
    def one_more(rir: float, reps: int | None = None, /) -> float:
        return rir + 1

    records = personal_records([squat(NOV_2, 140, 5)], corrections=lambda _: one_more)
    best = records["bb-squat"].e1rm
    assert best is not None and best.e1rm == pytest.approx(178.12, abs=0.01)


def test_a_record_is_kept_by_the_first_set_to_reach_it() -> None:
    records = personal_records([squat(NOV_2, 140, 5, ref=1), squat(NOV_9, 140, 5, ref=2)])
    best = records["bb-squat"]
    assert best.e1rm is not None and best.e1rm.set.ref == 1
    assert best.reps[0].set.ref == 1


def test_bodyweight_sets_keep_rep_records_and_no_e1rm() -> None:
    pull_up = [LiftedSet("pull-up", NOV_2, 0, 8), LiftedSet("pull-up", NOV_9, 0, 11)]
    records = personal_records(pull_up)["pull-up"]
    assert records.e1rm is None and records.heaviest is None
    assert [(r.load, r.reps, r.set.performed_at) for r in records.reps] == [(0, 11, NOV_9)]


def test_a_pound_load_is_one_load_logged_or_imported() -> None:
    # 225 lb: 102.058 kg as the log stores it, 102.05828 as an import converts it.
    records = personal_records([squat(NOV_2, 102.058, 5), squat(NOV_9, 102.05828, 6)])
    assert [(r.load, r.reps) for r in records["bb-squat"].reps] == [(102.05828, 6)]


def test_the_set_just_done_against_the_records_before_it() -> None:
    before = personal_records([squat(NOV_2, 140, 5), squat(NOV_2, 120, 8)])["bb-squat"]

    def broken(lifted: LiftedSet) -> list[tuple[RecordKind, float, float]]:
        return [
            (r.kind, round(r.value, 1), round(r.previous, 1))
            for r in records_broken(lifted, before)
        ]

    # 140 × 6 @ RIR 2: 8 to failure = 78.6 %, 178.1 kg against 172.6, and 6 reps at 140
    # against 5.
    assert broken(squat(NOV_9, 140, 6)) == [
        (RecordKind.E1RM, 178.1, 172.6),
        (RecordKind.REPS, 6, 5),
    ]
    # 142.5 × 5 @ RIR 2: 142.5 / 0.811 = 175.7 kg, and the heaviest; no rep record at a load
    # never lifted before.
    assert broken(squat(NOV_9, 142.5, 5)) == [
        (RecordKind.E1RM, 175.7, 172.6),
        (RecordKind.HEAVIEST, 142.5, 140),
    ]
    # 120 × 9 @ RIR 2: a rep record at 120; 11 to failure = 70.7 %, 169.7 kg, no e1RM record.
    assert broken(squat(NOV_9, 120, 9)) == [(RecordKind.REPS, 9, 8)]
    assert broken(squat(NOV_9, 140, 5)) == []
    assert broken(squat(NOV_9, 200, 5, working=False)) == []
    assert records_broken(squat(NOV_9, 140, 6), None) == ()


lifted_sets = st.lists(
    st.builds(
        LiftedSet,
        exercise_id=st.sampled_from(["bb-squat", "bb-bench"]),
        performed_at=st.just(NOV_12),
        load=st.sampled_from([0.0, 60.0, 100.0, 102.5, 140.0]),
        reps=st.integers(1, 12),
        rir=st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.5, 4.0])),
        working=st.booleans(),
        ref=st.integers(1, 10**6),
    ),
    max_size=40,
)


@given(lifted_sets, st.integers(0, 40))
def test_records_read_in_chunks_are_the_records_read_at_once(
    sets: list[LiftedSet], split: int
) -> None:
    first = personal_records(sets[:split])
    assert personal_records(sets[split:], earlier=first) == personal_records(sets)
