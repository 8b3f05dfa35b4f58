"""The Windows "start with Windows" value, against an in-memory registry (winreg's calls)."""

from __future__ import annotations

import sys
import types

import pytest

from app.autostart import RUN_KEY, TRAY_FLAG, VALUE_NAME, WindowsRunKey


class _Key:
    def __init__(self, values: dict[str, tuple[object, int]]) -> None:
        self.values = values

    def __enter__(self) -> _Key:
        return self

    def __exit__(self, *_: object) -> None:
        return None


class FakeWinreg(types.ModuleType):
    """HKEY_CURRENT_USER only; keys are created by CreateKey, as in the real registry."""

    HKEY_CURRENT_USER = object()
    KEY_SET_VALUE = 2
    REG_SZ = 1

    def __init__(self) -> None:
        super().__init__("winreg")
        self.keys: dict[str, dict[str, tuple[object, int]]] = {}

    def OpenKey(self, root: object, path: str, reserved: int = 0,
                access: int = 0) -> _Key:
        assert root is self.HKEY_CURRENT_USER
        if path not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return _Key(self.keys[path])

    def CreateKey(self, root: object, path: str) -> _Key:
        assert root is self.HKEY_CURRENT_USER
        return _Key(self.keys.setdefault(path, {}))

    def QueryValueEx(self, key: _Key, name: str) -> tuple[object, int]:
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key.values[name]

    def SetValueEx(self, key: _Key, name: str, reserved: int, kind: int,
                   value: object) -> None:
        key.values[name] = (value, kind)

    def DeleteValue(self, key: _Key, name: str) -> None:
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del key.values[name]


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> FakeWinreg:
    fake = FakeWinreg()
    monkeypatch.setitem(sys.modules, "winreg", fake)
    return fake


def test_enable_writes_a_quoted_command_and_disable_removes_it(registry: FakeWinreg) -> None:
    exe = r"C:\Program Files\LoaXa\loaxa.exe"
    run = WindowsRunKey([exe, TRAY_FLAG])
    assert not run.enabled()  # no Run key at all yet
    run.enable()
    value, kind = registry.keys[RUN_KEY][VALUE_NAME]
    assert kind == FakeWinreg.REG_SZ
    assert value == rf'"{exe}" {TRAY_FLAG}'  # the same text the installer's task writes
    assert run.enabled()
    run.disable()
    assert VALUE_NAME not in registry.keys[RUN_KEY]
    assert not run.enabled()
    run.disable()  # already off: nothing to do, no error


def test_an_empty_value_counts_as_off_and_other_values_are_kept(registry: FakeWinreg) -> None:
    registry.keys[RUN_KEY] = {"OneDrive": ("onedrive.exe", 1), VALUE_NAME: ("  ", 1)}
    run = WindowsRunKey(["loaxa.exe", TRAY_FLAG])
    assert not run.enabled()
    run.enable()
    run.disable()
    assert registry.keys[RUN_KEY] == {"OneDrive": ("onedrive.exe", 1)}
