"""The pages and their files as HTTP serves them: no credentials, nothing from elsewhere."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from config import Settings
from orchestrator.api.app import create_app
from orchestrator.web.pages import STATIC, assets

EXTERNAL = re.compile(r"""(?:https?:)?//(?!www\.w3\.org/2000/svg)[\w.-]+""")
ROOT = Path(__file__).resolve().parents[3]
REFERENCES = re.compile(r"""(?:src|href)="([^"]+)"|from "([^"]+)"|import\("([^"]+)"\)""")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app without its lifespan: the pages need no store."""
    root = tmp_path_factory.mktemp("web-pages")
    settings = Settings(database_url=f"sqlite:///{root / 'store.db'}", data_dir=root)
    yield TestClient(create_app(settings))


@pytest.mark.parametrize("path", ["/chat", "/console"])
def test_a_page_is_served_without_credentials_and_loads_only_its_own_files(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    for match in REFERENCES.finditer(response.text):
        target = next(g for g in match.groups() if g)
        assert target == "data:," or target.startswith(("/web/", "/chat", "/console", "#"))
        if target.startswith("/web/"):
            assert client.get(target).status_code == 200, target


def test_every_file_of_the_pages_is_served_and_names_no_other_origin(client: TestClient) -> None:
    files = assets()
    assert {"site.css", "js/api.js", "js/chat.js", "js/console.js", "js/chart.js"} <= set(files)
    for name, path in files.items():
        response = client.get(f"/web/{name}")
        assert response.status_code == 200, name
        assert response.content == path.read_bytes()
        if name.endswith(".js"):
            assert response.headers["content-type"] == "text/javascript; charset=utf-8"
        text = path.read_text()
        assert not EXTERNAL.search(text), f"{name} names another origin"
        for match in REFERENCES.finditer(text):
            target = next(g for g in match.groups() if g)
            if target.startswith("./"):
                assert (path.parent / target).resolve().is_file(), f"{name}: {target}"


def test_a_current_copy_is_not_sent_again(client: TestClient) -> None:
    first = client.get("/web/js/api.js")
    again = client.get("/web/js/api.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    changed = client.get("/web/js/api.js", headers={"If-None-Match": '"stale"'})
    assert changed.status_code == 200


@pytest.mark.parametrize(
    "name", ["nothing.js", "../pages.py", "..%2Fpages.py", "js/../../pages.py"]
)
def test_only_the_pages_files_are_served(client: TestClient, name: str) -> None:
    response = client.get(f"/web/{name}")
    assert response.status_code == 404
    assert response.json()["error"]["reason"] == "not_found"


def test_the_home_page_is_the_chat_and_pages_stay_out_of_the_api_document(
    client: TestClient,
) -> None:
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 307 and home.headers["location"] == "/chat"
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/", "/chat", "/console", "/web/{name}"} & set(paths)


def test_the_pages_files_ship_with_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["orchestrator.web"]
    for name in assets():
        assert any(fnmatch(f"static/{name}", p) for p in patterns), name
    assert sorted(p.name for p in STATIC.glob("*.html")) == ["chat.html", "console.html"]
