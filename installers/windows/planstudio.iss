; Inno Setup script for Plan Studio on Windows: a per-user install that needs no administrator
; rights, a Start-menu entry, the .psplan file type ("Plan Studio plan") with its icon, and an
; uninstaller that leaves the user's plans, recovery copies and settings alone.
;
; installers/build.py runs it after PyInstaller:
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\planstudio /DOutputDir=dist installers\windows\planstudio.iss
; The folder holds "Plan Studio.exe" (windowed: the Start menu and double-clicked plans) and its
; console twin "planstudio.exe" (the same program with a console, for the command line).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\planstudio"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppExe "Plan Studio.exe"
#define ProgId "PlanStudio.Plan"

[Setup]
AppId={{6B0F3C2E-5B7A-4E0B-9B1C-2F5D7C1A9E41}
AppName=Plan Studio
AppVersion={#AppVersion}
AppVerName=Plan Studio {#AppVersion}
AppPublisher=Plan Studio
; Per user, no administrator: {autopf} is %LOCALAPPDATA%\Programs when installing this way.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\Plan Studio
DefaultGroupName=Plan Studio
DisableProgramGroupPage=yes
OutputDir={#OutputDir}
OutputBaseFilename=PlanStudio-{#AppVersion}-setup
SetupIconFile=..\icons\planstudio.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName=Plan Studio {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\icons\planstudio.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\Plan Studio"; Filename: "{app}\{#AppExe}"; Comment: "Write the district improvement plan"
Name: "{autodesktop}\Plan Studio"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The .psplan file type, for this user (HKA is HKCU in a per-user install). A double-clicked
; plan starts "Plan Studio.exe" with its path; when Plan Studio already runs, the plan opens
; in a new window of that program.
Root: HKA; Subkey: "Software\Classes\.psplan"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.psplan"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-planstudio"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.psplan\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Plan Studio plan"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\planstudio.ico,0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".psplan"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,Plan Studio}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes only what it installed. Plans live wherever the
; user saved them; recovery copies, locks and the error log in %LOCALAPPDATA%\PlanStudio; the
; settings in HKCU\Software\PlanStudio. All of them stay.
