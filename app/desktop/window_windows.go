//go:build (desktop || bindings) && windows

package desktop

import (
	"syscall"
	"unsafe"

	"github.com/wailsapp/wails/v2/pkg/options/windows"
)

// webView2Download is Microsoft's page for the Evergreen WebView2 Runtime.
const webView2Download = "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

// windowsOptions makes Wails' WebView2 check speak to our users: when the
// runtime is missing (Windows 10 without Edge updates, a locked-down company
// image) Wails asks before downloading Microsoft's bootstrapper, and every
// message says, in Chinese and English, what is missing, where to get it and
// that `wwkit serve` works without a window.
func windowsOptions() *windows.Options {
	const noWindow = "\n\n没有窗口也能用：在命令行运行 wwkit serve。\nWithout the window: run wwkit serve in a terminal."
	return &windows.Options{
		Messages: &windows.Messages{
			InstallationRequired: "wwkit 的窗口需要 Microsoft Edge WebView2 运行时，本机没有安装。按“确定”从微软下载并静默安装（请稍候）。\n\n" +
				"wwkit's window needs the Microsoft Edge WebView2 Runtime, which is not installed. Press OK to download and install it from Microsoft (silently; please wait).",
			UpdateRequired: "wwkit 的窗口需要更新版本的 Microsoft Edge WebView2 运行时。按“确定”从微软下载并静默安装（请稍候）。\n\n" +
				"wwkit's window needs a newer Microsoft Edge WebView2 Runtime. Press OK to download and install it from Microsoft (silently; please wait).",
			MissingRequirements:  "缺少 WebView2 运行时 / WebView2 Runtime missing",
			Webview2NotInstalled: "WebView2 运行时未安装，窗口无法打开 / the WebView2 Runtime is not installed, so the window cannot open: " + webView2Download,
			Error:                "wwkit 错误 / wwkit error",
			FailedToInstall: "WebView2 运行时安装失败。请从 " + webView2Download + " 手动下载安装（公司电脑可能需要管理员）。\n\n" +
				"The WebView2 Runtime could not be installed. Download it from " + webView2Download + " (a company PC may need your administrator)." + noWindow,
			DownloadPage: "wwkit 的窗口需要 Microsoft Edge WebView2 运行时。按“确定”打开下载页面。\n" +
				"wwkit's window needs the Microsoft Edge WebView2 Runtime. Press OK to open the download page. Minimum version / 最低版本: ",
			PressOKToInstall: " 按“确定”安装 / Press OK to install.",
			ContactAdmin: "wwkit 的窗口需要 Microsoft Edge WebView2 运行时，请联系系统管理员安装（" + webView2Download + "）。\n\n" +
				"wwkit's window needs the Microsoft Edge WebView2 Runtime; ask your administrator to install it (" + webView2Download + ")." + noWindow,
			InvalidFixedWebview2: "指定的 WebView2 运行时无效 / the WebView2 Runtime given is not valid: check its path and version.",
			WebView2ProcessCrash: "WebView2 进程崩溃，请重新启动 wwkit。/ The WebView2 process crashed; start wwkit again.",
		},
	}
}

// releaseOwnConsole lets go of the console window Windows opened for this
// console program when it was started from Explorer or the Start menu (the
// console has no other process), so only the app's window stays. Started
// from cmd.exe or PowerShell the console is shared and kept: wwkit.exe is
// also the CLI.
func releaseOwnConsole() {
	k := syscall.NewLazyDLL("kernel32.dll")
	list, free := k.NewProc("GetConsoleProcessList"), k.NewProc("FreeConsole")
	if list.Find() != nil || free.Find() != nil {
		return
	}
	var pids [2]uint32
	n, _, _ := list.Call(uintptr(unsafe.Pointer(&pids[0])), uintptr(len(pids)))
	if n == 1 {
		_, _, _ = free.Call()
	}
}
