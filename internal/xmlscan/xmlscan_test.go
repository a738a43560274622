package xmlscan

import (
	"errors"
	"strings"
	"testing"
)

type child struct {
	name, text string
	nested     bool
}

func scan(t testing.TB, doc string) ([]child, error) {
	d := []byte(doc)
	root, err := Root(d)
	if err != nil {
		return nil, err
	}
	var out []child
	it := Iter(d, root, 1)
	for {
		e, nested, ok := it.Next()
		if !ok {
			break
		}
		txt, err := Text(d, e.Start, e.End)
		if err != nil {
			return nil, err
		}
		out = append(out, child{string(e.Name), string(txt), nested})
	}
	return out, it.Err()
}

func TestScan(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		want []child
		err  error
	}{
		{"cdata", `<xml><A><![CDATA[x<y>&z]]></A></xml>`, []child{{"A", "x<y>&z", false}}, nil},
		{"plain_entities", `<xml><A>a&lt;&gt;&amp;&apos;&quot;&#65;&#x42;</A></xml>`, []child{{"A", "a<>&'\"AB", false}}, nil},
		{"mixed", "<xml><A> <![CDATA[x]]> y </A></xml>", []child{{"A", " x y ", false}}, nil},
		{"split_cdata", `<xml><A><![CDATA[a]]]]><![CDATA[>b]]></A></xml>`, []child{{"A", "a]]>b", false}}, nil},
		{"self_closing_attrs", `<xml><A x="1>"/><B y='2'>t</B></xml>`, []child{{"A", "", false}, {"B", "t", false}}, nil},
		{"nested_same_name", `<xml><A><A>1</A></A><B>2</B></xml>`, []child{{"A", "", true}, {"B", "2", false}}, nil},
		{"cdata_with_fake_end_tag", `<xml><A><![CDATA[</A>]]></A></xml>`, []child{{"A", "</A>", false}}, nil},
		{"prolog_comment_pi", "<?xml version=\"1.0\"?>\n<!-- c --><xml><!-- d --><?pi x?><A>1</A></xml>\n", []child{{"A", "1", false}}, nil},
		{"end_tag_space", `<xml><A>1</A ></xml >`, []child{{"A", "1", false}}, nil},
		{"doctype", `<!DOCTYPE x><xml/>`, nil, ErrDoctype},
		{"entity_decl_inside", `<xml><!ENTITY a "b"></xml>`, nil, ErrDoctype},
		{"unknown_entity", `<xml><A>&foo;</A></xml>`, nil, ErrEntity},
		{"nul_entity", `<xml><A>&#0;</A></xml>`, nil, ErrEntity},
		{"surrogate_entity", `<xml><A>&#xD800;</A></xml>`, nil, ErrEntity},
		{"mismatch", `<xml><A>1</B></xml>`, nil, ErrSyntax},
		{"unclosed_root", `<xml><A>1</A>`, nil, ErrSyntax},
		{"stray_end", `<xml></A></xml>`, nil, ErrSyntax},
		{"trailing", `<xml/>x`, nil, ErrTrailing},
		{"no_root", `   `, nil, ErrNoRoot},
		{"too_deep", strings.Repeat("<a>", MaxDepth+1) + strings.Repeat("</a>", MaxDepth+1), nil, ErrDepth},
		{"lt_in_name", `<xml><A<B>1</A<B></xml>`, nil, ErrSyntax},
		{"unterminated_comment", `<xml><!-- </xml>`, nil, ErrSyntax},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := scan(t, tc.doc)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("child %d: %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestAppendCDATARoundTrip(t *testing.T) {
	for _, s := range []string{"", "]]>", "]]]]>>", "a]]>b]]>c", "]", "]]", "x]]"} {
		doc := "<xml><A>" + string(AppendCDATA(nil, s)) + "</A></xml>"
		got, err := scan(t, doc)
		if err != nil || len(got) != 1 || got[0].text != s {
			t.Fatalf("%q: %+v %v (%s)", s, got, err, doc)
		}
	}
}

// FuzzScan checks that the scanner never panics and that ranges stay inside
// the input.
func FuzzScan(f *testing.F) {
	seeds := []string{`<xml><A><![CDATA[x]]></A><B>1&amp;2</B><C><D/></C></xml>`, `<?xml?><!-- c --><xml/>`, `<!DOCTYPE x><xml/>`}
	for _, tc := range flatCases {
		seeds = append(seeds, tc.doc)
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, d []byte) {
		// Differential: Root + full iteration accepts exactly what a full
		// scan accepts, with the same root range.
		slow, serr := rootSlow(d)
		fast, ferr := Root(d)
		if ferr == nil {
			it := Iter(d, fast, 1)
			for {
				if _, _, ok := it.Next(); !ok {
					break
				}
			}
			ferr = it.Err()
		}
		if serr == nil {
			it := Iter(d, slow, 1)
			for {
				if _, _, ok := it.Next(); !ok {
					break
				}
			}
			serr = it.Err()
		}
		if (ferr == nil) != (serr == nil) || (ferr == nil && (fast.Start != slow.Start || fast.End != slow.End || string(fast.Name) != string(slow.Name))) {
			t.Fatalf("fast %+v %v, slow %+v %v", fast, ferr, slow, serr)
		}
		root, err := Root(d)
		if err != nil {
			return
		}
		checkFlat(t, d, root)
		if root.Start < 0 || root.End > len(d) || root.Start > root.End {
			t.Fatalf("bad root range %+v", root)
		}
		if string(d[root.NameStart:root.NameStart+len(root.Name)]) != string(root.Name) {
			t.Fatalf("NameStart %d does not locate the root name %q", root.NameStart, root.Name)
		}
		it := Iter(d, root, 1)
		for {
			e, _, ok := it.Next()
			if !ok {
				break
			}
			if e.Start < root.Start || e.End > root.End || e.Start > e.End {
				t.Fatalf("bad child range %+v in %+v", e, root)
			}
			if e.CDATA {
				// The shortcut agrees with the full scan and with SimpleText.
				end, _, ch, err := findEnd(d[:root.End], e.Start, e.Name, 2)
				s, en, ok := SimpleText(d, e.Start, e.End)
				if err != nil || end != e.End || ch || !ok || s != e.Start+9 || en != e.End-3 {
					t.Fatalf("CDATA element %+v: findEnd %d %v %v, SimpleText %d %d %v", e, end, ch, err, s, en, ok)
				}
			}
			if e.NameStart <= root.Start || e.NameStart+len(e.Name) > e.Start || string(d[e.NameStart:e.NameStart+len(e.Name)]) != string(e.Name) {
				t.Fatalf("NameStart %d does not locate the name %q", e.NameStart, e.Name)
			}
			_, _ = Text(d, e.Start, e.End)
		}
	})
}

// checkFlat checks that when Flat reads the children of root, Children and
// Text read the same children with the same names and texts, none nested,
// and that Flat leaves dst as it was when it declines.
func checkFlat(t *testing.T, d []byte, root Elem) {
	t.Helper()
	prefix := make([]Field, 1, 1+len(d))
	prefix[0] = Field{1, 2, 3, 4}
	fl, ok := Flat(d, root, prefix)
	if !ok {
		if len(fl) != 1 || fl[0] != prefix[0] {
			t.Fatalf("Flat declined %q but changed dst: %+v", d, fl)
		}
		return
	}
	fl = fl[1:]
	it := Iter(d, root, 1)
	for k := 0; ; k++ {
		e, nested, next := it.Next()
		if !next {
			if err := it.Err(); err != nil {
				t.Fatalf("Flat reads %q, Children refuses it: %v", d, err)
			}
			if k != len(fl) {
				t.Fatalf("%q: Flat has %d children, Children %d", d, len(fl), k)
			}
			return
		}
		if k >= len(fl) {
			t.Fatalf("%q: Flat has %d children, Children more", d, len(fl))
		}
		txt, err := Text(d, e.Start, e.End)
		f := fl[k]
		if err != nil || nested || e.NameStart != int(f.NameStart) || string(e.Name) != string(d[f.NameStart:f.NameEnd]) || string(txt) != string(d[f.Start:f.End]) {
			t.Fatalf("%q: child %d: Flat %q=%q, Children %q=%q nested %v err %v", d, k, d[f.NameStart:f.NameEnd], d[f.Start:f.End], e.Name, txt, nested, err)
		}
	}
}

var flatCases = []struct {
	doc  string
	flat bool
}{
	{`<xml><A><![CDATA[x<y>&z]]></A><B>12</B><C></C><D><![CDATA[]]></D></xml>`, true},
	{"<xml>\n  <A>1</A>\r\n\t<B><![CDATA[</B>]]></B>\n</xml>\n", true},
	{`<xml></xml>`, true},
	{`<xml/>`, true},
	{`<xml><A>a>b]]>c</A></xml>`, true},
	{`<xml><Ä>ü</Ä></xml>`, true},
	{`<xml><A>1&amp;2</A></xml>`, false},
	{`<xml><A x="1">1</A></xml>`, false},
	{`<xml><A/></xml>`, false},
	{`<xml><A>1</A >`, false},
	{`<xml><A><B>1</B></A></xml>`, false},
	{`<xml><A> <![CDATA[x]]></A></xml>`, false},
	{`<xml><A><![CDATA[x]]> </A></xml>`, false},
	{`<xml><A><![CDATA[a]]]]><![CDATA[>b]]></A></xml>`, false},
	{`<xml>text<A>1</A></xml>`, false},
	{`<xml><!-- c --><A>1</A></xml>`, false},
	{`<xml><?pi?><A>1</A></xml>`, false},
	{`<xml><A>1</B></xml>`, false},
	{`<xml><A>1</AB></xml>`, false},
	{`<xml><A>1</A></xml><xml></xml>`, false},
	{`<xml><A><![CDATA[x</xml>`, false},
	{`<xml><A>1`, false},
	{`<xml><></></xml>`, false},
}

func TestFlatNeverAllocates(t *testing.T) {
	d := []byte(`<xml><A>1</A><B>2</B><C>3</C></xml>`)
	root, err := Root(d)
	if err != nil {
		t.Fatal(err)
	}
	if fl, ok := Flat(d, root, make([]Field, 0, 3)); !ok || len(fl) != 3 {
		t.Fatalf("Flat with room: %v %+v", ok, fl)
	}
	dst := make([]Field, 1, 3)
	if fl, ok := Flat(d, root, dst); ok || len(fl) != 1 || &fl[0] != &dst[0] {
		t.Fatalf("Flat without room for the children: %v %+v", ok, fl)
	}
}

func TestFlat(t *testing.T) {
	for _, tc := range flatCases {
		d := []byte(tc.doc)
		root, err := Root(d)
		if err != nil {
			if tc.flat {
				t.Fatalf("%q: %v", d, err)
			}
			continue
		}
		if _, ok := Flat(d, root, make([]Field, 0, 8)); ok != tc.flat {
			t.Fatalf("Flat(%q) = %v, want %v", d, ok, tc.flat)
		}
		checkFlat(t, d, root)
	}
}
