; LoaXa — Inno Setup 6 script for the PyInstaller one-folder bundle dist\loaxa\.
;
; Build, on Windows, from the project folder:
;   1. the bundle:   pyinstaller --noconfirm build.spec         (dist\loaxa\loaxa.exe …)
;   2. optional, the Vietnamese setup language: Inno Setup ships only its official
;      languages; Vietnamese is an unofficial translation (Files/Languages/Unofficial/
;      Vietnamese.isl in the Inno Setup source repository, for 6.5.0+). Save it as
;      installer\Vietnamese.isl (or in Inno's Languages\ folder); without it the setup is
;      in English and the Vietnamese entries below are left out.
;   3. the installer: iscc installer\loaxa.iss                   (dist\loaxa-setup-<version>.exe)
; The version comes from app\__init__.py (or iscc /DAppVersion=x.y.z).
;
; Per-user (no administrator needed, the default) or all-users install; Start-menu
; shortcut; optional desktop icon; task "start with Windows" (the same Run value the
; window's option writes: HKCU\...\Run\LoaXa = "…\loaxa.exe" --tray). Uninstalling keeps
; the user's data (%LOCALAPPDATA%\LoaXa: database, audio, settings, station key) unless
; the user says to delete it.

#define AppName "LoaXa"
#define AppExe "loaxa.exe"
#define ConsoleExe "loaxa-console.exe"
#define BundleDir "..\dist\loaxa"
#define DataDir "{localappdata}\LoaXa"
#define RunKey "Software\Microsoft\Windows\CurrentVersion\Run"

; The version: the line  __version__ = "x.y.z"  of app\__init__.py.
#ifndef AppVersion
  #define VersionFile AddBackslash(SourcePath) + "..\app\__init__.py"
  #define AppVersion ""
  #define FileLine ""
  #define FileHandle 0
  #sub ReadVersionLine
    #define FileLine FileRead(FileHandle)
    #if Pos("__version__", FileLine) == 1
      #define AppVersion Copy(FileLine, Pos('"', FileLine) + 1, RPos('"', FileLine) - Pos('"', FileLine) - 1)
    #endif
  #endsub
  #for {FileHandle = FileOpen(VersionFile); FileHandle && !FileEof(FileHandle); 0} ReadVersionLine
  #if FileHandle
    #expr FileClose(FileHandle)
  #endif
  #if AppVersion == ""
    #error Cannot read __version__ from app\__init__.py
  #endif
#endif

; The Vietnamese messages of Inno Setup, when present (see above).
#if FileExists(AddBackslash(SourcePath) + "Vietnamese.isl")
  #define VietnameseIsl AddBackslash(SourcePath) + "Vietnamese.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Vietnamese.isl")
  #define VietnameseIsl "compiler:Languages\Vietnamese.isl"
#endif

[Setup]
AppId={{9F462C4D-4A8C-49D3-A12B-14017E2B3831}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=LoaXa
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user by default (no administrator needed); the first page offers "all users".
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
; The Run value is per user (HKCU) in both modes, like the window's option.
UsedUserAreasWarning=no
LicenseFile=..\LICENSE
SetupIconFile=..\resources\icons\loaxa.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
OutputDir=..\dist
OutputBaseFilename=loaxa-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; The window and the playout process use files of the bundle: close them to update.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto

[Languages]
#ifdef VietnameseIsl
Name: "vi"; MessagesFile: "{#VietnameseIsl}"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
#ifdef VietnameseIsl
vi.TaskDesktopIcon=Tạo biểu tượng LoaXa trên màn hình nền
vi.TaskAutostart=Khởi động LoaXa cùng Windows (khuyên dùng: bộ phát chạy ngay cả khi chưa ai mở LoaXa)
vi.GroupStart=Khởi động:
vi.UninstallLoaXa=Gỡ cài đặt LoaXa
vi.OpenLoaXa=Mở LoaXa
vi.DeleteData=Xóa luôn dữ liệu của LoaXa trong %1?%n%nGồm cơ sở dữ liệu bản tin và lịch phát, tệp âm thanh, NHẬT KÝ PHÁT THANH và khóa ký của đài. Hãy sao lưu trước nếu còn cần nộp nhật ký.%n%nChọn "Không" để giữ lại (mặc định).
#endif
en.TaskDesktopIcon=Create a LoaXa icon on the desktop
en.TaskAutostart=Start LoaXa with Windows (recommended: playout runs even before anyone opens LoaXa)
en.GroupStart=Start:
en.UninstallLoaXa=Uninstall LoaXa
en.OpenLoaXa=Open LoaXa
en.DeleteData=Also delete LoaXa's data in %1?%n%nThat is the database of bulletins and schedules, the audio files, the BROADCAST LOG and the station's signing key. Back them up first if the log must still be handed in.%n%nChoose "No" to keep them (the default).

[Tasks]
Name: "desktopicon"; Description: "{cm:TaskDesktopIcon}"; Flags: unchecked
Name: "autostart"; Description: "{cm:TaskAutostart}"; GroupDescription: "{cm:GroupStart}"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallLoaXa}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Registry]
; Start with Windows: the window starts hidden in the tray and starts playout.
Root: HKCU; Subkey: "{#RunKey}"; ValueType: string; ValueName: "LoaXa"; ValueData: """{app}\{#AppExe}"" --tray"; Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:OpenLoaXa}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; The files cannot be removed while the window or the playout process runs.
Filename: "{sys}\taskkill.exe"; Parameters: "/F /IM {#AppExe}"; Flags: runhidden; RunOnceId: "StopWindow"
Filename: "{sys}\taskkill.exe"; Parameters: "/F /IM {#ConsoleExe}"; Flags: runhidden; RunOnceId: "StopPlayout"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usUninstall then
  begin
    { The window's own "start with Windows" option writes the same value. }
    RegDeleteValue(HKEY_CURRENT_USER, '{#RunKey}', 'LoaXa');
  end;
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{#DataDir}');
    { Kept unless the user says otherwise; a silent uninstall always keeps it. }
    if DirExists(DataDir) and not UninstallSilent() then
    begin
      if MsgBox(FmtMessage(CustomMessage('DeleteData'), [DataDir]), mbConfirmation,
                MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(DataDir, True, True, True);
    end;
  end;
end;
