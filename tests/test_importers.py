"""Reading Strong, Hevy, FitNotes, Liftosaur, Fitbod, StrongLifts, Alpha Progression and JEFIT
exports (tests/data/exports/).

The sample files are written in each app's real format, with the header
lines exactly as the apps write them; the awkward cases real exports have
(quoted commas, empty RPE, failed ``F`` rows, bodyweight rows, float
noise, decimal-comma RPE, CRLF, a byte order mark, pounds, cardio,
malformed rows) are checked on them or on small files written here.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failwise.adapters.importers import (
    DESCRIPTIONS,
    DETECTORS,
    FORMATS,
    detect_format,
    parse,
    read_text,
)
from failwise.domain.errors import InvalidInput
from failwise.services.accounts import Accounts
from failwise.services.imports import HistoryImporter, ImportedSet, ParsedFile
from failwise.services.records import SetType
from failwise.services.training import Coach
from failwise.services.workouts import Workouts
from failwise.storage.database import Database

EXPORTS = Path(__file__).parent / "data" / "exports"

# The headers exactly as the apps write them in their exports.
STRONG_HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
    "Notes,Workout Notes,RPE"
)
STRONG_SEMICOLON_HEADER = (
    '"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";'
    '"Weight (kg)";"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"'
)
STRONG_2019_HEADER = (
    "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;"
    "Distance Unit;Seconds;Notes;Workout Notes"
)
HEVY_HEADER = (
    '"title","start_time","end_time","description","exercise_title","superset_id",'
    '"exercise_notes","set_index","set_type","weight_kg","reps","distance_km",'
    '"duration_seconds","rpe"'
)
HEVY_LBS_HEADER = HEVY_HEADER.replace("weight_kg", "weight_lbs").replace(
    "distance_km", "distance_miles"
)
FITNOTES_OLD_HEADER = "Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time"
FITNOTES_NEW_HEADER = "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time"
LIFTOSAUR_HEADER = (
    "Workout DateTime, Program, Day Name, Exercise, Is Warmup Set?, Required Reps, "
    "Completed Reps, Is AMRAP?, Required RPE, Completed RPE, Log RPE?, Required Weight Value, "
    "Required Weight Unit, Completed Weight Value, Completed Weight Unit, Ask Weight?, "
    "Completed Reps Time, Target Muscles, Synergist Muscles, Notes"
)
FITBOD_HEADER = (
    "Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,isWarmup,Note,"
    "multiplier"
)
STRONGLIFTS_KG_HEADER = (
    "Date (yyyy/mm/dd),Workout,Workout Name,Program Name,Body Weight (KG),Exercise,Sets×Reps,"
    "Sets×Time,Top Set (Reps×KG),e1RM (KG),Reps,Volume (KG),Workout Volume (KG),"
    "Duration (hours),Start Time (h:mm),End Time (h:mm),Notes,"
    + ",".join(f"Set {n} (Reps),Set {n} (KG)" for n in range(1, 6))
)
STRONGLIFTS_LB_HEADER = STRONGLIFTS_KG_HEADER.replace("KG)", "LB)")
# Alpha Progression's file has no header: it opens with its first session's.
ALPHA_KG_HEADER = '"Push · Day 1 · Week 3 · Push-Pull-Legs";"2026-03-02 18:05 h";"1:04 hr"'
ALPHA_LB_HEADER = '"Upper · Day 1 · Week 1 · Upper-Lower";"2026-04-06 6:15 h";"1:01 hr"'
JEFIT_HEADER = "### SETTING ##########################################"

SAMPLES = {
    "strong_2023.csv": ("strong", STRONG_HEADER),
    "strong_2025.csv": ("strong-semicolon", STRONG_SEMICOLON_HEADER),
    "strong_2019.csv": ("strong-2019", STRONG_2019_HEADER),
    "hevy_kg.csv": ("hevy", HEVY_HEADER),
    "hevy_lbs.csv": ("hevy", HEVY_LBS_HEADER),
    "fitnotes_old.csv": ("fitnotes", FITNOTES_OLD_HEADER),
    "fitnotes_new.csv": ("fitnotes", FITNOTES_NEW_HEADER),
    "liftosaur.csv": ("liftosaur", LIFTOSAUR_HEADER),
    "fitbod.csv": ("fitbod", FITBOD_HEADER),
    "stronglifts_kg.csv": ("stronglifts", STRONGLIFTS_KG_HEADER),
    "stronglifts_lb.csv": ("stronglifts", STRONGLIFTS_LB_HEADER),
    "alpha_progression_kg.csv": ("alphaprogression", ALPHA_KG_HEADER),
    "alpha_progression_lb.csv": ("alphaprogression", ALPHA_LB_HEADER),
    "jefit_kg.csv": ("jefit", JEFIT_HEADER),
    "jefit_lb.csv": ("jefit", JEFIT_HEADER),
}


def sample(name: str, **options: str) -> ParsedFile:
    return parse(read_text((EXPORTS / name).read_bytes()), **options)


def by_line(parsed: ParsedFile) -> dict[int, ImportedSet]:
    return {found.line: found for found in parsed.sets}


def reasons(parsed: ParsedFile) -> dict[int, str]:
    return {problem.line: problem.reason for problem in parsed.problems}


# --- every sample -------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [(n, f) for n, (f, _) in SAMPLES.items()])
def test_each_sample_is_detected_and_read_without_problems(name: str, expected: str) -> None:
    text = read_text((EXPORTS / name).read_bytes())
    assert detect_format(text.split("\n", 1)[0]) == expected
    parsed = parse(text)
    assert parsed.format == expected
    assert parsed.problems == []
    assert len(parsed.sets) >= 10
    assert len({found.workout_start for found in parsed.sets}) >= 3  # several workouts
    span = max(f.workout_start for f in parsed.sets) - min(f.workout_start for f in parsed.sets)
    assert span.days >= 6  # over more than a week


@pytest.mark.parametrize(("name", "expected"), [(n, f) for n, (f, _) in SAMPLES.items()])
def test_only_the_importer_of_a_format_knows_its_header(name: str, expected: str) -> None:
    """Each importer owns its header detection: one detector names a sample, none other."""
    first = read_text((EXPORTS / name).read_bytes()).splitlines()[0]
    named = [found for detect in DETECTORS if (found := detect(first)) is not None]
    assert named == [expected]


@pytest.mark.parametrize(("name", "header"), [(n, h) for n, (_, h) in SAMPLES.items()])
def test_the_samples_use_the_headers_of_design_md(name: str, header: str) -> None:
    first = read_text((EXPORTS / name).read_bytes()).splitlines()[0]
    assert first == header


@pytest.mark.parametrize("name", SAMPLES)
def test_crlf_and_a_byte_order_mark_change_nothing(name: str) -> None:
    text = read_text((EXPORTS / name).read_bytes()).replace("\r\n", "\n")
    windows = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    assert read_text(windows) == text.replace("\n", "\r\n")
    # the parsers take CRLF line endings and a BOM too, with the same line numbers
    assert parse(read_text(windows)) == parse(text)
    assert parse("\ufeff" + text.replace("\n", "\r\n")) == parse(text)


@pytest.mark.parametrize("name", SAMPLES)
def test_the_named_format_reads_the_same_as_detection(name: str) -> None:
    expected, _ = SAMPLES[name]
    text = read_text((EXPORTS / name).read_bytes())
    assert parse(text, format=expected) == parse(text)


@pytest.mark.parametrize("name", SAMPLES)
def test_loads_are_clean_kilograms(name: str) -> None:
    for found in sample(name).sets:
        for load in (found.load_kg, found.target_load_kg):
            assert load is None or (math.isfinite(load) and round(load, 3) == load)


def test_set_indices_count_from_zero_per_exercise_per_workout() -> None:
    for name in SAMPLES:
        groups: dict[tuple[datetime, str], list[int]] = {}
        for found in sample(name).sets:
            groups.setdefault((found.workout_start, found.exercise_name), []).append(
                found.set_index
            )
        for indices in groups.values():
            assert indices == list(range(len(indices))), name


# --- Strong, comma format (2020–2024) -------------------------------------------


def test_strong_maps_set_orders_rpe_and_the_workout() -> None:
    sets = by_line(sample("strong_2023.csv"))
    warm_up, first = sets[2], sets[4]
    assert warm_up.set_type is SetType.WARM_UP and warm_up.rir is None
    assert first.workout_start == datetime(2023, 10, 2, 18, 4, 12)
    assert first.workout_end == datetime(2023, 10, 2, 19, 16, 12)  # Duration 1h 12m
    assert first.workout_name == "Push, heavy"  # a quoted comma
    assert first.workout_notes == "Slept 6h, felt ok\nLeft shoulder a bit tight"
    assert (first.exercise_name, first.load_kg, first.reps, first.rir) == (
        "Bench Press (Barbell)",
        100.0,
        5,
        2.0,
    )
    assert sets[6].rir == 1.5 and sets[8].rir == 0.5  # RPE 8.5 and 9.5
    # The RPE as logged stays in the notes, beside the RIR it was read as.
    assert sets[8].notes == 'Grip slipped on rep 4, "shorter" arch next time · RPE 9.5 (0.5 RIR)'
    assert sets[10].rir is None  # RPE left blank
    assert sets[12].set_type is SetType.WORKING and sets[12].to_failure
    assert sets[14].set_type is SetType.DROP and not sets[14].to_failure
    assert [sets[line].set_index for line in (2, 4, 6, 8)] == [0, 1, 2, 3]
    assert sets[35].workout_end == datetime(2023, 10, 9, 19, 48, 55)  # Duration 1h 38m


def test_strong_lines_follow_quoted_fields_across_lines() -> None:
    parsed = sample("strong_2023.csv")
    # Each row of the first workout spans two lines (its workout notes hold a newline).
    assert [found.line for found in parsed.sets[:8]] == [2, 4, 6, 8, 10, 12, 14, 16]
    assert parsed.sets[8].line == 18


def test_strong_keeps_a_failed_rep_float_noise_bodyweight_and_cardio() -> None:
    sets = by_line(sample("strong_2023.csv"))
    assert sets[19].load_kg == 150.0  # written 149.99999999999997
    failed = sets[21]
    assert (failed.reps, failed.load_kg, failed.to_failure) == (0, 160.0, True)
    assert failed.set_type is SetType.WORKING and not failed.is_cardio
    plank = sets[23]
    assert (plank.load_kg, plank.reps, plank.seconds, plank.distance_m) == (None, None, 60.0, None)
    assert all(sets[line].load_kg is None for line in (24, 25, 26))  # Pull Up, empty weight
    assert sets[26].rir == 0.0
    run = sets[30]
    assert run.is_cardio
    assert (run.load_kg, run.reps, run.distance_m, run.seconds) == (None, None, 5000.0, 1800.0)
    assert sets[2].distance_m is None and sets[2].seconds is None  # Strong writes 0 for none


def test_strong_weights_are_in_the_unit_the_lifter_displays() -> None:
    pounds = by_line(sample("strong_2023.csv", unit="lb"))
    assert pounds[4].load_kg == 45.359  # 100 lb
    assert pounds[30].distance_m == 8046.72  # 5 miles
    assert by_line(sample("strong_2023.csv", unit="kg"))[4].load_kg == 100.0


def test_strong_without_the_notes_columns() -> None:
    text = (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,RPE\n"
        "2022-06-01 07:00:00,Morning,45m,Squat (Barbell),1,120,5,0,0,8\n"
        "2022-06-01 07:00:00,Morning,45m,Squat (Barbell),2,120,5,0,0,\n"
    )
    parsed = parse(text)
    assert parsed.format == "strong" and parsed.problems == []
    assert [(s.load_kg, s.rir, s.notes) for s in parsed.sets] == [
        (120.0, 2.0, "RPE 8 (2 RIR)"),
        (120.0, None, ""),
    ]
    assert parsed.sets[0].workout_end == datetime(2022, 6, 1, 7, 45)


def test_strong_reads_a_twelve_hour_clock() -> None:
    text = STRONG_HEADER + "\n2024-05-11 5:10:05\u202fPM,Evening,45m,Pull Up,1,,8,0,0,,,\n"
    (found,) = parse(text).sets
    assert found.workout_start == datetime(2024, 5, 11, 17, 10, 5)


# --- Strong, newest (semicolons) and 2019 -------------------------------------


def test_strong_semicolon_full_precision_decimal_comma_and_rest_timers() -> None:
    parsed = sample("strong_2025.csv")
    sets = by_line(parsed)
    assert sets[3].load_kg == 102.058  # "102.05828325": 225 lb at full precision
    assert sets[5].rir == 1.5  # RPE "8,5"
    assert sets[12].rir == 2.5  # RPE "7,5"
    assert sets[3].workout_end == datetime(2025, 1, 6, 19, 11, 31)  # 4380 s
    assert [problem.line for problem in parsed.skipped] == [4]  # the Rest Timer row
    assert 4 not in sets
    assert [sets[line].set_index for line in (2, 3, 5, 6)] == [0, 1, 2, 3]
    failed = sets[6]
    assert (failed.reps, failed.to_failure, failed.notes) == (0, True, "Missed it; spotter took it")
    assert sets[10].set_type is SetType.DROP
    assert sets[15].load_kg is None  # Chin Up, no weight
    bike = sets[16]
    assert (bike.distance_m, bike.seconds, bike.reps, bike.load_kg) == (8046.72, 1200.0, None, None)


def test_strong_semicolon_in_pounds() -> None:
    header = STRONG_SEMICOLON_HEADER.replace("Weight (kg)", "Weight (lbs)")
    text = (
        header
        + '\n"1";"2024-07-05 07:30:00";"Legs";"3600";"Squat (Barbell)";"1";"225";"5";"8";'
        + '"0";"0";"";""\n'
    )
    (found,) = parse(text).sets
    assert (found.load_kg, found.rir, found.distance_m, found.seconds) == (102.058, 2.0, None, None)


def test_strong_2019_reads_a_unit_on_every_row() -> None:
    sets = by_line(sample("strong_2019.csv"))
    assert sets[4].load_kg == 100.0 and sets[4].rir == 1.5
    assert sets[5].load_kg == 61.235  # 135 lbs
    assert sets[5].notes == "Belt on; felt solid"  # a quoted semicolon
    assert sets[9].load_kg is None and sets[9].reps == 12  # Dip, bodyweight
    run = sets[10]
    assert (run.distance_m, run.seconds, run.reps) == (3200.0, 1200.0, None)
    assert sets[7].workout_notes == "New gym, 20 kg bar"


# --- Hevy ----------------------------------------------------------------------


def test_hevy_maps_dates_set_types_and_effort() -> None:
    sets = by_line(sample("hevy_kg.csv"))
    first = sets[2]
    assert first.workout_start == datetime(2026, 4, 6, 17, 18)
    assert first.workout_end == datetime(2026, 4, 6, 18, 32)
    assert first.workout_name == "Push" and first.workout_notes == "Felt strong, slept 8h"
    assert first.notes == "Pause on the chest, 1 s"
    assert first.set_type is SetType.WARM_UP
    assert sets[3].rir == 2.0 and sets[4].rir == 1.5
    failed = sets[5]
    assert (failed.reps, failed.to_failure, failed.set_type) == (0, True, SetType.WORKING)
    assert sets[7].to_failure and sets[7].rir == 0.0
    assert sets[8].set_type is SetType.DROP


def test_hevy_bodyweight_timed_and_cardio_rows() -> None:
    sets = by_line(sample("hevy_kg.csv"))
    pull_up = sets[10]
    assert (pull_up.load_kg, pull_up.reps) == (None, 10)
    assert pull_up.notes == "Strict, dead hang\nthen a 2 s negative"
    assert sets[12].line == 12 and sets[12].rir == 0.5  # after a two-line note
    plank = sets[16]
    assert (plank.load_kg, plank.reps, plank.seconds) == (None, None, 60.0)
    treadmill = sets[21]
    assert treadmill.is_cardio and (treadmill.distance_m, treadmill.seconds) == (2500.0, 900.0)


def test_hevy_in_pounds_with_a_bom_crlf_and_us_dates() -> None:
    raw = (EXPORTS / "hevy_lbs.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # saved on Windows
    sets = by_line(sample("hevy_lbs.csv"))
    assert sets[2].workout_start == datetime(2026, 3, 2, 18, 5)  # "Mar 2, 2026, 6:05 PM"
    assert sets[8].workout_start == datetime(2026, 3, 4, 6, 30)  # "... 6:30 AM"
    assert sets[3].load_kg == 102.058  # 225 lb
    assert sets[4].rir == 1.5  # "8,5"
    assert sets[5].load_kg == 68.039  # 149.99999999999997 lb
    assert sets[11].distance_m == 2414.016  # 1.5 miles
    assert sets[13].load_kg is None


def test_hevy_accepts_iso_dates_and_reports_an_unknown_set_type() -> None:
    text = (
        HEVY_HEADER
        + '\n"Legs","2026-07-15 08:00:00","2026-07-15 09:00:00","","Squat (Barbell)",,"",'
        + '0,"normal",140,5,,,8'
        + '\n"Legs","2026-07-15 08:00:00","2026-07-15 09:00:00","","Squat (Barbell)",,"",'
        + '1,"superset",140,5,,,'
    )
    parsed = parse(text)
    assert [found.workout_start for found in parsed.sets] == [datetime(2026, 7, 15, 8, 0)] * 2
    assert parsed.sets[1].set_type is SetType.WORKING
    assert reasons(parsed) == {
        3: "set_type 'superset' is not normal, warmup, dropset or failure: "
        "the set is imported as a working set"
    }


def test_an_exercise_done_twice_in_a_workout_keeps_counting() -> None:
    workout = '"Arms","6 Apr 2026, 17:18","6 Apr 2026, 18:00",""'
    rows = [
        workout + ',"Bicep Curl (Cable)",,"",0,"normal",25,12,,,',
        workout + ',"Triceps Pushdown",,"",0,"normal",30,12,,,',
        workout + ',"Bicep Curl (Cable)",,"",0,"normal",20,12,,,',
    ]
    parsed = parse("\n".join([HEVY_HEADER, *rows]))
    assert [(s.exercise_name, s.set_index) for s in parsed.sets] == [
        ("Bicep Curl (Cable)", 0),
        ("Triceps Pushdown", 0),
        ("Bicep Curl (Cable)", 1),
    ]


# --- FitNotes ------------------------------------------------------------------


def test_fitnotes_old_header_is_in_pounds_and_numbers_sets_per_day() -> None:
    parsed = sample("fitnotes_old.csv")
    sets = by_line(parsed)
    bench = sets[3]
    assert bench.workout_start == datetime(2021, 3, 1, 12, 0)  # the day, at noon
    assert bench.workout_name == "Chest / Triceps"
    assert (bench.exercise_name, bench.load_kg, bench.reps, bench.rir) == (
        "Flat Barbell Bench Press",
        83.915,
        5,
        None,
    )
    assert [sets[line].set_index for line in (2, 3, 4, 5)] == [0, 1, 2, 3]
    assert sets[17].set_index == 0  # a new day starts again
    treadmill = sets[12]
    assert (treadmill.distance_m, treadmill.seconds, treadmill.reps, treadmill.load_kg) == (
        4988.966,
        1800.0,
        None,
        None,
    )
    assert sets[14].load_kg is None and sets[14].reps == 10  # Pull Up


def test_fitnotes_new_header_reads_the_unit_of_each_row() -> None:
    sets = by_line(sample("fitnotes_new.csv"))
    assert sets[3].load_kg == 80.0  # kgs
    assert sets[9].load_kg == 181.437  # 400 lbs
    assert sets[13].load_kg == 68.039  # 149.99999999999997 lbs
    plank = sets[10]
    assert (plank.seconds, plank.reps, plank.load_kg) == (60.0, None, None)
    bike = sets[14]
    assert (bike.distance_m, bike.seconds) == (10000.0, 1500.0)
    assert sets[12].load_kg is None and sets[12].reps == 8  # Chin Up
    assert sets[9].workout_name == "Legs / Abs"


def test_fitnotes_comment_column_becomes_notes() -> None:
    text = (
        FITNOTES_NEW_HEADER
        + ',Comment\n2024-03-15,Barbell Squat,Legs,100.0,kgs,5,,,,"Depth ok, knees out"\n'
    )
    (found,) = parse(text).sets
    assert found.notes == "Depth ok, knees out"


# --- Liftosaur -----------------------------------------------------------------


def test_liftosaur_reads_target_and_achieved_effort() -> None:
    parsed = sample("liftosaur.csv")
    sets = by_line(parsed)
    squat = sets[3]
    assert squat.exercise_name == "Squat, Barbell"
    assert squat.workout_start == datetime(2026, 2, 2, 17, 30, 5, 123000)  # naive UTC
    assert squat.workout_name == "Day 1 (GZCLP)"
    assert (squat.reps, squat.rir, squat.load_kg) == (3, 2.0, 102.058)
    assert (squat.target_reps, squat.target_rir, squat.target_load_kg) == (3, 2.0, 102.058)
    assert squat.logged_at == datetime(2026, 2, 2, 17, 38, 41)
    amrap = sets[5]
    assert (amrap.reps, amrap.target_reps, amrap.rir, amrap.target_rir) == (5, 3, 0.0, 1.0)
    assert amrap.notes == "AMRAP: 5, grinder on the last · RPE 10 (0 RIR) · target RPE 9 (1 RIR)"
    assert sets[2].set_type is SetType.WARM_UP
    heavier = sets[13]  # lifted more than the program asked
    assert (heavier.load_kg, heavier.target_load_kg) == (86.183, 83.915)
    assert [problem.line for problem in parsed.skipped] == [8]  # planned, never done
    assert [s.set_index for s in parsed.sets if s.exercise_name == "Bench Press, Barbell"] == [
        0,
        1,
        0,
    ]


def test_liftosaur_header_without_spaces_after_commas() -> None:
    text = (
        LIFTOSAUR_HEADER.replace(", ", ",")
        + "\n2026-03-01T10:00:00.000Z,My Program,Day 1,Squat,0,5,5,0,,,0,225,lb,225,lb,0,"
        "2026-03-01T10:05:00.000Z,,,\n"
    )
    (found,) = parse(text).sets
    assert (found.load_kg, found.reps, found.workout_name) == (102.058, 5, "Day 1 (My Program)")


def test_liftosaur_rpe_off_the_scale_keeps_the_set() -> None:
    row = (
        '2026-02-04T17:45:00.000Z,GZCLP,Day 2,"Deadlift, Barbell",0,10,10,0,12,7.3,1,'
        "185,lb,185,lb,0,2026-02-04T18:01:00.000Z,,,"
    )
    parsed = parse(LIFTOSAUR_HEADER + "\n" + row + "\n")
    (found,) = parsed.sets
    assert (found.reps, found.rir, found.target_rir) == (10, None, None)
    assert sorted(reasons_list(parsed)) == [
        "Completed RPE '7.3' is not on the RPE scale (0 to 10 in half steps): "
        "the set is imported without RIR",
        "Required RPE '12' is not on the RPE scale (0 to 10 in half steps): "
        "the set is imported without target RIR",
    ]
    assert {problem.line for problem in parsed.problems} == {2}


# --- Fitbod ---------------------------------------------------------------------


def skipped(parsed: ParsedFile) -> dict[int, str]:
    return {problem.line: problem.reason for problem in parsed.skipped}


def test_fitbod_groups_a_days_sets_into_one_workout_and_keeps_warmups() -> None:
    parsed = sample("fitbod.csv")
    sets = by_line(parsed)
    squat_warmup, squat = sets[2], sets[3]
    assert squat_warmup.set_type is SetType.WARM_UP and squat.set_type is SetType.WORKING
    assert (squat.exercise_name, squat.load_kg, squat.reps, squat.rir) == (
        "Barbell Squat",
        100.0,
        5,
        None,
    )
    assert sets[4].notes == "Belt on, felt solid"  # a quoted comma
    # Each set of 5 Jan keeps its own moment; the workout starts at the first, in UTC.
    deadlifts = [sets[line] for line in (9, 10, 11)]
    assert {d.workout_start for d in deadlifts} == {datetime(2026, 1, 5, 6, 30)}
    assert [d.logged_at for d in deadlifts] == [
        datetime(2026, 1, 5, 6, 30),
        datetime(2026, 1, 5, 6, 33, 40),
        datetime(2026, 1, 5, 6, 37, 5),
    ]
    assert [d.set_index for d in deadlifts] == [0, 1, 2]
    assert deadlifts[2].load_kg == 150.0  # written 149.99999999999997
    assert len({found.workout_start for found in parsed.sets}) == 3


def test_fitbod_bodyweight_cardio_and_empty_rows() -> None:
    parsed = sample("fitbod.csv")
    sets = by_line(parsed)
    assert (sets[7].exercise_name, sets[7].load_kg, sets[7].reps) == ("Push Up", None, 15)
    run = sets[8]
    assert run.is_cardio and (run.distance_m, run.seconds, run.load_kg) == (3000.0, 1200.0, None)
    assert sets[12].is_cardio and sets[12].seconds == 60.0  # a plank: a timed hold
    assert sets[18].is_cardio and sets[18].notes == "Easy spin"
    assert 14 not in sets
    assert skipped(parsed) == {14: "an empty set (no reps, time or distance): nothing to import"}
    # Fitbod writes 0 for no time and no distance on a strength set.
    assert sets[3].distance_m is None and sets[3].seconds is None
    assert sets[5].load_kg == 22.68  # one dumbbell of a pair (multiplier 2), as the app shows


def test_fitbod_reports_a_warmup_flag_it_cannot_read_and_keeps_the_set() -> None:
    row = "2026-01-02 18:04:12 +0000,Deadlift,5,100,0,0,0,0,maybe,,1"
    parsed = parse(f"{FITBOD_HEADER}\n{row}\n")
    (found,) = parsed.sets
    assert found.set_type is SetType.WORKING and found.load_kg == 100.0
    assert reasons(parsed) == {
        2: "isWarmup 'maybe' is not true or false: the set is imported as a working set"
    }


# --- StrongLifts 5×5 ----------------------------------------------------------


def sets_of(parsed: ParsedFile, line: int) -> list[ImportedSet]:
    return [found for found in parsed.sets if found.line == line]


def test_stronglifts_reads_every_set_of_a_wide_row() -> None:
    parsed = sample("stronglifts_kg.csv")
    squat = sets_of(parsed, 2)
    assert [(s.set_index, s.load_kg, s.reps) for s in squat] == [(i, 60.0, 5) for i in range(5)]
    first = squat[0]
    assert (first.exercise_name, first.workout_name) == ("Squat", "Workout A")
    assert first.workout_start == datetime(2026, 3, 2, 18, 5)  # Start Time 6:05 PM
    assert first.workout_end == datetime(2026, 3, 2, 18, 50)
    assert first.rir is None and first.set_type is SetType.WORKING
    bench = sets_of(parsed, 3)
    assert [s.reps for s in bench] == [5, 5, 5, 4, 3]
    assert bench[0].notes == "Grip a finger wider, next time"
    assert sets_of(parsed, 5)[0].workout_start == datetime(2026, 3, 4, 7, 10)  # 7:10 am


def test_stronglifts_sets_not_done_failed_and_bodyweight() -> None:
    parsed = sample("stronglifts_kg.csv")
    # Barbell Row 5/5/5/5/-: the fifth set was not done, and is not a set.
    assert [s.reps for s in sets_of(parsed, 4)] == [5, 5, 5, 5]
    assert skipped(parsed)[4] == "set 5 was not done ('-' in Sets×Reps): not a set"
    # Overhead Press 5/5/5/5/0: the fifth was attempted and failed, 0 reps at 30 kg.
    failed = sets_of(parsed, 6)[4]
    assert (failed.reps, failed.load_kg) == (0, 30.0)
    # A deadlift of one set leaves the other set columns empty: they were never sets.
    assert [(s.reps, s.load_kg) for s in sets_of(parsed, 7)] == [(5, 100.0)]
    # Pull-ups at 0 kg are bodyweight.
    assert [(s.reps, s.load_kg) for s in sets_of(parsed, 8)] == [(8, None), (6, None), (5, None)]
    # An exercise skipped altogether.
    assert sets_of(parsed, 10) == []
    assert skipped(parsed)[10] == "no set of this exercise has reps: nothing to import"


def test_stronglifts_workout_times() -> None:
    parsed = sample("stronglifts_kg.csv")
    late = sets_of(parsed, 9)[0]
    assert late.workout_start == datetime(2026, 3, 6, 23, 50)
    assert late.workout_end == datetime(2026, 3, 7, 0, 44)  # past midnight: the next day
    no_times = sets_of(parsed, 11)[0]
    assert (no_times.workout_start, no_times.workout_end) == (datetime(2026, 3, 9, 12, 0), None)
    header = "Date (yyyy/mm/dd),Exercise,Duration (hours),Start Time (h:mm),Set 1 (Reps),Set 1 (KG)"
    parsed = parse(f"{header}\n2026/03/02,Squat,0.5,7:00 PM,5,100\n2026/03/03,Squat,,soon,5,100\n")
    first, second = parsed.sets
    assert first.workout_end == datetime(2026, 3, 2, 19, 30)  # from Duration (hours)
    assert second.workout_start == datetime(2026, 3, 3, 12, 0)
    assert reasons(parsed) == {
        3: "Start Time (h:mm) 'soon' is not a time like 6:05 PM: "
        "the workout is taken to start at 12:00"
    }


def test_stronglifts_in_pounds_five_sets_of_five_at_135_lb_are_61_2_kg() -> None:
    parsed = sample("stronglifts_lb.csv")
    squat = sets_of(parsed, 2)
    assert [(s.reps, s.load_kg) for s in squat] == [(5, 61.235)] * 5  # 135 lb
    assert [s.load_kg for s in sets_of(parsed, 6)] == [29.484] * 5  # 65 lb
    assert [(s.reps, s.load_kg) for s in sets_of(parsed, 7)] == [(8, None), (6, None)]
    assert skipped(parsed) == {
        4: "set 5 was not done ('-' in Sets×Reps): not a set",
        9: "no set of this exercise has reps: nothing to import",
    }
    raw = (EXPORTS / "stronglifts_lb.csv").read_bytes()
    assert b"\r\n" in raw  # written with Windows line endings


def test_stronglifts_keeps_the_lifters_body_weight_once_a_day() -> None:
    # Every exercise row of a workout repeats the body weight: one a day is kept.
    kg = sample("stronglifts_kg.csv").body_weights
    assert [(w.day.isoformat(), w.kg) for w in kg] == [
        ("2026-03-02", 82.5),
        ("2026-03-04", 82.6),
        ("2026-03-06", 82.4),
        ("2026-03-09", 82.5),
    ]
    assert [w.line for w in kg] == [2, 5, 9, 11]
    lb = sample("stronglifts_lb.csv").body_weights
    assert [(w.day.isoformat(), w.kg) for w in lb] == [
        ("2026-04-02", 82.327),  # 181.5 lb
        ("2026-04-04", 82.463),
        ("2026-04-09", 82.191),
    ]


def test_a_stronglifts_body_weight_no_lifter_weighs_is_reported_and_the_sets_kept() -> None:
    header = "Date (yyyy/mm/dd),Body Weight (KG),Exercise,Set 1 (Reps),Set 1 (KG)"
    text = (
        f"{header}\n2026/03/02,8250,Squat,5,100\n2026/03/02,8250,Bench Press,5,60\n"
        "2026/03/04,heavy,Squat,5,100\n2026/03/06,,Squat,5,100\n2026/03/06,82.4,Squat,5,100\n"
    )
    parsed = parse(text)
    assert len(parsed.sets) == 5
    assert [(w.line, w.kg) for w in parsed.body_weights] == [(6, 82.4)]
    found = reasons(parsed)
    assert set(found) == {2, 4}  # once for the day, not once per exercise
    assert found[2] == "Body Weight (KG) '8250' is not a body weight (25 to 350 kg): it is not kept"
    assert found[4].endswith(": the body weight is not kept")


def reasons_list(parsed: ParsedFile) -> list[str]:
    return [problem.reason for problem in parsed.problems]


# --- JEFIT -----------------------------------------------------------------------

JEFIT_LOGS = "### EXERCISE LOGS ###\n_id,belongsession,mydate,ename,logs\n"


def test_a_jefit_log_of_100x5_100x5_105x3_on_one_bench_press_is_three_sets() -> None:
    parsed = sample("jefit_kg.csv")
    bench = [found for found in parsed.sets if found.exercise_name == "Barbell Bench Press"]
    assert [(found.load_kg, found.reps) for found in bench] == [(100.0, 5), (100.0, 5), (105.0, 3)]
    assert [found.set_index for found in bench] == [0, 1, 2]
    assert {found.line for found in bench} == {20}  # the row of the exercise log
    # the session's start and end, from WORKOUT SESSIONS, in UTC
    assert bench[0].workout_start == datetime(2026, 1, 5, 7, 30)
    assert bench[0].workout_end == datetime(2026, 1, 5, 8, 30)
    assert all(found.rir is None for found in parsed.sets)  # JEFIT logs no effort


def test_jefit_bodyweight_empty_logs_and_sets_never_done() -> None:
    parsed = sample("jefit_kg.csv")
    pull_ups = [found for found in parsed.sets if found.exercise_name == "Pull Up"]
    assert [(found.load_kg, found.reps) for found in pull_ups] == [(None, 10), (None, 8), (None, 6)]
    dips = [found for found in parsed.sets if found.exercise_name == "Chest Dip"]
    assert [(found.load_kg, found.reps) for found in dips] == [(None, 12), (10.0, 8)]
    assert skipped(parsed) == {
        22: "logs is empty (no set logged; timed and cardio exercises are not read): "
        "nothing to import",
        24: "set 2 has 0 reps (never done): not a set",
    }
    deadlift = [found for found in parsed.sets if found.exercise_name == "Barbell Deadlift"]
    assert [(found.load_kg, found.reps) for found in deadlift] == [(140.0, 5)]


def test_a_jefit_session_starts_at_starttime_its_misspelling_or_noon_of_mydate() -> None:
    starts = {found.exercise_name: found for found in sample("jefit_kg.csv").sets}
    squat = starts["Barbell Squat"]  # only the misspelt starttimie, and total_time
    assert (squat.workout_start, squat.workout_end) == (
        datetime(2026, 1, 7, 18, 10),
        datetime(2026, 1, 7, 18, 55),
    )
    press = starts["Barbell Shoulder Press"]  # a session whose times are 0
    assert (press.workout_start, press.workout_end) == (datetime(2026, 1, 12, 12, 0), None)
    dip = starts["Chest Dip"]  # a session the file does not have
    assert dip.workout_start == datetime(2026, 1, 14, 12, 0)


def test_a_jefit_export_in_pounds_stores_135_lb_squats_as_61_2_kg() -> None:
    parsed = sample("jefit_lb.csv")
    squats = [found for found in parsed.sets if found.exercise_name == "Barbell Squat"]
    assert [(found.load_kg, found.reps) for found in squats] == [(61.235, 5)] * 3
    # The file's unit wins over the lifter's; without one, the lifter's unit is used.
    assert sample("jefit_lb.csv", unit="kg") == parsed
    in_pounds = sample("jefit_kg.csv", unit="lb")
    assert in_pounds.sets[0].load_kg == 45.359  # 100 lb


def test_jefit_reads_only_its_sections_and_keeps_the_lines_of_the_file() -> None:
    text = (
        "### WORKOUT SESSIONS ###\n"
        "_id,starttime\n"
        "1,1767598200\n"
        "### MY ROUTINES ###\n"
        "_id,name,logs\n"
        '1,PPL,"999x1"\n'
        "\n"
        "### EXERCISE LOGS ###\n"
        "\n"
        "_id,belongsession,mydate,ename,logs\n"
        '1,1,2026-01-05,Barbell Squat,"100x5, 102.5 X 4,heavy,110×2,"\n'
    )
    parsed = parse(text)
    assert [(found.line, found.load_kg, found.reps) for found in parsed.sets] == [
        (11, 100.0, 5),
        (11, 102.5, 4),
        (11, 110.0, 2),
    ]
    assert [found.set_index for found in parsed.sets] == [0, 1, 2]
    assert reasons(parsed) == {
        11: "set 3 'heavy' in logs is not a set like 100x5: that set is skipped"
    }


def test_a_jefit_row_without_a_session_or_a_date_is_reported() -> None:
    parsed = parse(
        JEFIT_LOGS + '1,,15/01/2026,Barbell Squat,"100x5"\n' + '2,,2026-01-15,,"100x5"\n'
    )
    assert parsed.sets == []
    assert reasons(parsed) == {
        3: "mydate '15/01/2026' is not a date like 2024-01-15: the row is skipped",
        4: "ename '' is not an exercise name: the row is skipped",
    }


def test_a_jefit_session_time_that_is_not_a_unix_time_is_reported_and_noon_used() -> None:
    text = (
        "### WORKOUT SESSIONS ###\n_id,starttime,endtime\n1,soon,-5\n"
        + JEFIT_LOGS
        + '1,1,2026-01-15,Barbell Squat,"100x5"\n'
    )
    parsed = parse(text)
    assert parsed.sets[0].workout_start == datetime(2026, 1, 15, 12, 0)
    assert parsed.sets[0].workout_end is None
    assert [problem.reason for problem in parsed.problems] == [
        "starttime 'soon' is not a Unix time in seconds: the session is read without it",
        "endtime '-5' is not a Unix time in seconds: the session is read without it",
    ]
    assert {problem.line for problem in parsed.problems} == {3}


def test_a_jefit_export_without_exercise_logs_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="EXERCISE LOGS"):
        parse("### WORKOUT SESSIONS ###\n_id,starttime\n1,1767598200\n")
    with pytest.raises(InvalidInput, match=r"line 2: .*'logs'"):
        parse("### EXERCISE LOGS ###\n_id,ename\n1,Squat\n")


def test_a_jefit_unit_the_file_names_but_failwise_does_not_know_is_reported() -> None:
    text = "### SETTING ###\nweight_unit\nstone\n" + JEFIT_LOGS + '1,,2026-01-15,Squat,"100x5"\n'
    parsed = parse(text, unit="lb")
    assert parsed.sets[0].load_kg == 45.359  # the lifter's unit
    assert reasons(parsed) == {
        3: "weight_unit 'stone' is not a weight unit (kg or lb): "
        "the weights are read in the lifter's unit"
    }


# --- effort off the scale, malformed rows ---------------------------------------


@pytest.mark.parametrize("rpe", ["7.3", "11", "hard", "-1"])
def test_an_rpe_off_the_scale_is_a_problem_and_the_set_stays(rpe: str) -> None:
    text = (
        STRONG_HEADER
        + f'\n2023-10-02 18:04:12,Push,1h,Bench Press (Barbell),1,100,5,0,0,,,"{rpe}"\n'
    )
    parsed = parse(text)
    (found,) = parsed.sets
    assert (found.load_kg, found.reps, found.rir) == (100.0, 5, None)
    assert reasons(parsed) == {
        2: f"RPE {rpe!r} is not on the RPE scale (0 to 10 in half steps): "
        "the set is imported without RIR"
    }


def test_malformed_rows_are_reported_with_their_line_and_reading_goes_on() -> None:
    text = "\n".join(
        [
            STRONG_HEADER,
            '2023-10-02 18:04:12,Push,1h,Bench Press (Barbell),1,100,5,0,0,"Two',
            'lines",,8',  # line 2-3: fine
            "2023-13-45 18:04:12,Push,1h,Bench Press (Barbell),2,100,5,0,0,,,8",  # 4: bad date
            "2023-10-02 18:04:12,Push,1h,Bench Press (Barbell),3,100,five,0,0,,,8",  # 5
            "2023-10-02 18:04:12,Push,1h,Bench Press (Barbell),4,100,5,0,0,,",  # 6: 11 fields
            "",  # 7: blank, skipped
            "2023-10-02 18:04:12,Push,1h,Bench Press (Barbell),5,heavy,5,0,0,,,",  # 8
            "2023-10-02 18:04:12,Push,1h,Bench Press (Barbell),X,100,5,0,0,,,",  # 9
            "2023-10-02 18:04:12,Push,soon,Bench Press (Barbell),6,100,5,0,0,,,",  # 10
            "2023-10-02 18:04:12,Push,1h,Bench Press (Barbell),7,100,5,0,0,,,",  # 11: fine
        ]
    )
    parsed = parse(text)
    assert [found.line for found in parsed.sets] == [2, 10, 11]
    assert parsed.sets[0].notes == "Two\nlines · RPE 8 (2 RIR)"
    assert reasons(parsed) == {
        4: "Date '2023-13-45 18:04:12' is not a date and time like 2023-05-01 18:04:12: "
        "the row is skipped",
        5: "Reps 'five' is not a whole number of 0 or more: the row is skipped",
        6: "expected 12 fields, found 11: the row is skipped",
        8: "Weight 'heavy' is not a number: the row is skipped",
        9: "Set Order 'X' is not a set number, W, D or F: the row is skipped",
        10: "Duration 'soon' is not a duration: the set is imported without the workout's end",
    }
    # A row with a bad value still takes its place in its workout and exercise
    # (lines 5, 8 and 9), so fixing it later does not renumber the sets after it.
    assert [found.set_index for found in parsed.sets] == [0, 4, 5]


def test_an_unclosed_quote_is_reported_at_the_line_it_opens() -> None:
    workout = '"Push","6 Apr 2026, 17:18","6 Apr 2026, 18:00","","Bench Press (Barbell)",'
    text = (
        HEVY_HEADER
        + "\n"
        + workout
        + ',"",0,"normal",100,5,,,'
        + "\n"
        + workout
        + ',"oops,1,normal,100,5,,,'
        + "\nPush,2026-04-06 17:18,2026-04-06 18:00,,Bench Press (Barbell),,,2,normal,100,5,,,\n"
    )
    parsed = parse(text)
    assert [found.line for found in parsed.sets] == [2]
    (problem,) = parsed.problems
    assert problem.line == 3
    assert "a quote opened on this line may never be closed" in problem.reason


def test_a_field_too_long_for_the_csv_reader_is_a_problem() -> None:
    huge = "x" * 200_000
    text = (
        STRONG_HEADER
        + f"\n2023-10-02 18:04:12,Push,1h,Squat (Barbell),1,100,5,0,0,{huge},,\n"
        + "2023-10-02 18:04:12,Push,1h,Squat (Barbell),2,100,5,0,0,,,\n"
    )
    parsed = parse(text)
    assert [found.line for found in parsed.sets] == [3]
    assert [problem.line for problem in parsed.problems] == [2]


@pytest.mark.parametrize(
    ("header", "row", "reason"),
    [
        (
            HEVY_HEADER,
            '"Push","yesterday","","","Bench Press (Barbell)",,"",0,"normal",100,5,,,',
            "start_time 'yesterday' is not a date and time like 6 Apr 2026, 17:18",
        ),
        (
            FITNOTES_NEW_HEADER,
            "2024-03-15,Barbell Squat,Legs,100,stone,5,,,",
            "Weight Unit 'stone' is not a weight unit (kg or lb)",
        ),
        (
            FITNOTES_OLD_HEADER,
            "15/03/2024,Barbell Squat,Legs,225,5,,,",
            "Date '15/03/2024' is not a date like 2024-03-15",
        ),
        (
            FITNOTES_NEW_HEADER,
            "2024-03-15,Treadmill,Cardio,,,,3,mi,half an hour",
            "Time 'half an hour' is not a time like 0:32:06",
        ),
        (
            LIFTOSAUR_HEADER,
            "2026-03-01T10:00:00Z,P,D,Squat,0,5,5.5,0,,,0,100,kg,100,kg,0,,,,",
            "Completed Reps '5.5' is not a whole number of 0 or more",
        ),
        (
            STRONG_2019_HEADER,
            '2019-01-11 12:31:54;"Leg";"Deadlift (Barbell)";1;-;kg;5;;;;0;"";""',
            "Weight '-' is not a number",
        ),
        (
            FITBOD_HEADER,
            "02/01/2026,Deadlift,5,100,0,0,0,0,false,,1",
            "Date '02/01/2026' is not a date and time like 2024-02-01 06:00:00 +0000",
        ),
        (
            FITBOD_HEADER,
            "2026-01-02 18:04:12 +0000,Deadlift,five,100,0,0,0,0,false,,1",
            "Reps 'five' is not a whole number of 0 or more",
        ),
        (
            STRONGLIFTS_KG_HEADER,
            "02.03.2026,1,A,P,80,Squat,5,,,,,,,,,,,5,100,,,,,,,,",
            "Date (yyyy/mm/dd) '02.03.2026' is not a date like 2026/08/11",
        ),
        (
            STRONGLIFTS_LB_HEADER,
            "2026/03/02,1,A,P,80,Squat,5,,,,,,,,,,,5,heavy,,,,,,,,",
            "Set 1 (LB) 'heavy' is not a number",
        ),
    ],
)
def test_each_format_names_the_column_and_the_value(header: str, row: str, reason: str) -> None:
    parsed = parse(f"{header}\n{row}\n")
    assert parsed.sets == []
    assert reasons(parsed) == {2: f"{reason}: the row is skipped"}


# --- detection, units and decoding ------------------------------------------------


def test_every_format_has_a_parser_and_a_description() -> None:
    own = {"failwise-csv", "failwise-json"}  # round-tripped in tests/test_exports.py
    assert set(FORMATS) == set(DESCRIPTIONS) == {f for f, _ in SAMPLES.values()} | own


def test_an_unknown_header_lists_the_supported_formats() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse("date,exercise,load,reps,rir\n2026-03-02,Squat,100,5,2\n")
    message = str(raised.value)
    assert "'date,exercise,load,reps,rir'" in message
    for name in FORMATS:
        assert name in message


@pytest.mark.parametrize("text", ["", "\n\nDate,Exercise\n", "\ufeff"])
def test_an_empty_file_is_invalid(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse(text)


def test_a_named_format_must_match_the_header() -> None:
    strong = read_text((EXPORTS / "strong_2023.csv").read_bytes())
    with pytest.raises(InvalidInput, match=r"not a Hevy export.*start_time"):
        parse(strong, format="hevy")
    with pytest.raises(InvalidInput, match=r"not a JEFIT export.*EXERCISE LOGS"):
        parse(strong, format="jefit")
    with pytest.raises(InvalidInput, match=r"unknown format 'gymbook'.*strong-semicolon"):
        parse(strong, format="gymbook")


def test_an_unknown_unit_is_invalid() -> None:
    strong = read_text((EXPORTS / "strong_2023.csv").read_bytes())
    with pytest.raises(InvalidInput, match="unit 'stone'"):
        parse(strong, unit="stone")
    assert parse(strong, unit="LBS") == parse(strong, unit="lb")


def test_read_text_decodes_old_windows_exports() -> None:
    assert read_text("Café,Crème".encode("cp1252")) == "Café,Crème"
    assert read_text(b"\x81abc") == "\x81abc"  # not cp1252 either: latin-1
    # Line endings are the parsers' (failwise's own CSV keeps a CR inside a note).
    assert read_text("\ufeffDate,Squat\r\n1,2\r3".encode("utf-16")) == "Date,Squat\r\n1,2\r3"
    assert read_text(b"\xef\xbb\xbfDate\r\n") == "Date\r\n"


# --- Alpha Progression ----------------------------------------------------------------


def test_alpha_progression_keeps_the_rir_as_logged_on_every_set() -> None:
    """100 kg × 8 at RIR 2 is stored at RIR 2; 12,5 kg × 11 at RIR 0,5 at RIR 0.5."""
    parsed = sample("alpha_progression_kg.csv")
    sets = by_line(parsed)
    bench = sets[4]
    assert (bench.exercise_name, bench.load_kg, bench.reps, bench.rir) == (
        "Bench Press (Barbell)",
        100.0,
        8,
        2.0,
    )
    assert [sets[line].rir for line in (4, 5, 6)] == [2.0, 1.0, 0.0]
    assert (sets[10].load_kg, sets[10].rir) == (12.5, 0.5)  # decimal commas
    assert bench.target_reps == 8 and bench.workout_name == "Push · Day 1 · Week 3 · Push-Pull-Legs"
    working = [found for found in parsed.sets if found.set_type is SetType.WORKING]
    assert all(found.rir is not None for found in working)


def test_alpha_progression_sessions_warmups_and_bodyweight() -> None:
    parsed = sample("alpha_progression_kg.csv")
    # The warm-ups of the exercise header are sets of its line, before the working sets.
    warmups = [found for found in parsed.sets if found.line == 2]
    assert [(w.set_type, w.load_kg, w.reps, w.rir, w.set_index) for w in warmups] == [
        (SetType.WARM_UP, 40.0, 10, None, 0),
        (SetType.WARM_UP, 70.0, 5, None, 1),
    ]
    sets = by_line(parsed)
    assert sets[4].set_index == 2
    # Dips at bodyweight + 20 kg carry the added 20 kg; at +0, bodyweight alone.
    assert (sets[14].exercise_name, sets[14].load_kg, sets[15].load_kg) == ("Dips", 20.0, None)
    # The session's duration gives its end: 1:04 hr, and 58:40 (minutes and seconds).
    assert sets[4].workout_end == datetime(2026, 3, 2, 19, 9)
    assert sets[20].workout_start == datetime(2026, 3, 4, 7, 30)
    assert sets[20].workout_end == datetime(2026, 3, 4, 8, 28, 40)
    assert skipped(parsed) == {11: "an empty set (no reps): nothing to import"}


def test_alpha_progression_in_pounds_225_lb_squats_are_102_1_kg() -> None:
    sets = by_line(sample("alpha_progression_lb.csv"))
    squat = sets[15]
    assert (squat.exercise_name, squat.load_kg, squat.reps, squat.rir) == (
        "Squat (Barbell)",
        102.058,
        5,
        2.0,
    )
    assert sets[13].set_type is SetType.WARM_UP and sets[13].load_kg == 61.235  # 135 lbs
    assert sets[30].load_kg == 11.34  # bodyweight + 25 lb


def test_alpha_progression_reports_what_it_cannot_read_with_its_line() -> None:
    text = (
        '"Push";"2026-03-02 18:05 h";"forever"\n'
        '"1. Bench Press · Barbell · 8 reps";"WU1 · forty kg · 10 reps"\n'
        "#;KG;REPS;RIR\n"
        "1;100;8;11\n"
        "2;100;eight;1\n"
        "a stray line\n"
        "3;100;6;1,5\n"
    )
    parsed = parse(text)
    assert parsed.format == "alphaprogression"
    assert [(found.line, found.reps, found.rir) for found in parsed.sets] == [
        (4, 8, None),
        (7, 6, 1.5),
    ]
    assert parsed.sets[0].workout_end is None
    assert reasons(parsed) == {
        1: "the session's duration 'forever' is not a time like 1:04 hr: "
        "the workout is imported without its end",
        2: "the warm-up's weight 'forty' is not a number: the warm-up is skipped",
        4: "RIR '11' is not on the RIR scale (0 to 10 in half steps): "
        "the set is imported without RIR",
        5: "REPS 'eight' is not a whole number of 0 or more: the row is skipped",
        6: "'a stray line' is not a session header, an exercise header or a set: "
        "the line is skipped",
    }


def test_alpha_progression_sets_without_an_exercise_above_are_reported() -> None:
    text = '"Push";"2026-03-02 18:05 h";"1:00 hr"\n1;100;8;2\n'
    parsed = parse(text)
    assert parsed.sets == []
    assert reasons(parsed) == {2: "a set with no session and exercise above it: the row is skipped"}


# --- time zones ---------------------------------------------------------------------

# One set, logged at 10:00 in a UTC+2 zone, in each export that writes an offset.
AT_TEN_PLUS_TWO = {
    "failwise-csv": (
        "workout_start,exercise,set_type,load_kg,reps,logged_at\n"
        "2026-03-01T10:00:00+02:00,Squat (Barbell),working,100,5,2026-03-01T10:00:00+02:00\n"
    ),
    "failwise-json": json.dumps(
        {
            "format": "failwise",
            "workouts": [
                {
                    "start": "2026-03-01T10:00:00+02:00",
                    "sets": [
                        {
                            "exercise": "Squat (Barbell)",
                            "load_kg": 100,
                            "reps": 5,
                            "logged_at": "2026-03-01T10:00:00+02:00",
                        }
                    ],
                }
            ],
        }
    ),
    "liftosaur": LIFTOSAUR_HEADER
    + "\n2026-03-01T10:00:00+02:00,P,Day 1,Squat,0,5,5,0,,,0,100,kg,100,kg,0,"
    + "2026-03-01T10:00:00+02:00,,,\n",
    "hevy": HEVY_HEADER
    + '\n"Legs","2026-03-01T10:00:00+02:00","","","Squat (Barbell)","","","0","normal",'
    + '"100","5","","",""\n',
}


@pytest.mark.parametrize("format_name", AT_TEN_PLUS_TWO)
def test_a_set_logged_at_ten_in_utc_plus_two_is_stored_at_eight_utc_as_by_every_importer(
    format_name: str, import_service: tuple[HistoryImporter, int]
) -> None:
    """A set logged at 10:00+02:00 is stored at 08:00 UTC, the same as every other importer
    (failwise's own export used to drop the offset and store 10:00)."""
    parsed = parse(AT_TEN_PLUS_TWO[format_name])
    assert parsed.format == format_name and parsed.problems == []
    (found,) = parsed.sets
    assert found.workout_start == datetime(2026, 3, 1, 8, 0)
    assert found.logged_at in (None, datetime(2026, 3, 1, 8, 0))
    importer, lifter = import_service
    assert importer.import_file(lifter, parsed).sets == 1
    (workout,) = Workouts(importer.core).latest(lifter)
    assert workout.started_at == datetime(2026, 3, 1, 8, 0)


# --- properties -------------------------------------------------------------------

SAMPLE_BYTES = [(EXPORTS / name).read_bytes() for name in SAMPLES]
TOKENS = [
    b'"',
    b",",
    b";",
    b"\n",
    b"\r\n",
    b"\r",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"8,5",
    b"-1",
    b"1e999",
    b"nan",
    b"W",
    b"F",
    b"Rest Timer",
    b"99999999999999999999",
    b"0",
    b"",
    b"9999-12-31 23:59:59",
    b"0001-01-01T00:00:00+01:00",
    b"true",
    b"-",
    b"/",
    b"2026/03/02",
    b"10:56 PM",
    b" +0000",
    "×".encode(),
    b"#;KG;REPS;RIR",
    "·".encode(),
    b"<br>",
    b"+",
    b"0,5",
    b" h",
    b" hr",
    "WU1 · 40 kg · 10 reps".encode(),
    b"###",
    b"\n### EXERCISE LOGS ###\n",
    b"x",
    b"0x0",
    b"100x5,",
    b"lbs",
]


@st.composite
def mutated_samples(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLE_BYTES)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["truncate", "insert", "delete", "replace"]))
        if kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS) | st.binary(max_size=12))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            data[at : at + 1] = draw(st.sampled_from(TOKENS))
    return bytes(data)


def physical_lines(text: str) -> int:
    """Lines as the parsers number them: CRLF, a lone CR and LF each end one."""
    return len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def assert_parses_or_rejects_the_header(data: bytes) -> None:
    text = read_text(data)
    try:
        parsed = parse(text)
    except InvalidInput:
        return
    lines = physical_lines(text)
    assert parsed.format in FORMATS
    for problem in parsed.problems + parsed.skipped:
        assert 1 <= problem.line <= lines and problem.reason
    for found in parsed.sets:
        assert 2 <= found.line <= lines
        assert found.set_index >= 0 and found.exercise_name
        assert found.reps is None or found.reps >= 0
        for value in (found.load_kg, found.distance_m, found.seconds, found.target_load_kg):
            assert value is None or math.isfinite(value)
        for rir in (found.rir, found.target_rir):
            assert rir is None or 0 <= rir <= 10


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_break_the_parser(data: bytes) -> None:
    assert_parses_or_rejects_the_header(data)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_samples())
def test_truncated_and_mutated_exports_never_break_the_parser(data: bytes) -> None:
    assert_parses_or_rejects_the_header(data)


@settings(max_examples=200, deadline=2000)
@given(st.sampled_from([h for _, h in SAMPLES.values()]), st.text(max_size=500))
def test_any_body_under_a_real_header_is_read_or_reported(header: str, body: str) -> None:
    assert_parses_or_rejects_the_header((header + "\n" + body).encode("utf-8", "surrogatepass"))


# --- every format, failwise's own included: fuzzed, truncated, mutated, time-bounded -------

OWN = EXPORTS / "failwise"
OWN_SAMPLES = {"failwise.csv": "failwise-csv", "failwise.json": "failwise-json"}
OWN_BYTES = [(OWN / name).read_bytes() for name in OWN_SAMPLES]
ALL_BYTES = SAMPLE_BYTES + OWN_BYTES
# Every format's first line, as its real exports write it.
HEADERS = {
    **dict(SAMPLES.values()),
    **{
        OWN_SAMPLES[name]: read_text((OWN / name).read_bytes()).splitlines()[0]
        for name in OWN_SAMPLES
    },
}
FUZZ_SCALE = int(os.environ.get("FAILWISE_FUZZ_SCALE", "1"))
"""How many times more examples the fuzzing tests below try (``make fuzz``: 20)."""
HARD_LIMIT_SECONDS = 10
"""Past Hypothesis's deadline (which measures an example only once it ends), a parse that
runs this long is a hang: it is interrupted and fails the test."""


@contextlib.contextmanager
def never_hangs(seconds: float = HARD_LIMIT_SECONDS) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (POSIX main thread; elsewhere the deadline
    alone bounds an example)."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"the parser ran for more than {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_every_format_has_a_real_sample() -> None:
    assert set(HEADERS) == set(FORMATS)
    for name, expected in OWN_SAMPLES.items():
        parsed = parse(read_text((OWN / name).read_bytes()))
        assert parsed.format == expected and parsed.problems == [] and len(parsed.sets) >= 10


def assert_every_problem_has_its_line(data: bytes, *, format: str | None = None) -> None:
    """Read ``data`` as any export: it is read, or refused as a whole with a reason (a
    header that is no export's, JSON that is not JSON: that message names line 1 or
    the line of the JSON error), never a crash and never a hang; and every problem
    names a line from 1 (the header) on."""
    with never_hangs():
        text = read_text(data)
        try:
            parsed = parse(text, format=format)
        except InvalidInput as refused:
            assert str(refused)
            return
    assert parsed.format in FORMATS
    lines = physical_lines(text)
    # failwise JSON numbers its sets (1 = the first line), not the lines of the file.
    top = lines if parsed.format != "failwise-json" else max(lines, len(parsed.sets) + 2)
    for problem in parsed.problems + parsed.skipped:
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert problem.line <= top + len(parsed.problems) + 1, problem
        assert problem.reason.strip(), problem
    for found in parsed.sets:
        assert found.line >= 1 and found.exercise_name is not None
        for value in (found.load_kg, found.distance_m, found.seconds, found.target_load_kg):
            assert value is None or math.isfinite(value)


@st.composite
def mutated_exports(draw: st.DrawFn, samples: list[bytes]) -> bytes:
    """A real export cut short, with bytes and tokens put in, taken out or swapped."""
    data = bytearray(draw(st.sampled_from(samples)))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["truncate", "insert", "delete", "replace", "duplicate"]))
        if kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([*TOKENS, *JSON_TOKENS]) | st.binary(max_size=12))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        else:
            data[at : at + 1] = draw(st.sampled_from([*TOKENS, *JSON_TOKENS]))
    return bytes(data)


JSON_TOKENS = [
    b"null",
    b"true",
    b"[]",
    b"{}",
    b'"',
    b":",
    b"1e999",
    b"-1e999",
    b"1" + b"0" * 400,
    b"-0",
    b"\\u0000",
    b"\\ud800",
    b'"sets": 5',
    b'"workouts": "x"',
]

PROPERTY_SETTINGS = settings(
    max_examples=200 * FUZZ_SCALE, deadline=2000, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.fuzz
@PROPERTY_SETTINGS
@given(mutated_exports(OWN_BYTES))
def test_failwise_exports_truncated_and_mutated_never_break_the_parser(data: bytes) -> None:
    assert_every_problem_has_its_line(data)


@pytest.mark.fuzz
@PROPERTY_SETTINGS
@given(mutated_exports(ALL_BYTES))
def test_every_format_truncated_and_mutated_never_breaks_the_parser(data: bytes) -> None:
    assert_every_problem_has_its_line(data)


@pytest.mark.fuzz
@PROPERTY_SETTINGS
@given(st.sampled_from(sorted(HEADERS)), st.binary(max_size=2000))
def test_random_bytes_under_every_formats_header(format: str, body: bytes) -> None:
    header = HEADERS[format].encode()
    assert_every_problem_has_its_line(header + b"\n" + body)
    # …and read as that format by name, whatever the header says.
    assert_every_problem_has_its_line(body, format=format)


@pytest.mark.fuzz
@PROPERTY_SETTINGS
@given(st.sampled_from(sorted(HEADERS)), st.integers(0, 2000), st.binary(max_size=64))
def test_a_real_export_cut_anywhere_is_read_up_to_the_cut(
    format: str, cut: int, tail: bytes
) -> None:
    source = next(
        data
        for data, name in zip(ALL_BYTES, [*SAMPLES, *OWN_SAMPLES], strict=True)
        if (SAMPLES.get(name, (OWN_SAMPLES.get(name),))[0]) == format
    )
    assert_every_problem_has_its_line(source[:cut] + tail)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["2026-03-02 18:00:00", "2026-03-02T18:00:00+02:00", "working", "0"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["exercise", "load_kg", "reps", "rir", "set_type", "logged_at", "key", "notes"]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@pytest.mark.fuzz
@PROPERTY_SETTINGS
@given(
    workouts=JSON_VALUES
    | st.lists(
        st.dictionaries(
            st.sampled_from(["start", "end", "name", "phase", "notes", "sets"]),
            JSON_VALUES | st.lists(JSON_VALUES, max_size=4),
            max_size=6,
        ),
        max_size=3,
    ),
    customs=JSON_VALUES,
    indent=st.sampled_from([None, 1]),
)
def test_any_json_shaped_like_a_failwise_export_is_read_or_reported(
    workouts: Any, customs: Any, indent: int | None
) -> None:
    document = {
        "format": "failwise",
        "version": 1,
        "custom_exercises": customs,
        "workouts": workouts,
    }
    assert_every_problem_has_its_line(json.dumps(document, indent=indent).encode())


@pytest.fixture
def import_service(database_url: str) -> Iterator[tuple[HistoryImporter, int]]:
    database = Database(database_url)
    lifter = Accounts(database).sign_up("ann", "correct horse").user.id
    yield HistoryImporter(Coach(database).core), lifter
    database.dispose()


@pytest.mark.fuzz
@settings(
    max_examples=60 * FUZZ_SCALE,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=mutated_exports(ALL_BYTES), dry_run=st.booleans())
def test_a_mutated_export_is_imported_or_reported_never_a_crash(
    import_service: tuple[HistoryImporter, int], data: bytes, dry_run: bool
) -> None:
    """Through to the database (SQLite and PostgreSQL): a value no column can hold (a
    20-digit rep count, a 500-character key) is a line not imported, with its reason."""
    importer, lifter = import_service
    with never_hangs():
        try:
            parsed = parse(read_text(data))
        except InvalidInput:
            return
        summary = importer.import_file(lifter, parsed, dry_run=dry_run)
    assert summary.format == parsed.format
    for problem in summary.skipped:
        assert problem.line >= 1 and problem.reason.strip()


def test_strong_reports_a_bad_cell_on_every_line_that_repeats_it() -> None:
    # Strong's values are read once per distinct cell; a bad one must still name each
    # line it is on, and a good one read earlier must not hide it.
    header = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,RPE"
    lines = [
        "2023-05-01 18:04:12,Legs,1h 2m,Squat (Barbell),1,100,5,8",
        "2023-05-01 18:04:12,Legs,1h 2m,Squat (Barbell),2,100,five,8",
        "2023-05-01 18:04:12,Legs,soon,Squat (Barbell),3,100,5,7.3",
        "2023-05-01 18:04:12,Legs,soon,Squat (Barbell),4,100,five,7.3",
        "2023-05-01 18:04:12,Legs,soon,Squat (Barbell),5,100,5,7.3",
    ]
    parsed = parse("\n".join([header, *lines]), format="strong")
    reasons = {(p.line, p.reason.split(" ")[0]) for p in parsed.problems}
    assert {line for line, _ in reasons if _ == "Reps"} == {3, 5}
    assert {line for line, _ in reasons if _ == "RPE"} == {4, 6}
    assert {line for line, _ in reasons if _ == "Duration"} == {4, 6}
    assert [s.line for s in parsed.sets] == [2, 4, 6]
    first, third, fifth = parsed.sets
    assert first.rir == 2.0 and third.rir is None and fifth.rir is None
    assert first.workout_end == datetime(2023, 5, 1, 19, 6, 12)
    assert third.workout_end is None and third.workout_start == first.workout_start


# --- effort: Strong's RPE table, and the RPE kept as logged ---------------------------


@pytest.mark.parametrize(
    ("rpe", "rir", "mark"),
    [
        ("10", 0.0, "RPE 10 (0 RIR)"),
        ("9.5", 0.5, "RPE 9.5 (0.5 RIR)"),
        ("9", 1.0, "RPE 9 (1 RIR)"),
        ("7,5", 2.5, "RPE 7.5 (2.5 RIR)"),
        ("6", 4.0, "RPE 6 (4 RIR)"),
        ("5.5", None, "RPE 5.5 (4+ RIR)"),
        ("1", None, "RPE 1 (4+ RIR)"),
    ],
)
def test_a_strong_rpe_is_read_by_strongs_table_and_kept_in_the_notes_as_logged(
    rpe: str, rir: float | None, mark: str
) -> None:
    """RPE 9 is one rep left; below RPE 6 Strong's table says 4+ reps left, which is not a
    call the coach can hold the lifter to: the set keeps no RIR, and the notes say why."""
    text = (
        STRONG_HEADER
        + f'\n2023-10-02 18:04:12,Push,1h,Bench Press (Barbell),1,100,5,0,0,,,"{rpe}"\n'
    )
    parsed = parse(text)
    (found,) = parsed.sets
    assert parsed.problems == []
    assert (found.rir, found.notes) == (rir, mark)


def test_a_hevy_rpe_becomes_rir_and_the_notes_say_it_was_converted() -> None:
    header = (
        '"title","start_time","end_time","description","exercise_title","superset_id",'
        '"exercise_notes","set_index","set_type","weight_kg","reps","distance_km",'
        '"duration_seconds","rpe"'
    )
    rows = [
        '"Push","6 Apr 2026, 17:18","","","Bench Press (Barbell)",,"Paused",0,"normal",100,5,,,8.5',
        '"Push","6 Apr 2026, 17:18","","","Bench Press (Barbell)",,"Paused",1,"normal",100,5,,,',
    ]
    logged, unlogged = parse("\n".join([header, *rows])).sets
    assert (logged.rir, logged.notes) == (1.5, "Paused · RPE 8.5 (1.5 RIR)")
    assert (unlogged.rir, unlogged.notes) == (None, "Paused")


def test_a_strong_export_of_an_imported_set_read_back_keeps_one_mark() -> None:
    """failwise's Strong export writes the notes and the RPE: reading it back does not
    mark the set twice."""
    text = (
        STRONG_HEADER
        + '\n2023-10-02 18:04:12,Push,1h,Bench Press (Barbell),1,100,5,0,0,"RPE 8 (2 RIR)",,8\n'
    )
    (found,) = parse(text).sets
    assert (found.rir, found.notes) == (2.0, "RPE 8 (2 RIR)")
