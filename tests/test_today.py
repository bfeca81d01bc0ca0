"""Today, as a lifter sees it in the gym: last time's sets, the plates, the counters,
warm-ups and notes (services.today, and the page over it)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from failwise.adapters.web.app import create_app
from failwise.adapters.web.deps import CSRF_COOKIE, CSRF_FIELD
from failwise.adapters.web.pages.today import plate_text
from failwise.domain.errors import InvalidInput
from failwise.domain.units import KG, LB
from failwise.services.accounts import Accounts
from failwise.services.plans import Plans
from failwise.services.records import LifterSettings, SetType
from failwise.services.reported import LogRequest
from failwise.services.today import plate_load, today_view
from failwise.services.training import Coach
from failwise.storage.database import Database

from .conftest import Clock

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

MONDAY = datetime(2026, 11, 12, 18, 0)
SQUAT = "barbell-squat"
PASSWORD = "correct horse"


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def lifter(db: Database) -> int:
    return Accounts(db).sign_up("ann", PASSWORD).user.id


def _squats_last_time(coach: Coach, lifter: int, clock: Clock) -> None:
    """12 Nov: a warm-up at 60 kg, then 3 × 5 at 140 kg at RIR 2, 1, 1; two days pass."""
    coach.sets.log(lifter, LogRequest(SQUAT, 60, 5, set_type=SetType.WARM_UP))
    for rir in (2, 1, 1):
        clock.now += timedelta(minutes=3)
        coach.sets.log(lifter, LogRequest(SQUAT, 140, 5, rir=rir, total_sets=3))
    coach.workouts.finish(lifter, coach.workouts.latest(lifter, limit=1)[0].id)
    clock.now = MONDAY + timedelta(days=2)


# --- last time --------------------------------------------------------------------------


def test_last_times_working_sets_come_with_todays_first_squat_set(
    coach: Coach, lifter: int, clock: Clock
) -> None:
    _squats_last_time(coach, lifter, clock)
    view = today_view(coach.core, lifter, exercise="Squat (Barbell)")
    assert view.last_time is not None
    assert view.last_time.day.isoformat() == "2026-11-12"
    # Working sets only: the warm-up at 60 kg is not one of them.
    assert [(s.data.load, s.data.reps, s.data.rir) for s in view.last_time.sets] == [
        (140, 5, 2),
        (140, 5, 1),
        (140, 5, 1),
    ]


def test_last_time_is_the_workout_before_todays_not_today(
    coach: Coach, lifter: int, clock: Clock
) -> None:
    _squats_last_time(coach, lifter, clock)
    coach.sets.log(lifter, LogRequest(SQUAT, 145, 5, rir=2, total_sets=3))
    view = today_view(coach.core, lifter, exercise=SQUAT)
    assert view.last_time is not None and view.last_time.day.isoformat() == "2026-11-12"
    assert [s.data.load for s in view.last_time.sets] == [140, 140, 140]


def test_a_first_time_exercise_has_no_last_time(coach: Coach, lifter: int) -> None:
    assert today_view(coach.core, lifter, exercise=SQUAT).last_time is None


# --- plates -----------------------------------------------------------------------------


def test_a_142_5_kg_squat_is_25_25_10_and_1_25_per_side_of_a_20_kg_bar() -> None:
    # 142.5 − 20 = 122.5 kg, 61.25 a side: four plates, the heaviest first.
    load = plate_load(142.5, KG, LifterSettings.of({}))
    assert load is not None and load.per_side == (25, 25, 10, 1.25)
    assert plate_text(load, "kg") == "25 + 25 + 10 + 1.25 kg per side"


def test_a_lb_lifter_loads_225_as_two_45s_a_side_of_a_45_lb_bar() -> None:
    pounds = LifterSettings.of(
        {
            "unit": "lb",
            "bar_kg": LB.to_kg(45),
            "plates_kg": [LB.to_kg(p) for p in (45, 35, 25, 10, 5, 2.5)],
        }
    )
    load = plate_load(225, LB, pounds)
    assert load is not None and load.per_side == (45, 45)
    assert plate_text(load, "lb") == "45 + 45 lb per side"


def test_plates_a_gym_without_small_plates_says_the_nearest_load() -> None:
    settings = LifterSettings.of({"plates_kg": [20, 10, 5]})
    load = plate_load(142.5, KG, settings)
    assert load is not None and load.per_side == (20, 20, 20)
    assert (
        plate_text(load, "kg") == "20 + 20 + 20 kg per side (140 kg: the nearest your plates make)"
    )


def test_an_empty_bar_and_a_load_below_it() -> None:
    assert plate_text(plate_load(20, KG, LifterSettings.of({})), "kg") == "Bar only"
    assert plate_load(15, KG, LifterSettings.of({})) is None


def test_the_next_squat_set_comes_with_its_plates_and_a_curl_without(
    coach: Coach, lifter: int, clock: Clock
) -> None:
    _squats_last_time(coach, lifter, clock)
    squat = today_view(coach.core, lifter, exercise=SQUAT)
    assert squat.next is not None and squat.next.load_shown is not None
    assert squat.plates is not None and squat.plates.total == squat.next.load_shown
    assert today_view(coach.core, lifter, exercise="dumbbell-curl").plates is None


# --- warm-ups, counters and the planned session --------------------------------------


def test_a_warm_up_at_60_kg_leaves_the_working_set_count_at_0_of_3(
    coach: Coach, lifter: int
) -> None:
    plans = Plans(coach.core)
    plans.create(lifter, plans.request_for(lifter, days=3, minutes=60, spotter=True))
    plans.start_today(lifter)
    before = today_view(coach.core, lifter)
    first = before.counts[0]
    assert before.exercise == first.exercise and first.done == 0
    assert before.next is not None and before.next.set_number == 1
    coach.sets.log(lifter, LogRequest(first.exercise.id, 60, 5, set_type=SetType.WARM_UP))
    after = today_view(coach.core, lifter)
    assert after.counts[0].done == 0 and after.counts[0].planned == first.planned
    assert after.next is not None and after.next.set_number == 1
    assert after.next.load == before.next.load
    coach.sets.log(lifter, LogRequest(first.exercise.id, 60, before.next.reps, rir=2))
    working = today_view(coach.core, lifter)
    assert working.counts[0].done == 1 and working.next is not None
    assert working.next.set_number == 2


def test_today_is_read_in_one_store_session(
    db: Database, coach: Coach, lifter: int, clock: Clock
) -> None:
    _squats_last_time(coach, lifter, clock)
    plans = Plans(coach.core)
    plans.create(lifter, plans.request_for(lifter, days=3, minutes=60, spotter=True))
    opened = 0
    stores = coach.core.stores

    def counted():  # type: ignore[no-untyped-def]
        nonlocal opened
        opened += 1
        return stores()

    view = today_view(replace(coach.core, stores=counted), lifter, exercise=SQUAT)
    assert view.next is not None and view.session is not None and view.last_time is not None
    assert opened == 1


def test_a_note_longer_than_the_limit_is_refused_by_the_service(coach: Coach, lifter: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        coach.sets.log(lifter, LogRequest(SQUAT, 100, 5, rir=2, notes="x" * 2001))
    assert refused.value.field == "notes"


# --- the page ---------------------------------------------------------------------------


@pytest.fixture
def client(sqlite_url: str, clock: Clock) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_url, clock=clock)) as client:
        client.get("/signin")
        response = client.post(
            "/signup",
            data={"username": "ann", "password": PASSWORD, CSRF_FIELD: _csrf(client)},
            follow_redirects=False,
        )
        assert response.status_code == 303
        yield client


def _csrf(client: TestClient) -> str:
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token


def _ann(db: Database) -> int:
    with db() as store:
        found = store.user_by_name("ann")
    assert found is not None
    return found[0].id


def _text(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert found, f"no #{element_id}"
    return found.group(1).strip()


def test_the_page_shows_last_times_3_by_5_at_140_beside_the_first_squat_set(
    client: TestClient, db: Database, clock: Clock
) -> None:
    _squats_last_time(Coach(db, clock=clock), _ann(db), clock)
    html = client.get(f"/today?exercise={SQUAT}").text
    assert _text(html, "set-number") == "Set 1 of 3"
    assert _text(html, "last-time") == "Last time (12 Nov): 3 × 5 at 140 kg, RIR 2, 1, 1"


def test_the_squat_card_carries_the_bar_and_plates_for_the_script(
    client: TestClient, db: Database, clock: Clock
) -> None:
    _squats_last_time(Coach(db, clock=clock), _ann(db), clock)
    html = client.get(f"/today?exercise={SQUAT}").text
    assert 'data-bar="20"' in html and 'data-plates="25 20 15 10 5 2.5 1.25"' in html
    assert _text(html, "plates").endswith("kg per side")
    curl = client.get("/today?exercise=dumbbell-curl").text
    assert 'id="plates"' not in curl and "data-bar" not in curl


def test_a_warm_up_logged_from_the_form_is_marked_and_the_set_stays_set_1(
    client: TestClient,
) -> None:
    response = client.post(
        "/today/log",
        data={
            CSRF_FIELD: _csrf(client),
            "exercise": SQUAT,
            "load": "60",
            "reps": "5",
            "rir": "4",
            "warm_up": "true",
            "notes": "knees felt cold",
        },
    )
    assert response.status_code == 200
    html = response.text
    assert "Logged Squat (Barbell): warm-up 60 kg × 5" in html
    assert _text(html, "set-number") == "Set 1 of 3"
    assert '<span class="tag">warm-up</span>' in html and "knees felt cold" in html
    [stored] = client.get("/api/history").json()
    assert (stored["set_type"], stored["notes"]) == ("warm-up", "knees felt cold")


def test_the_page_and_the_api_give_the_same_next_squat_set(
    client: TestClient, db: Database, clock: Clock
) -> None:
    _squats_last_time(Coach(db, clock=clock), _ann(db), clock)
    html = client.get(f"/today?exercise={SQUAT}").text
    following = client.get(f"/api/next?exercise={SQUAT}").json()
    assert _text(html, "target-load") == f"{following['load']:g} kg"
    assert _text(html, "target-reps") == str(following["reps"])
    assert _text(html, "set-number") == f"Set {following['set_number']} of 3"


def _form_as_shown(html: str) -> dict[str, str]:
    """The log form's fields as the page filled them (what one tap on "Log as planned"
    sends without the script)."""
    form = html[
        html.index('<form id="log-form"') : html.index("</form>", html.index('id="log-form"'))
    ]
    inputs = re.findall(r"<input[^>]*>", form)
    unchecked = [tag for tag in inputs if 'type="checkbox"' in tag and "checked" not in tag]
    return dict(
        re.search(r'name="([^"]+)"[^>]*?value="([^"]*)"', tag).groups()  # type: ignore[union-attr]
        for tag in inputs
        if tag not in unchecked and 'value="' in tag
    )


def test_a_set_logged_as_the_card_showed_it_keeps_that_target(
    client: TestClient, db: Database, clock: Clock
) -> None:
    """Last time 3 × 5 at 140: the card shows today's first squat set, and one tap logs
    it as shown. Its target is the load, reps and RIR on the card."""
    _squats_last_time(Coach(db, clock=clock), _ann(db), clock)
    html = client.get(f"/today?exercise={SQUAT}").text
    form = _form_as_shown(html)
    assert _text(html, "target-load") == f"{form['shown_load']} kg" == f"{form['load']} kg"
    assert _text(html, "target-reps") == form["shown_reps"] == form["reps"]
    assert client.post("/today/log", data=form).status_code == 200
    logged = client.get("/api/history?exercise=barbell-squat").json()[-1]
    assert logged["target_load"] == float(form["shown_load"])
    assert logged["target_reps"] == int(form["shown_reps"])
    assert _text(html, "target-rir").startswith(
        f"RIR {logged['target_rir']['min']:g}–{logged['target_rir']['max']:g}"
    )


def test_the_target_is_the_one_on_the_screen_not_the_coachs_of_now(
    client: TestClient, db: Database, clock: Clock
) -> None:
    """A page opened before something changed the coach's mind showed 137.5 kg × 6 at
    RIR 2–3; the lifter did just that: the set keeps what the screen said."""
    _squats_last_time(Coach(db, clock=clock), _ann(db), clock)
    form = _form_as_shown(client.get(f"/today?exercise={SQUAT}").text)
    assert form["shown_load"] != "137.5"
    shown = {"shown_load": "137.5", "shown_reps": "6", "shown_rir_min": "2", "shown_rir_max": "3"}
    done = {**form, **shown, "load": "137.5", "reps": "6", "rir": "2"}
    assert client.post("/today/log", data=done).status_code == 200
    logged = client.get("/api/history?exercise=barbell-squat").json()[-1]
    assert (logged["target_load"], logged["target_reps"]) == (137.5, 6)
    assert logged["target_rir"] == {"min": 2, "max": 3}


@pytest.mark.parametrize(
    "broken",
    [{"shown_reps": "five"}, {"shown_load": "1,234.5"}, {"shown_rir_min": ""}],
)
def test_a_page_whose_set_shown_cannot_be_read_logs_nothing_and_says_so(
    client: TestClient, db: Database, clock: Clock, broken: dict[str, str]
) -> None:
    _squats_last_time(Coach(db, clock=clock), _ann(db), clock)
    form = _form_as_shown(client.get(f"/today?exercise={SQUAT}").text)
    page = client.post("/today/log", data={**form, **broken})
    assert page.status_code == 422
    assert "The set shown on this page cannot be read: reload it." in page.text
    # Last time's four sets (a warm-up and 3 × 5), and no other.
    assert len(client.get("/api/history?exercise=barbell-squat").json()) == 4
