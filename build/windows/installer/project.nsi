Unicode true
# A 64-bit installer: wwkit is amd64 only, and a 64-bit installer runs on
# wine64 alone (make test-dist installs it there; Debian's wine64 cannot run
# the default 32-bit stub without wine32 and i386 multiarch).
Target amd64-unicode

####
## wwkit's installer, from Wails' project.nsi (v2.11.0). scripts/dist-windows.sh
## builds it with:
##   makensis -DARG_WAILS_AMD64_BINARY=…\wwkit.exe -DINFO_PRODUCTVERSION=1.2.3 \
##            -DOUTFILE=…\wwkit_v1.2.3_windows_amd64_setup.exe -DLICENSE_FILE=…\LICENSE project.nsi
## It installs for the current user only (no administrator rights), adds a
## Start-menu entry and an uninstaller, and shows its pages in Chinese on a
## Chinese Windows, in English elsewhere. /S installs silently.
####
!include "wails_tools.nsh"

!ifndef OUTFILE
    !define OUTFILE "..\..\bin\${INFO_PROJECTNAME}-${ARCH}-installer.exe"
!endif
!ifndef LICENSE_FILE
    !define LICENSE_FILE "..\..\..\LICENSE"
!endif

# The version information for this two must consist of 4 parts
VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"

VIAddVersionKey /LANG=0 "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey /LANG=0 "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey /LANG=0 "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey /LANG=0 "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey /LANG=0 "ProductName"     "${INFO_PRODUCTNAME}"

# Enable HiDPI support. https://nsis.sourceforge.io/Reference/ManifestDPIAware
ManifestDPIAware true

!include "MUI2.nsh"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_FINISHPAGE_NOAUTOCLOSE
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT_EXECUTABLE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${LICENSE_FILE}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_INSTFILES

# The first language is the default; Windows' UI language picks another.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

Name "${INFO_PRODUCTNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${INFO_PRODUCTNAME}"
ShowInstDetails show

Function .onInit
   !insertmacro wails.checkArchitecture
FunctionEnd

Section
    !insertmacro wails.setShellContext

    !insertmacro wails.webview2runtime

    SetOutPath $INSTDIR

    !insertmacro wails.files
    File "${LICENSE_FILE}"

    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    CreateShortCut "$DESKTOP\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"

    !insertmacro wails.writeUninstaller
SectionEnd

Section "uninstall"
    !insertmacro wails.setShellContext

    # The WebView2 user data (Wails keeps it in %AppData%\wwkit.exe); the
    # profiles, inbox and secrets in %AppData%\wwkit stay.
    RMDir /r "$AppData\${PRODUCT_EXECUTABLE}"

    RMDir /r $INSTDIR

    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    Delete "$DESKTOP\${INFO_PRODUCTNAME}.lnk"

    !insertmacro wails.deleteUninstaller
SectionEnd
