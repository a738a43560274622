package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strings"
)

// Bar is one bar of a chart.
type Bar struct {
	Label     string
	Value     float64
	Text      string // the value as printed next to the bar
	Highlight bool   // wwkit's own rows
}

// RefLine is a vertical marker, e.g. a target or a floor.
type RefLine struct {
	Label string
	Value float64
}

// Chart is a horizontal bar chart written as a standalone SVG file.
type Chart struct {
	File     string // base name under the charts directory, e.g. "crypto-decrypt-300b.svg"
	Title    string
	Subtitle string // e.g. "ns/op, median of 5 runs; shorter is better"
	Bars     []Bar
	Lines    []RefLine
	Log      bool // logarithmic axis (values spanning decades)
}

const (
	svgWidth  = 760
	labelW    = 230
	plotW     = 380
	rowH      = 26
	topH      = 74
	bottomH   = 34
	barColor  = "#8c959f"
	ownColor  = "#1a7f37"
	lineColor = "#cf222e"
)

// scale maps values to pixels along the plot.
type scale struct {
	log    bool
	lo, hi float64 // domain; lo is 0 for linear axes
}

func newScale(c *Chart) scale {
	max, min := 0.0, math.Inf(1)
	for _, b := range c.Bars {
		max = math.Max(max, b.Value)
		if b.Value > 0 {
			min = math.Min(min, b.Value)
		}
	}
	for _, l := range c.Lines {
		max = math.Max(max, l.Value)
		if l.Value > 0 {
			min = math.Min(min, l.Value)
		}
	}
	if max <= 0 {
		max = 1
	}
	if c.Log && !math.IsInf(min, 1) {
		return scale{log: true, lo: math.Pow(10, math.Floor(math.Log10(min))), hi: math.Pow(10, math.Ceil(math.Log10(max)+1e-9))}
	}
	return scale{lo: 0, hi: niceCeil(max * 1.02)}
}

func (s scale) px(v float64) float64 {
	if v <= 0 {
		return 0
	}
	var f float64
	if s.log {
		f = (math.Log10(v) - math.Log10(s.lo)) / (math.Log10(s.hi) - math.Log10(s.lo))
	} else {
		f = v / s.hi
	}
	return math.Max(0, math.Min(1, f)) * plotW
}

// ticks returns axis tick values.
func (s scale) ticks() []float64 {
	var t []float64
	if s.log {
		for v := s.lo; v <= s.hi*1.0001; v *= 10 {
			t = append(t, v)
		}
		return t
	}
	step := s.hi / 4
	for i := 0; i <= 4; i++ {
		t = append(t, step*float64(i))
	}
	return t
}

// niceCeil rounds v up to 1, 2, 2.5, 4 or 5 times a power of ten, so that the
// four axis steps are round numbers.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 4, 5, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// SVG renders the chart. Every text is XML-escaped.
func (c *Chart) SVG() []byte {
	s := newScale(c)
	h := topH + rowH*len(c.Bars) + bottomH
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="12">`+"\n", svgWidth, h, svgWidth, h)
	fmt.Fprintf(&b, `<title>%s</title>`+"\n", esc(c.Title))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", svgWidth, h)
	fmt.Fprintf(&b, `<text x="12" y="22" font-size="15" font-weight="bold" fill="#1f2328">%s</text>`+"\n", esc(c.Title))
	if c.Subtitle != "" {
		fmt.Fprintf(&b, `<text x="12" y="40" fill="#57606a">%s</text>`+"\n", esc(c.Subtitle))
	}
	plotTop, plotBottom := topH-6, topH+rowH*len(c.Bars)
	// grid and axis labels
	for _, t := range s.ticks() {
		x := labelW + s.px(t)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#d0d7de" stroke-width="1"/>`+"\n", x, plotTop, x, plotBottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#57606a" font-size="10">%s</text>`+"\n", x, plotBottom+14, esc(axisLabel(t)))
	}
	for i, bar := range c.Bars {
		y := topH + rowH*i
		color := barColor
		weight := "normal"
		if bar.Highlight {
			color, weight = ownColor, "bold"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#1f2328" font-weight="%s">%s</text>`+"\n", labelW-8, y+15, weight, esc(bar.Label))
		w := s.px(bar.Value)
		if bar.Value > 0 && w < 1 {
			w = 1
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s" rx="2"/>`+"\n", labelW, y+4, w, rowH-8, color)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="#1f2328" stroke="#ffffff" stroke-width="3" paint-order="stroke">%s</text>`+"\n", float64(labelW)+w+6, y+15, esc(bar.Text))
	}
	for i, l := range c.Lines {
		x := labelW + s.px(l.Value)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-width="1.5" stroke-dasharray="5,3"/>`+"\n", x, plotTop, x, plotBottom, lineColor)
		anchor := "start"
		if x > labelW+plotW*0.7 {
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="%s" fill="%s" font-size="10">%s</text>`+"\n", x+3-6*boolf(anchor == "end"), plotTop-4-11*(i%2), anchor, lineColor, esc(l.Label))
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// axisLabel prints a tick compactly: 2500 → 2.5k, 3e6 → 3M.
func axisLabel(v float64) string {
	switch a := math.Abs(v); {
	case a == 0:
		return "0"
	case a >= 1e9:
		return trimZero(v/1e9) + "G"
	case a >= 1e6:
		return trimZero(v/1e6) + "M"
	case a >= 1e3:
		return trimZero(v/1e3) + "k"
	case a < 1:
		return trimZero(v)
	}
	return trimZero(v)
}

func trimZero(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
