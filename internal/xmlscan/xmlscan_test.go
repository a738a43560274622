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
