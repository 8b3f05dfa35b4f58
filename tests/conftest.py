"""Shared fixtures: an isolated LOAXA_HOME per test, a real PulseAudio null sink, helpers."""

from __future__ import annotations

import array
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SINK = "loaxa_test_sink"


@pytest.fixture(autouse=True)
def loaxa_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("LOAXA_HOME", str(home))
    monkeypatch.delenv("LOAXA_DATABASE_URL", raising=False)
    return home


@pytest.fixture
def db(tmp_path: Path):
    from scheduler.persistence import Database

    database = Database("sqlite:///" + (tmp_path / "test.db").as_posix())
    database.upgrade()
    yield database
    database.close()


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 180,
            check: bool = False) -> subprocess.CompletedProcess:
    """Run ``loaxa`` as a real separate process (``python -m app``)."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"loaxa {' '.join(args)} failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


# -- a real audio output -----------------------------------------------------------------
def _pactl_ok() -> bool:
    if not shutil.which("pactl"):
        return False
    return subprocess.run(["pactl", "info"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def pulse_sink() -> str:
    """A PulseAudio server whose default sink is a null sink; returns the sink name.

    CI (.ci/run) starts one; otherwise a private one is started here when PulseAudio is
    installed. Missing PulseAudio fails in CI and is reported as a skip elsewhere.
    """
    started = None
    if not _pactl_ok():
        if not shutil.which("pulseaudio"):
            message = "PulseAudio is not installed (apt-get install pulseaudio pulseaudio-utils)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        runtime = tempfile.mkdtemp(prefix="loaxa-pulse-")
        os.chmod(runtime, 0o700)
        os.environ["XDG_RUNTIME_DIR"] = runtime
        subprocess.run(["pulseaudio", "-D", "--exit-idle-time=-1", "--disable-shm=yes"],
                       check=True, capture_output=True)
        started = runtime
        for _ in range(50):
            if _pactl_ok():
                break
            time.sleep(0.1)
    sinks = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True,
                           text=True).stdout
    if SINK not in sinks:
        subprocess.run(["pactl", "load-module", "module-null-sink", f"sink_name={SINK}"],
                       check=True, capture_output=True)
    subprocess.run(["pactl", "set-default-sink", SINK], check=True)
    yield SINK
    if started:
        subprocess.run(["pulseaudio", "--kill"], capture_output=True)


class Recorder:
    """Records what goes out of the sink (its monitor) with parec."""

    def __init__(self, sink: str, path: Path) -> None:
        self.path = path
        self._out = path.open("wb")
        self._proc = subprocess.Popen(
            ["parec", "-d", f"{sink}.monitor", "--raw", "--format=s16le", "--rate=44100",
             "--channels=2"], stdout=self._out)
        time.sleep(0.3)

    def stop(self) -> array.array:
        self._proc.terminate()
        self._proc.wait(10)
        self._out.close()
        samples = array.array("h")
        data = self.path.read_bytes()
        samples.frombytes(data[: len(data) // 2 * 2])
        return samples


def rms(samples: array.array) -> float:
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples))


NO_AUDIO_ENV = {"PULSE_SERVER": "unix:/nonexistent/loaxa-no-audio"}
"""Environment for a process that sees no audio output at all (no server, no sound card)."""


# -- a throwaway PostgreSQL server (the shared-centre database case) ---------------------
@pytest.fixture(scope="session")
def postgres_server() -> str:
    """Starts PostgreSQL on 127.0.0.1 for the test session; returns a URL prefix."""
    import glob
    import socket

    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = bins[-1] if bins else shutil.which("initdb")
    if not initdb:
        message = "PostgreSQL server is not installed (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    pg_ctl = str(Path(initdb).with_name("pg_ctl"))
    folder = Path(tempfile.mkdtemp(prefix="loaxa-pg-"))  # reachable by the postgres user
    data = folder / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subprocess.run([*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--no-locale"], check=True, capture_output=True)
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
                    f"-k {folder} -p {port} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                   capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


import itertools  # noqa: E402

_databases = itertools.count()


def new_postgres_database(server: str) -> str:
    """A new empty database on the throwaway server; returns its URL."""
    from scheduler.persistence import Database

    name = f"loaxa_test_{next(_databases)}_{os.getpid()}"
    admin = Database(f"{server}/postgres")
    with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.exec_driver_sql(f"CREATE DATABASE {name} ENCODING 'UTF8'")
    admin.close()
    return f"{server}/{name}"


def new_database(request: pytest.FixtureRequest, tmp_path: Path, kind: str,
                 name: str = "test"):
    """A migrated database: a SQLite file, or a new database on the throwaway PostgreSQL."""
    from scheduler.persistence import Database

    if kind == "sqlite":
        database = Database("sqlite:///" + (tmp_path / f"{name}.db").as_posix())
    else:
        database = Database(new_postgres_database(request.getfixturevalue("postgres_server")))
    database.upgrade()
    return database


@pytest.fixture(params=["sqlite", "postgresql"])
def anydb(request: pytest.FixtureRequest, tmp_path: Path):
    """The same test on SQLite (the default) and on PostgreSQL (a shared centre database)."""
    database = new_database(request, tmp_path, request.param)
    yield database
    database.close()


# -- the window's tests ------------------------------------------------------------------------
@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window would have shown in message boxes (their texts), instead of showing."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name,
                            staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)))
    return shown


@pytest.fixture
def ctx():
    """The window's application context on the test's own LOAXA_HOME."""
    from app.services import open_context

    context = open_context("gui")
    yield context
    context.close()
