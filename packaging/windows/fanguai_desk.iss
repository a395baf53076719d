; Inno Setup 6 script: per-user installer for Windows with a Simplified Chinese wizard.
;
; Built on Debian under Wine by packaging/build-windows.sh (Inno Setup 6.4.1 from npm), which passes
; /DAppVersion, /DBundleDir (the PyInstaller one-folder bundle) and /O (output folder); smoke-tested under
; Wine by packaging/smoke_test_windows.sh (silent per-user install, start, uninstall, registry kept).
; On a Windows build machine with Inno Setup 6.4+:
;     "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 /DBundleDir=C:\src\fanguai_desk\dist\windows\fanguai-desk packaging\windows\fanguai_desk.iss
;   → dist\fanguai-desk-setup-0.1.0.exe
;
; Design:
; - Per user, no administrator rights (locked-down government laptops): PrivilegesRequired=lowest, the
;   program goes to %LOCALAPPDATA%\Programs\fanguai-desk, shortcuts to the user's Start menu / desktop.
; - The registry (encrypted personal records) is NEVER in the program folder: the app keeps it in the
;   user's data folder %LOCALAPPDATA%\fanguai_desk (platformdirs), or wherever the user chose.  The
;   directory page refuses a program folder inside that data folder.
; - Uninstalling removes the program only, never the data folder: encrypted personal records are deleted
;   only deliberately — a file at the end of its retention period through the app's purge (audited), a
;   whole registry by an administrator after backup and hand-over — never as a side effect of removing or
;   reinstalling the program (a reinstall or upgrade must find them again).
; - Chinese wizard: ChineseSimplified.isl beside this script (our own translation of Inno Setup 6.4.1's
;   Default.isl, see its header and INNO-SETUP-LICENSE.txt; Inno Setup's own unofficial Chinese
;   translation is not in any package registry we can use).  A compiler that ships
;   Languages\ChineseSimplified.isl uses its own.  Our own texts are the [CustomMessages] below.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppExe "fanguai-desk.exe"
#ifndef BundleDir
  #define BundleDir "..\..\dist\windows\fanguai-desk"
#endif

#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: place it in Inno Setup's Languages folder or beside this script (see the comment at the top).
#endif

[Setup]
; A fixed AppId: upgrades replace the same installation (never change it).
AppId={{6E0C9A52-3B7F-4C51-9D4E-2F8A61B7C3D0}
AppName=反拐专门档案登记库
AppVersion={#AppVersion}
AppVerName=反拐专门档案登记库 {#AppVersion}
AppPublisher=县民政局
AppComments=离线、加密的被拐卖受害人专门档案登记库
; Per user, no administrator rights; never {pf} / {commonpf}.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
DefaultDirName={localappdata}\Programs\fanguai-desk
DefaultGroupName=反拐专门档案登记库
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=fanguai-desk-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName=反拐专门档案登记库
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
; Close a running copy before replacing its files (Restart Manager); do not restart it afterwards.
CloseApplications=yes
RestartApplications=no
; No UPX, no self-update, no network: the installer is copied to the laptop on a USB stick.

[Languages]
Name: "chinesesimp"; MessagesFile: "{#ChineseIsl}"

[CustomMessages]
chinesesimp.AppDisplayName=反拐专门档案登记库
chinesesimp.DesktopShortcut=在桌面上创建快捷方式
chinesesimp.Shortcuts=快捷方式：
chinesesimp.LaunchNow=立即打开反拐专门档案登记库
chinesesimp.CommandLineHelp=命令行（高级）
chinesesimp.DirInsideData=不能把程序安装在登记库数据文件夹中：%n%1%n%n请选择其他文件夹（建议使用默认位置）。
chinesesimp.DataKept=程序已卸载。%n%n登记库数据仍保留在：%n%1%n%n其中是加密的个人档案，卸载程序不会删除它们；重新安装后可继续使用。如确需销毁整个登记库，请由管理员在确认已备份、已按规定移交后手工删除该文件夹；到期档案的清除请在程序中使用“清除”（purge）功能。
chinesesimp.FinishedDataNote=登记库数据将保存在：%n%1%n（加密；与程序文件夹分开，卸载或升级程序不会删除）。

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopShortcut}"; GroupDescription: "{cm:Shortcuts}"

[Files]
; The PyInstaller one-folder bundle, as built: fanguai-desk.exe and _internal\ (Python, Qt, the CJK font and
; its licence, translations, Alembic migrations).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole bundle: files a previous version had and this one does not must not linger
; (a stale module or migration would be loaded).  Only the program folder, never the data folder.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
; The shortcuts open the desktop app; the executable is also the command line (`fanguai-desk.exe --help`).
Name: "{autoprograms}\{cm:AppDisplayName}"; Filename: "{app}\{#AppExe}"; Parameters: "gui"; WorkingDir: "{userdocs}"; IconFilename: "{app}\{#AppExe}"
Name: "{autodesktop}\{cm:AppDisplayName}"; Filename: "{app}\{#AppExe}"; Parameters: "gui"; WorkingDir: "{userdocs}"; IconFilename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Parameters: "gui"; WorkingDir: "{userdocs}"; Description: "{cm:LaunchNow}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for the data folder, on purpose (see the top of this file).

[Code]
function DataDir(): String;
begin
  { platformdirs.user_data_dir("fanguai_desk", appauthor=False) on Windows }
  Result := ExpandConstant('{localappdata}\fanguai_desk');
end;

function IsInside(const Child, Parent: String): Boolean;
var
  C, P: String;
begin
  C := Lowercase(AddBackslash(Child));
  P := Lowercase(AddBackslash(Parent));
  Result := Copy(C, 1, Length(P)) = P;
end;

function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  if (CurPageID = wpSelectDir) and IsInside(WizardDirValue(), DataDir()) then
  begin
    SuppressibleMsgBox(FmtMessage(CustomMessage('DirInsideData'), [DataDir()]), mbError, MB_OK, IDOK);
    Result := False;
  end;
end;

function UpdateReadyMemo(Space, NewLine, MemoUserInfoInfo, MemoDirInfo, MemoTypeInfo, MemoComponentsInfo,
  MemoGroupInfo, MemoTasksInfo: String): String;
begin
  Result := MemoDirInfo + NewLine + NewLine + FmtMessage(CustomMessage('FinishedDataNote'), [DataDir()]);
  if MemoTasksInfo <> '' then
    Result := Result + NewLine + NewLine + MemoTasksInfo;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataDir()) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir()]), mbInformation, MB_OK);
end;
