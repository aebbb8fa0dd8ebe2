"""The app shows user text as text, and bad uploads and queries as one line.

Headless (``streamlit.testing``): a model's name and the Explore page's URL
parameter reach Markdown only escaped; six malformed uploads of issue 13 and
an oversized one are one error line each, never an exception box. In a real
Chromium (``test_app_browser``'s server and browser): a name, a link and a
query that point at the ``listener`` make the visitor's browser, and the
server, fetch nothing; a query nested 2 300 deep is one line and the server
goes on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP, errors, fill_form, no_exception, open_page, shown, submit, upload
from test_app_browser import CHROMIUM, chromium, no_exception_box, settle, streamlit_server

HOSTILE_NAMES = ["![x](http://127.0.0.1:{port}/name.png)", "<img src='http://127.0.0.1:{port}/html.png'>",
                 "[click](http://127.0.0.1:{port}/link) :red[x]"]
UPLOADS = [
    ("a" * 300 + ".json", json.dumps({"name": "M", "training_compute_flop": "10^400"}).encode(), "is beyond"),
    ("power.json", b'{"name": "M", "training_compute_flop": "10^400"}', "10^400 is beyond the largest number"),
    ("digits.json", b'{"name": "M", "training_compute_flop": ' + b"9" * 5000 + b"}", "a number of 5000 digits"),
    ("deep.json", b'{"name": "M", "modalities": ' + b"[" * 100000 + b"]" * 100000 + b"}", "nests more than 32"),
    ("deep.yaml", b"name: M\nmodalities: " + b"[" * 100000 + b"]" * 100000 + b"\n", "nests more than 32"),
    ("surrogate.json", b'{"name": "M\\ud800"}', "a lone surrogate"),
    ("huge.json", b'{"name": "' + b"a" * (2 << 20) + b'"}', "more than 1 MB, the size limit of a model description"),
]


def test_a_hostile_model_name_is_a_plain_header():
    name = HOSTILE_NAMES[0].format(port=9)
    at = submit(fill_form(open_page(), name=name))
    header = at.header[0].value
    assert "![x](" not in header and shown(header).startswith(name + " — as of")


def test_the_explore_url_parameter_is_shown_as_text():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["provision"] = "![x](http://127.0.0.1:9/param.png)"  # a link anyone can send
    at.run()
    at.switch_page("gpai_kg/ui/explore_page.py").run()
    no_exception(at)
    assert all("![x](" not in e.value for e in at.error)
    assert any("![x](http://127.0.0.1:9/param.png)" in e for e in errors(at))


@pytest.mark.parametrize("name, content, expected", UPLOADS, ids=[u[0][:20] for u in UPLOADS])
def test_a_malformed_upload_is_one_line(name, content, expected):
    at = upload(open_page(), name, content)
    assert len(errors(at)) == 1 and expected in errors(at)[0], errors(at)
    assert "\n" not in errors(at)[0] and len(errors(at)[0]) < 400


# ------------------------------------------------------------------ in Chromium

browser_only = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent")


@pytest.fixture(scope="module")
def served_app():
    with streamlit_server() as url:
        yield url


@pytest.fixture
def page(served_app):
    with chromium() as context:
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield page


@browser_only
@pytest.mark.parametrize("template", HOSTILE_NAMES)
def test_a_hostile_name_fetches_nothing_in_the_browser(page, served_app, listener, template):
    name = template.format(port=listener.port)
    page.goto(served_app)
    page.get_by_role("button", name="Assess", exact=True).wait_for()
    settle(page)
    page.get_by_role("textbox", name="Model name").fill(name)
    page.get_by_role("textbox", name="Training compute (FLOP)", exact=True).fill("3.8e25")
    page.get_by_role("button", name="Assess", exact=True).click()
    page.get_by_text(f"{name} — as of").wait_for()
    settle(page)
    no_exception_box(page)


@browser_only
def test_a_shared_explore_link_fetches_nothing(page, served_app, listener):
    param = f"![x](http://127.0.0.1:{listener.port}/param.png)"
    page.goto(f"{served_app}/explore?provision={param}")
    page.get_by_text(param, exact=False).first.wait_for()
    settle(page)
    no_exception_box(page)


@browser_only
def test_the_editor_cannot_reach_the_network_and_survives_a_deep_query(page, served_app, listener):
    page.goto(f"{served_app}/sparql")
    editor = page.get_by_label("Query")
    editor.wait_for()
    settle(page)
    attacks = [(f"SELECT * WHERE {{ FILTER(?o<'a>') SERVICE <{listener.url}> {{ ?s ?p ?o }} FILTER(?o!='') }}",
                "SERVICE at line 1"),
               (f"PREFIX : <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
                "SERVICE at line 1"),
               ("SELECT * WHERE " + "{" * 2300 + "}" * 2300, "nests more than 100 levels deep")]
    for text, message in attacks:
        editor.fill(text)
        page.get_by_role("button", name="Run").click()
        page.get_by_text(message).wait_for()
        no_exception_box(page)
    editor.fill("ASK { ?s ?p ?o }")
    page.get_by_role("button", name="Run").click()
    page.get_by_text("yes", exact=True).wait_for()  # the server is alive and answers
