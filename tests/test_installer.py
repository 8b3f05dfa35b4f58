"""installer/loaxa.iss (Inno Setup 6) cannot be compiled here (no Windows): its sections, the
paths of the PyInstaller bundle, the Run value and the messages are checked by parsing it."""

from __future__ import annotations

import re
from pathlib import Path

from app import APP_NAME
from app.autostart import RUN_KEY, TRAY_FLAG, VALUE_NAME
from tests.conftest import ROOT

ISS = ROOT / "installer" / "loaxa.iss"


def parse(text: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(#define name → value, section → its lines without comments and ISPP lines)."""
    defines = dict(re.findall(r'^#define (\w+) "([^"]*)"\s*$', text, re.M))
    sections: dict[str, list[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1)
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    return defines, sections


def entries(lines: list[str]) -> list[dict[str, str]]:
    """`Name: "x"; Flags: y` lines as dictionaries (quotes doubled inside values)."""
    found = []
    for line in lines:
        params = re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)', line)
        found.append({k: v.strip()[1:-1].replace('""', '"') if v.strip().startswith('"')
                      else v.strip() for k, v in params})
    return found


def windows_path(relative: str) -> Path:
    """A path of the script (relative to installer/, backslashes) on this machine."""
    return (ISS.parent / relative.replace("\\", "/")).resolve()


def expand(value: str, defines: dict[str, str]) -> str:
    return re.sub(r"\{#(\w+)\}", lambda m: defines[m.group(1)], value)


def test_script_is_utf8_with_bom_and_has_every_section() -> None:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Inno Setup 6 reads UTF-8 only with a BOM
    _, sections = parse(raw.decode("utf-8-sig"))
    for name in ("Setup", "Languages", "CustomMessages", "Tasks", "Files", "Icons",
                 "Registry", "Run", "UninstallRun", "Code"):
        assert sections.get(name), name


def test_setup_options() -> None:
    defines, sections = parse(ISS.read_text(encoding="utf-8-sig"))
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    assert setup["PrivilegesRequired"] == "lowest"  # per user by default …
    assert "dialog" in setup["PrivilegesRequiredOverridesAllowed"]  # … or for all users
    assert windows_path(setup["LicenseFile"]) == ROOT / "LICENSE"  # shown by the setup
    assert windows_path(setup["SetupIconFile"]) == ROOT / "resources" / "icons" / "loaxa.ico"
    assert windows_path(setup["SetupIconFile"]).is_file()
    assert setup["AppVersion"] == "{#AppVersion}"
    assert expand(setup["UninstallDisplayIcon"], defines) == r"{app}\loaxa.exe"
    assert re.fullmatch(r"\{\{[0-9A-F-]{36}\}", setup["AppId"])


def test_version_is_read_from_the_package() -> None:
    text = ISS.read_text(encoding="utf-8-sig")
    match = re.search(r'#define VersionFile AddBackslash\(SourcePath\) \+ "([^"]+)"', text)
    version_file = (ISS.parent / match.group(1).replace("\\", "/")).resolve()
    assert version_file == ROOT / "app" / "__init__.py"
    lines = [ln for ln in version_file.read_text(encoding="utf-8").splitlines()
             if ln.startswith("__version__")]
    assert len(lines) == 1 and lines[0].count('"') == 2  # what the ISPP loop cuts out


def test_bundle_paths_match_build_spec() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    exe_names = re.findall(r'EXE\([^)]*name="([^"]+)"', spec)
    collect = re.search(r'COLLECT\([^)]*name="([^"]+)"', spec).group(1)
    defines, sections = parse(ISS.read_text(encoding="utf-8-sig"))
    assert exe_names == ["loaxa", "loaxa-console"] and collect == "loaxa"
    assert defines["AppExe"] == exe_names[0] + ".exe"
    assert defines["ConsoleExe"] == exe_names[1] + ".exe"
    source = expand(entries(sections["Files"])[0]["Source"], defines)
    assert source == rf"..\dist\{collect}\*"
    assert "recursesubdirs" in entries(sections["Files"])[0]["Flags"]
    icons = entries(sections["Icons"])
    assert expand(icons[0]["Filename"], defines) == r"{app}\loaxa.exe"
    assert icons[0]["Name"].startswith("{group}")  # the Start-menu shortcut
    desktop = [i for i in icons if i["Name"].startswith("{autodesktop}")]
    assert desktop and desktop[0]["Tasks"] == "desktopicon"


def test_start_with_windows_writes_the_value_the_app_reads() -> None:
    defines, sections = parse(ISS.read_text(encoding="utf-8-sig"))
    tasks = {t["Name"]: t for t in entries(sections["Tasks"])}
    assert "unchecked" in tasks["desktopicon"].get("Flags", "")
    assert "autostart" in tasks
    (run,) = [r for r in entries(sections["Registry"]) if r.get("Tasks") == "autostart"]
    assert run["Root"] == "HKCU"
    assert expand(run["Subkey"], defines) == RUN_KEY
    assert run["ValueName"] == VALUE_NAME
    assert expand(run["ValueData"], defines) == rf'"{{app}}\loaxa.exe" {TRAY_FLAG}'
    assert "uninsdeletevalue" in run["Flags"]
    code = "\n".join(sections["Code"])
    assert f"RegDeleteValue(HKEY_CURRENT_USER, '{{#RunKey}}', '{VALUE_NAME}')" in code


def test_uninstall_keeps_the_data_unless_asked() -> None:
    defines, sections = parse(ISS.read_text(encoding="utf-8-sig"))
    # app.paths: %LOCALAPPDATA%\LoaXa holds the database, audio, settings, logs, key.
    assert defines["DataDir"] == rf"{{localappdata}}\{APP_NAME}"
    code = "\n".join(sections["Code"])
    assert "MB_DEFBUTTON2" in code and "IDYES then" in code  # "No" is the default
    assert "not UninstallSilent()" in code
    assert code.index("MsgBox(") < code.index("DelTree(DataDir")


def test_messages_exist_in_both_languages() -> None:
    text = ISS.read_text(encoding="utf-8-sig")
    _, sections = parse(text)
    used = set(re.findall(r"\{cm:(\w+)", text)) | set(re.findall(r"CustomMessage\('(\w+)'",
                                                                   text))
    defined: dict[str, set[str]] = {"vi": set(), "en": set()}
    for line in sections["CustomMessages"]:
        language, _, rest = line.partition(".")
        defined[language].add(rest.split("=", 1)[0])
    assert used and used <= defined["en"] and used <= defined["vi"]
    assert 'Name: "vi"' in text and 'Name: "en"' in text
    # Vietnamese only when its messages file is there (the Inno installer lacks it).
    assert re.search(r'#ifdef VietnameseIsl\s+Name: "vi"', text)
    assert re.search(r"#ifdef VietnameseIsl\s+vi\.", text)
