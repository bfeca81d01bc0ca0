"""A lifter who logs 3 × 5 squats at 140 kg with no RIR: each set is inferred at "at least
RIR 0", a floor that says nothing about their effort. No adapter may read it as training
to failure: ``failwise analyze`` (its table, JSON and HTML report) and the Insights page
count the sets as having no floor, and never show a mean RIR or an RIR-0 bar for them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from failwise.adapters.cli import app as cli
from failwise.adapters.web.app import create_app
from failwise.adapters.web.deps import CSRF_COOKIE, CSRF_FIELD

PASSWORD = "correct horse battery staple"
runner = CliRunner()


@pytest.fixture
def three_fives_without_rir(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAILWISE_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("FAILWISE_USER", raising=False)
    for _ in range(3):
        logged = runner.invoke(cli, ["log", "barbell-squat", "140", "5"])
        assert logged.exit_code == 0, logged.output


@pytest.mark.usefixtures("three_fives_without_rir")
def test_failwise_analyze_counts_the_sets_as_having_no_floor(tmp_path: Path) -> None:
    table = runner.invoke(cli, ["analyze"], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    row = next(line for line in table.stdout.splitlines() if "heavy compounds" in line)
    assert re.split(r"\s*│\s*", row.strip("│ ")) == [
        "heavy compounds",
        "0",
        "–",
        "3",
        "3 with no floor",
    ]

    data = json.loads(runner.invoke(cli, ["analyze", "--json"]).stdout)
    heavy = data["profiles"]["heavy-compound"]
    assert heavy["mean_logged_rir"] is None and heavy["logged"]["0"] == 0
    assert heavy["inferred_sets"] == 3
    assert heavy["inferred_at_least"] == {"0": 3, "1": 0, "2": 0, "3": 0, "4": 0, "6": 0}
    assert "inferred" not in heavy and "mean_inferred_rir" not in heavy

    report = tmp_path / "report.html"
    assert runner.invoke(cli, ["analyze", "--html", str(report)]).exit_code == 0
    html = report.read_text()
    assert (
        "<tr><td>heavy compounds</td><td>0</td><td>–</td><td>3</td><td>3 with no floor</td></tr>"
        in html
    )
    # The RIR chart plots logged efforts only: no "(inferred)" bars on the RIR axis.
    assert "(inferred)" not in html


@pytest.fixture
def web(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_url)) as client:
        yield client


def test_the_insights_page_counts_the_sets_as_having_no_floor(web: TestClient) -> None:
    web.get("/signin")
    form = {"username": "ann", "password": PASSWORD, CSRF_FIELD: web.cookies.get(CSRF_COOKIE)}
    assert web.post("/signup", data=form, follow_redirects=False).status_code == 303
    for _ in range(3):
        body = {CSRF_FIELD: web.cookies.get(CSRF_COOKIE), "exercise": "barbell-squat"}
        assert web.post("/today/log", data={**body, "load": "140", "reps": "5"}).status_code == 200
    insights = web.get("/insights").text
    row = re.search(r'<tr><th scope="row">heavy compounds</th>(.*?)</tr>', insights)
    assert row is not None
    assert re.findall(r"<td>(.*?)</td>", row.group(1)) == ["0", "–", "3", "3 with no floor"]
    assert "(inferred)" not in insights
