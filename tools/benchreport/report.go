package main

import (
	"fmt"
	"math"
	"strings"
)

// Generated sections of docs/benchmarks.md sit between these markers; the
// tool rewrites only what is between a begin and its end, so hand-written
// analyses and figures other people add outside them are kept.
const (
	beginFmt = "<!-- benchreport:begin %s -->"
	endFmt   = "<!-- benchreport:end %s -->"
)

// ReplaceSection puts content between the markers of section id in doc.
// When the markers are missing, the block is inserted right after the line
// equal to heading (e.g. "## Tokens"), or appended under a new heading at
// the end when there is no such line. Broken markers (one without the other,
// or end before begin, or twice) are an error, and doc is left alone.
func ReplaceSection(doc, id, heading, content string) (string, error) {
	begin, end := fmt.Sprintf(beginFmt, id), fmt.Sprintf(endFmt, id)
	content = strings.Trim(content, "\n")
	block := begin + "\n" + content + "\n" + end
	bi, ei := strings.Index(doc, begin), strings.Index(doc, end)
	switch {
	case bi >= 0 && ei > bi:
		if strings.Count(doc, begin) > 1 || strings.Count(doc, end) > 1 {
			return doc, fmt.Errorf("benchreport: %s: the marker %q appears more than once; keep one begin/end pair and rerun", id, begin)
		}
		return doc[:bi] + block + doc[ei+len(end):], nil
	case bi >= 0 || ei >= 0:
		return doc, fmt.Errorf("benchreport: %s: markers %q and %q are not a pair in order; fix them by hand (or delete both) and rerun", id, begin, end)
	}
	lines := strings.SplitAfter(doc, "\n")
	for i, l := range lines {
		if strings.TrimRight(l, "\r\n") == heading {
			head := strings.Join(lines[:i+1], "")
			if !strings.HasSuffix(head, "\n") {
				head += "\n"
			}
			return head + "\n" + block + "\n" + strings.Join(lines[i+1:], ""), nil
		}
	}
	if doc != "" && !strings.HasSuffix(doc, "\n") {
		doc += "\n"
	}
	return doc + "\n" + heading + "\n\n" + block + "\n", nil
}

// table renders a Markdown table; align is one of "l" or "r" per column.
func table(header []string, align string, rows [][]string) string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for i := range header {
		if i < len(align) && align[i] == 'r' {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	return b.String()
}

// group formats v with thin-space thousands groups: 1234567 → "1 234 567".
func group(v float64, decimals int) string {
	s := fmt.Sprintf("%.*f", decimals, v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// fmtNS prints a duration given in ns: 12.3 ns, 404 ns, 29.3 µs, 1.50 ms.
func fmtNS(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e4:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	case ns >= 100:
		return group(ns, 0) + " ns"
	}
	return fmt.Sprintf("%.1f ns", ns)
}

// fmtNum prints a benchmark value compactly (integers grouped).
func fmtNum(v float64) string {
	switch {
	case v == math.Trunc(v) || v >= 1000:
		return group(v, 0)
	case v >= 100:
		return group(v, 0)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// fmtBytes prints a size in bytes and in KB (1000) or MB (10^6).
func fmtBytes(n float64) string {
	if n >= 1e6 {
		return fmt.Sprintf("%s B (%.1f MB)", group(n, 0), n/1e6)
	}
	return fmt.Sprintf("%s B (%.0f KB)", group(n, 0), n/1e3)
}

func fmtRatio(r float64) string { return fmt.Sprintf("%.2f×", r) }

// Status of a target.
const (
	Met     = "met"
	Missed  = "**missed**"
	Skipped = "skipped"
	Failed  = "**failed**"
)

// Target is one line of the summary: a target from the issues and what this
// run measured.
type Target struct {
	Area, Goal, Measured, Status string
}

func verdict(ok bool) string {
	if ok {
		return Met
	}
	return Missed
}
