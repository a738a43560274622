#!/usr/bin/env bash
# What each part of a Go binary costs: sums `go tool nm -size` by module
# (fyne.io/fyne/v2, github.com/wailsapp/wails/v2, …; C code of cgo
# packages has no package path and is counted as "C (cgo)"). Needs a binary
# built without -s (symbols kept); -w is fine. Prints bytes, largest first.
#   scripts/dist-nm.sh BINARY [N]      the N largest parts (default 15)
set -euo pipefail
bin="$1" n="${2:-15}"
go tool nm -size "$bin" | awk '
  NF >= 4 {
    size = $2; name = $4
    for (i = 5; i <= NF; i++) name = name " " $i
    if (name ~ /^(go:|type:|runtime\.|internal\/|sync|reflect|unicode|strconv|math|sort|syscall|os|io|bufio|bytes|strings|time|fmt|errors|context|path|crypto|encoding|compress|hash|net|image|regexp|text|html|mime|log|slices|maps|iter|container|embed|debug|go\/|weak|unique|structs|cmp)/) key = "Go standard library and runtime"
    else if (name ~ /^(fyne\.io\/|github\.com\/go-gl\/|github\.com\/fyne-io\/|github\.com\/go-text\/|github\.com\/srwiley\/|github\.com\/rymdport\/|github\.com\/yuin\/goldmark|github\.com\/nicksnyder\/go-i18n|github\.com\/jeandeaual\/|github\.com\/fredbi\/|github\.com\/hack-pad\/|github\.com\/jsummers\/|github\.com\/godbus\/|golang\.org\/x\/image)/) key = "Fyne tray (fyne, go-gl, go-text, …)"
    else if (name ~ /^github\.com\/wailsapp\//) key = "Wails (wails, go-webview2, …)"
    else if (name ~ /^modernc\.org\//) key = "SQLite (modernc.org, pure Go)"
    else if (name ~ /^github\.com\/wwkit\/wwkit\//) key = "wwkit"
    else if (name !~ /\./ || name ~ /^_/) key = "C (cgo) and unnamed"
    else { split(name, p, "/"); key = (p[1] ~ /\./ ? p[1] "/" p[2] "/" p[3] : p[1]) }
    sum[key] += size; total += size
  }
  END { for (k in sum) printf "%12d  %5.1f%%  %s\n", sum[k], 100 * sum[k] / total, k; printf "%12d  100.0%%  all symbols\n", total > "/dev/stderr" }
' | sort -rn | head -n "$n"
