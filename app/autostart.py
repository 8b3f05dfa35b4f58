""""Start with Windows": the window started (in the tray) when the user logs in.

Qt-free, so the command line and the tests use it too. On Windows it is the value ``LoaXa`` under
``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`` (the installer's task writes the
same value); on Linux an XDG autostart entry (``~/.config/autostart/loaxa.desktop``). The
state is read from there every time, never copied into the settings, so the installer, the
Windows "Startup apps" page and the window always agree.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Protocol

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = "LoaXa"
TRAY_FLAG = "--tray"  # the window starts hidden, in the tray


def launch_command() -> list[str]:
    """What starts the window in the tray: the bundle's ``loaxa.exe`` or this Python."""
    if getattr(sys, "frozen", False):
        folder = Path(sys.executable).resolve().parent
        exe = folder / ("loaxa.exe" if sys.platform == "win32" else "loaxa")
        return [str(exe), TRAY_FLAG]
    python = Path(sys.executable)
    windowless = python.with_name("pythonw.exe")  # no console window at logon
    if sys.platform == "win32" and windowless.exists():
        python = windowless
    return [str(python), "-m", "app", TRAY_FLAG]


class Autostart(Protocol):
    def enabled(self) -> bool: ...

    def enable(self) -> None: ...

    def disable(self) -> None: ...


class WindowsRunKey:
    """HKCU\\...\\Run\\LoaXa = "C:\\...\\loaxa.exe" --tray."""

    def __init__(self, command: list[str] | None = None) -> None:
        self.command = command or launch_command()

    def enabled(self) -> bool:
        import winreg  # type: ignore[import-not-found]

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _ = winreg.QueryValueEx(key, VALUE_NAME)
        except OSError:
            return False
        return bool(str(value).strip())

    def enable(self) -> None:
        import winreg  # type: ignore[import-not-found]

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, VALUE_NAME, 0, winreg.REG_SZ,
                              subprocess.list2cmdline(self.command))

    def disable(self) -> None:
        import winreg  # type: ignore[import-not-found]

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0,
                                winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, VALUE_NAME)
        except FileNotFoundError:
            pass


def _desktop_quote(arg: str) -> str:
    """An argument of a .desktop Exec line (Desktop Entry Specification quoting)."""
    if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`%'):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg).replace("%", "%%")
    return f'"{escaped}"'


class XdgAutostart:
    """``$XDG_CONFIG_HOME/autostart/loaxa.desktop`` (freedesktop autostart)."""

    def __init__(self, folder: Path | None = None, command: list[str] | None = None) -> None:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        self.path = (folder or base / "autostart") / "loaxa.desktop"
        self.command = command or launch_command()

    def enabled(self) -> bool:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        return "Hidden=true" not in text

    def enable(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        exec_line = " ".join(_desktop_quote(a) for a in self.command)
        text = ("[Desktop Entry]\nType=Application\nName=LoaXa\n"
                "Comment=Loa truyền thanh xã / Commune loudspeakers\n"
                f"Exec={exec_line}\nTerminal=false\nX-GNOME-Autostart-enabled=true\n")
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.path)

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


class FakeAutostart:
    """In memory, for tests and screenshots."""

    def __init__(self, enabled: bool = False) -> None:
        self._enabled = enabled
        self.fail_with: OSError | None = None

    def enabled(self) -> bool:
        return self._enabled

    def enable(self) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self._enabled = True

    def disable(self) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self._enabled = False


def system_autostart() -> Autostart | None:
    """The platform's mechanism, or None where there is none (macOS)."""
    if sys.platform == "win32":
        return WindowsRunKey()
    if sys.platform.startswith("linux"):
        return XdgAutostart()
    return None
