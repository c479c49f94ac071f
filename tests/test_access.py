"""API keys: stored hashed, roles enforced with problem+json 401/403, writes audited."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from conftest import make_settings, serving
from kb.access import AccessStore
from kb.settings import Settings


def test_keys_are_stored_hashed_and_checked(settings: Settings) -> None:
    store = AccessStore(settings.data_dir)
    new = store.create("coordination", "contributeur")
    assert new.key.startswith(f"dtpkb_{new.id}_")
    assert new.key.encode() not in store.path.read_bytes()
    assert new.key.split("_", 2)[2].encode() not in store.path.read_bytes()
    assert store.authenticate(new.key).role == "contributeur"  # type: ignore[union-attr]
    assert store.authenticate(new.key + "x") is None
    assert store.authenticate("dtpkb_00000000_nope") is None
    assert store.authenticate("garbage") is None
    store.revoke(new.id)
    assert store.authenticate(new.key) is None
    assert store.keys()[0].revoked


def test_keys_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from kb import keys_cli
    from kb.cli import app

    keys_cli.register(app)
    monkeypatch.setenv("DTPKB_DATA_DIR", str(settings.data_dir))
    runner = CliRunner()
    created = runner.invoke(app, ["keys", "create", "--role", "admin", "--name", "moi"])
    assert created.exit_code == 0, created.output
    clear = created.stdout.strip().splitlines()[0]
    store = AccessStore(settings.data_dir)
    assert store.authenticate(clear).role == "admin"  # type: ignore[union-attr]
    listed = runner.invoke(app, ["keys", "list"])
    assert "moi" in listed.stdout and clear not in listed.stdout
    key_id = store.keys()[0].id
    assert runner.invoke(app, ["keys", "revoke", key_id]).exit_code == 0
    assert store.authenticate(clear) is None
    bad = runner.invoke(app, ["keys", "create", "--role", "chef", "--name", "x"])
    assert bad.exit_code != 0


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, with_ui=False)) as c:
        yield c


def test_roles_and_audit_over_http(settings: Settings, client: TestClient) -> None:
    store = AccessStore(settings.data_dir)
    admin = {"Authorization": f"Bearer {store.create('chef', 'admin').key}"}
    lecteur = {"Authorization": f"Bearer {store.create('lecture', 'lecteur').key}"}

    none = client.post("/v1/keys", json={"name": "x", "role": "lecteur"})
    assert none.status_code == 401
    assert none.headers["content-type"] == "application/problem+json"
    assert "clé d'API" in none.json()["detail"]
    low = client.post("/v1/keys", json={"name": "x", "role": "lecteur"}, headers=lecteur)
    assert low.status_code == 403 and "rôle" in low.json()["detail"]
    bad = client.get("/v1/keys", headers={"Authorization": "Bearer dtpkb_1234_nope"})
    assert bad.status_code == 401

    made = client.post("/v1/keys", json={"name": "service", "role": "contributeur"}, headers=admin)
    assert made.status_code == 201
    key = made.json()
    assert client.get("/v1/keys", headers=admin).json()[-1]["id"] == key["id"]
    assert "key" not in client.get("/v1/keys", headers=admin).json()[-1]
    assert client.delete(f"/v1/keys/{key['id']}", headers=admin).json()["revoked"]
    revoked = {"Authorization": f"Bearer {key['key']}"}
    assert client.patch("/v1/documents/x", json={"year": 2020}, headers=revoked).status_code == 401

    # Reads are open on 127.0.0.1 (api.read_access=auto).
    assert client.post("/v1/search", json={"query": "diagnostic"}).status_code == 200
    audit = client.get("/v1/audit", headers=admin).json()
    assert [(a["method"], a["status"]) for a in audit[:2]] == [("DELETE", 200), ("POST", 201)]
    assert audit[0]["key_name"] == "chef" and audit[0]["target"] == key["id"]


def test_reads_need_a_key_when_so_configured(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path / "data", api={"read_access": "key"})
    with TestClient(create_app(settings, with_ui=False)) as c:
        assert c.post("/v1/search", json={"query": "diagnostic"}).status_code == 401
        key = AccessStore(settings.data_dir).create("lecture", "lecteur").key
        ok = c.post(
            "/v1/search", json={"query": "diagnostic"}, headers={"Authorization": f"Bearer {key}"}
        )
        assert ok.status_code == 200


def test_reads_need_a_key_on_an_interface_other_than_loopback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """api.read_access=auto (the default): `dtp-kb serve --host 0.0.0.0` listens beyond
    127.0.0.1, so every read needs a key, in the API and in the UI; /healthz stays open for
    probes."""
    settings = make_settings(tmp_path / "data")
    key = {
        "Authorization": f"Bearer {AccessStore(settings.data_dir).create('lecture', 'lecteur').key}"
    }
    reads = [
        ("POST", "/v1/search", {"query": "diagnostic"}),
        ("POST", "/v1/ask", {"question": "Quelles ruptures de parcours ?"}),
        ("GET", "/v1/documents", None),
        ("GET", "/v1/jobs", None),
        ("GET", "/v1/recommendations", None),
        ("GET", "/v1/stats/recommendations", None),
    ]
    with (
        serving(settings, "--host", "0.0.0.0", log_name="server-all-interfaces.log") as base,
        httpx.Client(base_url=base, timeout=60) as http,
    ):
        assert http.get("/healthz").status_code == 200
        for method, path, body in reads:
            refused = http.request(method, path, json=body)
            assert refused.status_code == 401, (path, refused.text)
            assert refused.headers["content-type"] == "application/problem+json"
            assert "clé d'API" in refused.json()["detail"]
            bad = {"Authorization": "Bearer dtpkb_0000_faux"}
            assert http.request(method, path, json=body, headers=bad).status_code == 401
            assert http.request(method, path, json=body, headers=key).status_code == 200, path

        # The UI reads the same index: it asks for a key (as its password) first.
        locked = http.get("/ui/config")
        assert locked.status_code == 401 and "clé d'API" in locked.text
        join = {"data": ["Quel est le budget ?"], "fn_index": 0, "session_hash": "x"}
        assert http.post("/ui/gradio_api/queue/join", json=join).status_code == 401
        wrong = {"username": "moi", "password": "dtpkb_0000_faux"}
        assert http.post("/ui/login", data=wrong).status_code == 400
        right = {"username": "moi", "password": key["Authorization"].removeprefix("Bearer ")}
        assert http.post("/ui/login", data=right).json() == {"success": True}
        assert http.get("/ui/config").status_code == 200  # the session cookie it set
