"""Real components for every test: a real Chroma in tmp_path, the real default model, real PDFs.

The prepared embedding model is shared by all tests (under <checkout>/.dtpkb/models, made
once); each test's index lives in its own temporary folder. The API tests run against both
stores: the embedded one and a real `chroma run` server, started and stopped here
(DTPKB_TEST_STORE=embedded or =server runs one of them only).
"""

from __future__ import annotations

import os

# No model hub is reachable here; make any attempt fail fast rather than hang.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import ipaddress  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import AbstractContextManager, contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

import httpx  # noqa: E402
import pytest  # noqa: E402

from eval.bench_workers import chroma_server as bench_chroma_server  # noqa: E402
from kb.settings import CHECKOUT_DIR, Settings  # noqa: E402

CORPUS = CHECKOUT_DIR / "corpus"
SHARED_MODELS = CHECKOUT_DIR / ".dtpkb" / "models"
ARTIFACTS = CHECKOUT_DIR / "test-artifacts"


# --- network guard: the process may talk to loopback only ---------------------------------
def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return True  # AF_UNIX and friends


@pytest.fixture(autouse=True, scope="session")
def no_network() -> Iterator[None]:
    original = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if not _is_loopback(address):
            raise ConnectionRefusedError(f"tests may not reach the network ({address!r})")
        return original(self, address)  # type: ignore[arg-type]

    original_lookup = socket.getaddrinfo

    def guarded_lookup(host: object, *args: object, **kwargs: object) -> object:
        if host not in (None, "localhost") and not _is_loopback((host,)):
            raise socket.gaierror(f"tests may not resolve network names ({host!r})")
        return original_lookup(host, *args, **kwargs)  # type: ignore[arg-type]

    socket.socket.connect = guarded  # type: ignore[method-assign]
    socket.getaddrinfo = guarded_lookup  # type: ignore[assignment]
    yield
    socket.socket.connect = original  # type: ignore[method-assign]
    socket.getaddrinfo = original_lookup  # type: ignore[assignment]


# --- settings and knowledge bases ------------------------------------------------------
def make_settings(data_dir: Path, **overrides: object) -> Settings:
    return Settings(data_dir=data_dir, models_dir=SHARED_MODELS, **overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of an index holding the whole sample corpus, built once per session."""
    from ingest.pipeline import ingest_paths
    from kb.knowledge import build_kb

    settings = make_settings(tmp_path_factory.mktemp("corpus-index"))
    report = ingest_paths(build_kb(settings), [CORPUS])
    assert not report.failed, report.failed
    assert report.count("indexed") > 0
    return settings


def env_for(settings: Settings) -> dict[str, str]:
    """The environment a `dtp-kb` subprocess needs to use `settings`' index, store and model."""
    env = {
        **os.environ,
        "DTPKB_DATA_DIR": str(settings.data_dir),
        "DTPKB_MODELS_DIR": str(settings.resolved_models_dir),
    }
    if settings.chroma.host:
        env |= {"DTPKB_CHROMA__HOST": settings.chroma.host}
        env |= {"DTPKB_CHROMA__PORT": str(settings.chroma.port)}
    return env


# --- a `chroma run` server ---------------------------------------------------------------
STORE_MODES = [
    mode
    for mode in ("embedded", "server")
    if os.environ.get("DTPKB_TEST_STORE", "both") in (mode, "both")
]


def chroma_server(path: Path) -> AbstractContextManager[int]:
    """`chroma run --path <path>` on a free port (its log beside the test artifacts)."""
    return bench_chroma_server(path, ARTIFACTS)


def server_settings(data_dir: Path, port: int) -> Settings:
    return make_settings(data_dir, chroma={"host": "127.0.0.1", "port": port})


@pytest.fixture(scope="session")
def chroma_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """An empty `chroma run` server for the session."""
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as port:
        yield port


@pytest.fixture(scope="session", params=STORE_MODES)
def api_settings(
    request: pytest.FixtureRequest,
    corpus_settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Settings]:
    """The sample corpus index, embedded or served by `chroma run` (over a copy of the
    embedded index's folder: the same files, so the corpus is indexed once)."""
    if request.param == "embedded":
        yield corpus_settings
        return
    copy = tmp_path_factory.mktemp("corpus-server") / "data"
    shutil.copytree(corpus_settings.data_dir, copy)
    with chroma_server(copy / "chroma") as port:
        yield server_settings(copy, port)


def cli(settings: Settings, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the real `dtp-kb` console script."""
    exe = Path(sys.executable).with_name("dtp-kb")
    return subprocess.run(
        [str(exe), *args], env=env_for(settings), capture_output=True, text=True, timeout=timeout
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(settings: Settings, *args: str, log_name: str = "") -> Iterator[str]:
    """`dtp-kb serve ARGS` in a subprocess over `settings`' index; yields its base URL."""
    port = _free_port()
    exe = Path(sys.executable).with_name("dtp-kb")
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / (log_name or f"server-{port}.log")
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(exe), "serve", "--port", str(port), *args],
            env=env_for(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail(f"server did not start: {log.read_text()[-2000:]}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="session")
def server(corpus_settings: Settings) -> Iterator[str]:
    """`dtp-kb serve` over the corpus index (embedded store); yields its base URL."""
    with serving(corpus_settings) as base:
        yield base


@pytest.fixture(scope="session")
def served_api(api_settings: Settings) -> Iterator[str]:
    """`dtp-kb serve` over the corpus index, in each store mode; yields its base URL."""
    with serving(api_settings) as base:
        yield base


# --- the UI in a real browser ------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's, installed by `make test`
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def ui_page(server: str) -> Iterator[object]:
    """A headless chromium page showing the served UI at /ui."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1100})
        # Not "networkidle": the Documents tab's job timer keeps the page talking.
        page.goto(f"{server}/ui/")
        page.locator("#dtp-header").wait_for(timeout=60_000)
        yield page
        browser.close()
