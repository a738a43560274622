package message

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const hdr = `<ToUserName><![CDATA[ww5a1b2c3d4e5f6a7b]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000037</CreateTime>`

func x(body string) string { return "<xml>" + hdr + body + "</xml>" }

func ev(event, body string) string {
	return x("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[" + event + "]]></Event>" + body + "<AgentID>1000002</AgentID>")
}

var parseCases = []struct {
	name string
	xml  string
	want Body
	msg  func(*Message) bool
}{
	{"text", x(`<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>4561255354251345929</MsgId><AgentID>1000002</AgentID>`),
		&Text{Content: "hello"}, func(m *Message) bool {
			return m.MsgID == 4561255354251345929 && m.AgentID == 1000002 && m.CreateTime == 1700000037
		}},
	// A MsgId beyond int64 keeps its exact text and no clamped number
	// (2^63 and 2^64-1 would both have become 9223372036854775807).
	{"text_msgid_2_63", x(`<MsgType>text</MsgType><Content>a</Content><MsgId>9223372036854775808</MsgId>`),
		&Text{Content: "a"}, func(m *Message) bool { return m.MsgID == 0 && m.MsgIDText == "9223372036854775808" }},
	{"text_msgid_spaces", x(`<MsgType>text</MsgType><Content>a</Content><MsgId> 12 </MsgId>`),
		&Text{Content: "a"}, func(m *Message) bool { return m.MsgID == 12 && m.MsgIDText == " 12 " }},
	{"text_plain_entities", x(`<MsgType>text</MsgType><Content>a &lt;b&gt; &amp; &#20320;&#x597D;</Content>`), &Text{Content: "a <b> & 你好"}, nil},
	{"text_cdata_split", x(`<MsgType>text</MsgType><Content><![CDATA[a]]]]><![CDATA[>b]]></Content>`), &Text{Content: "a]]>b"}, nil},
	{"text_pretty", "<?xml version=\"1.0\"?>\n<xml>\n  <ToUserName><![CDATA[gh_1]]></ToUserName>\n  <MsgType><![CDATA[text]]></MsgType>\n  <!-- c -->\n  <Content><![CDATA[hi]]></Content>\n  <New><Deep>1</Deep></New>\n</xml>\n", &Text{Content: "hi"},
		func(m *Message) bool { return m.ToUserName == "gh_1" }},
	{"mp_text_menu", x(`<MsgType>text</MsgType><Content>x</Content><bizmsgmenuid>101</bizmsgmenuid>`), &Text{Content: "x", BizMsgMenuID: "101"}, nil},
	{"image", x(`<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://p/1]]></PicUrl><MediaId><![CDATA[m1]]></MediaId><MsgId>1</MsgId>`), &Image{PicURL: "http://p/1", MediaID: "m1"}, nil},
	{"voice", x(`<MsgType>voice</MsgType><MediaId>m</MediaId><Format>amr</Format><Recognition><![CDATA[你好]]></Recognition>`), &Voice{MediaID: "m", Format: "amr", Recognition: "你好"}, nil},
	{"video", x(`<MsgType>video</MsgType><MediaId>m</MediaId><ThumbMediaId>t</ThumbMediaId>`), &Video{MediaID: "m", ThumbMediaID: "t"}, nil},
	{"shortvideo", x(`<MsgType>shortvideo</MsgType><MediaId>m</MediaId><ThumbMediaId>t</ThumbMediaId>`), &Video{MediaID: "m", ThumbMediaID: "t"}, nil},
	{"location", x(`<MsgType>location</MsgType><Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置]]></Label><AppType><![CDATA[wxwork]]></AppType>`),
		&Location{LocationX: 23.134521, LocationY: 113.358803, Scale: 20, Label: "位置", AppType: "wxwork"}, nil},
	{"link", x(`<MsgType>link</MsgType><Title>t</Title><Description>d</Description><Url>u</Url><PicUrl>p</PicUrl>`), &Link{Title: "t", Description: "d", URL: "u", PicURL: "p"}, nil},
	{"subscribe_wecom", ev("subscribe", ""), &Subscribe{}, func(m *Message) bool { return m.AgentID == 1000002 }},
	{"subscribe_mp_qr", ev("subscribe", `<EventKey><![CDATA[qrscene_123]]></EventKey><Ticket><![CDATA[TK]]></Ticket>`), &Subscribe{EventKey: "qrscene_123", Ticket: "TK"}, nil},
	{"unsubscribe", ev("unsubscribe", ""), &Unsubscribe{}, nil},
	{"enter_agent", ev("enter_agent", `<EventKey><![CDATA[]]></EventKey>`), &EnterAgent{}, nil},
	{"scan", ev("SCAN", `<EventKey>123</EventKey><Ticket>TK</Ticket>`), &Scan{EventKey: "123", Ticket: "TK"}, nil},
	{"location_report", ev("LOCATION", `<Latitude>23.1</Latitude><Longitude>113.3</Longitude><Precision>119.3</Precision>`), &LocationReport{Latitude: 23.1, Longitude: 113.3, Precision: 119.3}, nil},
	{"click_wecom", ev("click", `<EventKey>K1</EventKey>`), &Click{EventKey: "K1"}, nil},
	{"click_mp", ev("CLICK", `<EventKey>K1</EventKey>`), &Click{EventKey: "K1"}, nil},
	{"view_mp", ev("VIEW", `<EventKey>https://a/</EventKey><MenuId>7</MenuId>`), &View{EventKey: "https://a/", MenuID: "7"}, nil},
	{"view_miniprogram", ev("view_miniprogram", `<EventKey>pages/a</EventKey><MenuId>7</MenuId>`), &ViewMiniprogram{EventKey: "pages/a", MenuID: "7"}, nil},
	{"scancode_waitmsg", ev("scancode_waitmsg", `<EventKey>s</EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>`), &ScanCode{EventKey: "s", ScanType: "qrcode", ScanResult: "1"}, nil},
	{"pic_weixin", ev("pic_weixin", `<EventKey>p</EventKey><SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum><![CDATA[aa]]></PicMd5Sum></item><item><PicMd5Sum>bb</PicMd5Sum></item></PicList></SendPicsInfo>`),
		&SendPics{EventKey: "p", Count: 2, PicMD5Sums: []string{"aa", "bb"}}, nil},
	{"location_select", ev("location_select", `<EventKey>l</EventKey><SendLocationInfo><Location_X>23</Location_X><Location_Y>113</Location_Y><Scale>15</Scale><Label>L</Label><Poiname>P</Poiname></SendLocationInfo>`),
		&LocationSelect{EventKey: "l", LocationX: 23, LocationY: 113, Scale: 15, Label: "L", Poiname: "P"}, nil},
	{"batch_job_result", ev("batch_job_result", `<BatchJob><JobId>j</JobId><JobType>sync_user</JobType><ErrCode>0</ErrCode><ErrMsg>ok</ErrMsg></BatchJob>`), &BatchJobResult{JobID: "j", JobType: "sync_user", ErrMsg: "ok"}, nil},
	{"change_contact_delete_user", ev("change_contact", `<ChangeType>delete_user</ChangeType><UserID>u1</UserID>`),
		&ChangeContact{ChangeType: "delete_user", UserID: "u1", Fields: map[string]string{"ToUserName": "ww5a1b2c3d4e5f6a7b", "FromUserName": "zhangsan", "CreateTime": "1700000037", "MsgType": "event", "Event": "change_contact", "ChangeType": "delete_user", "UserID": "u1", "AgentID": "1000002"}}, nil},
	{"change_external_contact", ev("change_external_contact", `<ChangeType>add_external_contact</ChangeType><UserID>u</UserID><ExternalUserID>wm1</ExternalUserID><State>s</State><WelcomeCode>w</WelcomeCode>`),
		nil, func(m *Message) bool {
			b, ok := m.Body.(*ChangeExternal)
			return ok && b.ExternalUserID == "wm1" && b.WelcomeCode == "w" && b.ChangeType == "add_external_contact"
		}},
	{"template_card_event", ev("template_card_event", `<EventKey>btn</EventKey><TaskId>t</TaskId><CardType>vote_interaction</CardType><ResponseCode>rc</ResponseCode><SelectedItems><SelectedItem><QuestionKey>q</QuestionKey><OptionIds><OptionId>a</OptionId><OptionId>b</OptionId></OptionIds></SelectedItem></SelectedItems>`),
		&TemplateCard{EventKey: "btn", TaskID: "t", CardType: "vote_interaction", ResponseCode: "rc", SelectedItems: []SelectedItem{{QuestionKey: "q", OptionIDs: []string{"a", "b"}}}}, nil},
	{"templatesendjobfinish", ev("TEMPLATESENDJOBFINISH", `<MsgID>200163836</MsgID><Status><![CDATA[success]]></Status>`), &TemplateSendJobFinish{MsgID: 200163836, Status: "success"}, nil},
	{"masssendjobfinish", ev("MASSSENDJOBFINISH", `<MsgID>1988</MsgID><Status><![CDATA[send success]]></Status><TotalCount>100</TotalCount><FilterCount>80</FilterCount><SentCount>75</SentCount><ErrorCount>5</ErrorCount>`), &MassSendJobFinish{MsgID: 1988, Status: "send success", TotalCount: 100, FilterCount: 80, SentCount: 75, ErrorCount: 5}, nil},
	{"suite_change_contact", `<xml><SuiteId><![CDATA[tj1]]></SuiteId><AuthCorpId><![CDATA[wxc]]></AuthCorpId><InfoType><![CDATA[change_contact]]></InfoType><TimeStamp>1403610513</TimeStamp><ChangeType><![CDATA[create_party]]></ChangeType><Id>2</Id><Name>n</Name><ParentId>1</ParentId></xml>`,
		nil, func(m *Message) bool {
			b, ok := m.Body.(*SuiteInfo)
			return ok && b.SuiteID == "tj1" && b.TimeStamp == 1403610513 && b.ChangeContact != nil && b.ChangeContact.ID == "2" && b.ChangeContact.ParentID == "1"
		}},
	// Tencent's suite_ticket sample, with the space before the CDATA.
	{"suite_ticket", "<xml><SuiteId><![CDATA[ww4asffe99e54c0fxxxx]]></SuiteId>\n<InfoType> <![CDATA[suite_ticket]]></InfoType>\n<TimeStamp>1403610513</TimeStamp>\n<SuiteTicket><![CDATA[asdfasfdasdfasdf]]></SuiteTicket>\n</xml>",
		nil, func(m *Message) bool {
			b, ok := m.Body.(*SuiteInfo)
			return ok && m.MsgType == "" && b.InfoType == InfoSuiteTicket && b.SuiteID == "ww4asffe99e54c0fxxxx" && b.SuiteTicket == "asdfasfdasdfasdf" && b.TimeStamp == 1403610513
		}},
	{"suite_create_auth", `<xml><SuiteId><![CDATA[wwsuite1]]></SuiteId><AuthCode><![CDATA[AUTHCODE]]></AuthCode><InfoType><![CDATA[create_auth]]></InfoType><TimeStamp>1403610513</TimeStamp><State><![CDATA[s1]]></State></xml>`,
		nil, func(m *Message) bool {
			b, ok := m.Body.(*SuiteInfo)
			return ok && b.InfoType == InfoCreateAuth && b.AuthCode == "AUTHCODE" && b.State == "s1" && b.AuthCorpID == ""
		}},
	{"suite_change_auth", `<xml><SuiteId><![CDATA[wwsuite1]]></SuiteId><InfoType><![CDATA[change_auth]]></InfoType><TimeStamp>1403610513</TimeStamp><AuthCorpId><![CDATA[wwcorp1]]></AuthCorpId><State><![CDATA[s2]]></State></xml>`,
		nil, func(m *Message) bool {
			b, ok := m.Body.(*SuiteInfo)
			return ok && b.InfoType == InfoChangeAuth && b.AuthCorpID == "wwcorp1" && b.State == "s2"
		}},
	{"suite_cancel_auth", `<xml><SuiteId><![CDATA[wwsuite1]]></SuiteId><InfoType><![CDATA[cancel_auth]]></InfoType><TimeStamp>1403610513</TimeStamp><AuthCorpId><![CDATA[wwcorp1]]></AuthCorpId></xml>`,
		nil, func(m *Message) bool {
			b, ok := m.Body.(*SuiteInfo)
			return ok && b.InfoType == InfoCancelAuth && b.AuthCorpID == "wwcorp1" && b.AuthCode == "" && b.ChangeContact == nil
		}},
	{"suite_reset_permanent_code", `<xml><SuiteId><![CDATA[wwsuite1]]></SuiteId><AuthCode><![CDATA[RESET]]></AuthCode><InfoType><![CDATA[reset_permanent_code]]></InfoType><TimeStamp>1403610513</TimeStamp></xml>`,
		nil, func(m *Message) bool {
			b, ok := m.Body.(*SuiteInfo)
			return ok && b.InfoType == InfoResetPermanentCode && b.AuthCode == "RESET"
		}},
	{"unknown_event", ev("low_active_alarm", `<Extra><Inner>v</Inner></Extra>`), nil, func(m *Message) bool {
		b, ok := m.Body.(*Unknown)
		return ok && b.Fields["Inner"] == "v" && m.Event == "low_active_alarm" && strings.Contains(string(m.Raw), "<Extra>")
	}},
	{"unknown_msgtype", x(`<MsgType>miniprogrampage</MsgType><Title>t</Title>`), &Unknown{Fields: map[string]string{"ToUserName": "ww5a1b2c3d4e5f6a7b", "FromUserName": "zhangsan", "CreateTime": "1700000037", "MsgType": "miniprogrampage", "Title": "t"}}, nil},
	{"self_closing", x(`<MsgType>text</MsgType><Content/>`), &Text{}, nil},
	// Markup inside CDATA is text: a nested element written as CDATA has
	// no children to read (as for encoding/xml), whichever scanner read
	// the document.
	{"cdata_is_not_children_flat", ev("scancode_push", `<ScanCodeInfo><![CDATA[<ScanType>qrcode</ScanType>]]></ScanCodeInfo>`), &ScanCode{}, nil},
	{"cdata_is_not_children", ev("scancode_push", `<!-- c --><ScanCodeInfo><![CDATA[<ScanType>qrcode</ScanType>]]></ScanCodeInfo>`), &ScanCode{}, nil},
	{"cdata_is_not_children_unknown", ev("x", `<Extra><![CDATA[<Inner>v</Inner>]]></Extra>`), nil, func(m *Message) bool {
		b, ok := m.Body.(*Unknown)
		return ok && b.Fields["Extra"] == "<Inner>v</Inner>" && b.Fields["Inner"] == ""
	}},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse([]byte(tc.xml))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if tc.want != nil && !reflect.DeepEqual(m.Body, tc.want) {
				t.Fatalf("body %#v, want %#v", m.Body, tc.want)
			}
			if tc.msg != nil && !tc.msg(m) {
				t.Fatalf("message check failed: %+v body %+v", m, m.Body)
			}
			if string(m.Raw) != tc.xml {
				t.Fatal("Raw not kept")
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	cases := []struct {
		name, xml string
		want      error
	}{
		{"doctype", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><xml><Content>&lol;</Content></xml>`, ErrDoctype},
		{"doctype_inside", `<xml><!DOCTYPE x><Content>a</Content></xml>`, ErrDoctype},
		{"unknown_entity", `<xml><MsgType>text</MsgType><Content>&lol;</Content></xml>`, ErrSyntax},
		{"unclosed", `<xml><Content>a</xml>`, ErrSyntax},
		{"mismatched", `<xml><A>a</B></xml>`, ErrSyntax},
		{"empty", ``, ErrSyntax},
		{"text_only", `hello`, ErrSyntax},
		{"trailing", `<xml></xml><xml></xml>`, ErrSyntax},
		{"unterminated_cdata", `<xml><A><![CDATA[a</A></xml>`, ErrSyntax},
		{"deep", "<xml>" + strings.Repeat("<a>", 40) + strings.Repeat("</a>", 40) + "</xml>", ErrSyntax},
		{"too_many_children", "<xml>" + strings.Repeat("<a/>", MaxChildren+1) + "</xml>", ErrTooManyChildren},
		{"too_many_flat_children", "<xml>" + strings.Repeat("<a>1</a>", MaxChildren+1) + "</xml>", ErrTooManyChildren},
		{"too_many_nested_children", "<xml><MsgType>event</MsgType><Event>x</Event><N>" + strings.Repeat("<a/>", MaxChildren+1) + "</N></xml>", ErrSyntax},
		{"too_large", "<xml>" + strings.Repeat(" ", MaxSize) + "</xml>", ErrTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse([]byte(tc.xml))
			if !errors.Is(err, tc.want) || m != nil {
				t.Fatalf("Parse = %v, %v; want %v", m, err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "message: ") && !strings.HasPrefix(err.Error(), "xmlscan: ") {
				t.Fatalf("error not prefixed: %v", err)
			}
		})
	}
}

func TestReplies(t *testing.T) {
	news, err := NewNewsReply("u", "c", 1, []Article{{Title: "t", Description: "d", PicURL: "p", URL: "l"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		got  []byte
		want string
	}{
		// The example of callback-events.md §6.
		{"text_spec_example", NewTextReply("zhangsan", "ww5a1b2c3d4e5f6a7b", 1700000740, "this is a test"),
			`<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[ww5a1b2c3d4e5f6a7b]]></FromUserName><CreateTime>1700000740</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[this is a test]]></Content></xml>`},
		{"text_cdata_end", NewTextReply("u", "c", 1, "a]]>b"),
			`<xml><ToUserName><![CDATA[u]]></ToUserName><FromUserName><![CDATA[c]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>`},
		{"image", NewImageReply("u", "c", 1, "m"), `<xml><ToUserName><![CDATA[u]]></ToUserName><FromUserName><![CDATA[c]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[image]]></MsgType><Image><MediaId><![CDATA[m]]></MediaId></Image></xml>`},
		{"voice", NewVoiceReply("u", "c", 1, "m"), `<xml><ToUserName><![CDATA[u]]></ToUserName><FromUserName><![CDATA[c]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[voice]]></MsgType><Voice><MediaId><![CDATA[m]]></MediaId></Voice></xml>`},
		{"video", NewVideoReply("u", "c", 1, "m", "t", "d"), `<xml><ToUserName><![CDATA[u]]></ToUserName><FromUserName><![CDATA[c]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[m]]></MediaId><Title><![CDATA[t]]></Title><Description><![CDATA[d]]></Description></Video></xml>`},
		{"music", NewMusicReply("u", "c", 1, Music{"t", "d", "mu", "hq", "th"}), `<xml><ToUserName><![CDATA[u]]></ToUserName><FromUserName><![CDATA[c]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[music]]></MsgType><Music><Title><![CDATA[t]]></Title><Description><![CDATA[d]]></Description><MusicUrl><![CDATA[mu]]></MusicUrl><HQMusicUrl><![CDATA[hq]]></HQMusicUrl><ThumbMediaId><![CDATA[th]]></ThumbMediaId></Music></xml>`},
		{"update_button", NewUpdateButtonReply("u", "c", 1, "done"), `<xml><ToUserName><![CDATA[u]]></ToUserName><FromUserName><![CDATA[c]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[update_button]]></MsgType><Button><ReplaceName><![CDATA[done]]></ReplaceName></Button></xml>`},
		{"news", news, `<xml><ToUserName><![CDATA[u]]></ToUserName><FromUserName><![CDATA[c]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[news]]></MsgType><ArticleCount>1</ArticleCount><Articles><item><Title><![CDATA[t]]></Title><Description><![CDATA[d]]></Description><PicUrl><![CDATA[p]]></PicUrl><Url><![CDATA[l]]></Url></item></Articles></xml>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if string(tc.got) != tc.want {
				t.Fatalf("got  %s\nwant %s", tc.got, tc.want)
			}
			if _, err := Parse(tc.got); err != nil {
				t.Fatalf("reply does not parse: %v", err)
			}
		})
	}
	if _, err := NewNewsReply("u", "c", 1, nil); !errors.Is(err, ErrArticleCount) {
		t.Fatalf("empty news: %v", err)
	}
	if _, err := NewNewsReply("u", "c", 1, make([]Article, 9)); !errors.Is(err, ErrArticleCount) {
		t.Fatalf("9 articles: %v", err)
	}
}

func TestTextReplyRoundTrip(t *testing.T) {
	for _, s := range []string{"", "]]>", "a]]>]]>b", "<&>\"'", "你好 🎉", "]]]]>>", "x]]"} {
		m, err := Parse(NewTextReply("to", "from", 9, s))
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got := m.Body.(*Text).Content; got != s {
			t.Fatalf("content %q, want %q", got, s)
		}
	}
}

// TestParseRefusesInvalidUTF8: a message that is not UTF-8 (GBK bytes, a
// stray byte, a character cut short) is refused with ErrNotUTF8 and the
// offset of the first bad byte, never stored with the bytes repaired.
func TestParseRefusesInvalidUTF8(t *testing.T) {
	for in, off := range map[string]string{
		"<xml><Content>\xc4\xe3\xba\xc3</Content></xml>": "offset 14",
		"<xml><Content>ok \xff</Content></xml>":          "offset 17",
		"<xml><Content>\xe4\xbd</Content></xml>":         "offset 14",
	} {
		m, err := Parse([]byte(in))
		if m != nil || !errors.Is(err, ErrNotUTF8) || !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), off) {
			t.Errorf("Parse(%q) = %v, %v; want ErrNotUTF8 at %s", in, m, err, off)
		}
	}
	if _, err := Parse([]byte("<xml><Content>你好</Content></xml>")); err != nil {
		t.Errorf("valid UTF-8: %v", err)
	}
}

// TestAtoiAgreesWithStrconv checks the digit fast path of atoi against its
// definition: strconv.ParseInt of the trimmed text, 0 on any error.
func TestAtoiAgreesWithStrconv(t *testing.T) {
	for _, s := range []string{"", "0", "007", "1700000296", "4561255354251345929", "9223372036854775807",
		"9223372036854775808", "9999999999999999999", "18446744073709551616", "99999999999999999999",
		"+5", "-5", " 12 ", "\t12\n", "1_0", "12a", "１２", "0x10", "-9223372036854775808"} {
		want, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			want = 0
		}
		if got := atoi(s); got != want {
			t.Errorf("atoi(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestHeaderNameKeysDiffer guards the header switch in build: a case whose
// key equals an earlier one would never be reached.
func TestHeaderNameKeysDiffer(t *testing.T) {
	seen := map[uint32]string{}
	for _, n := range []string{"ToUserName", "FromUserName", "CreateTime", "MsgType", "MsgId", "AgentID", "Event", "EventKey"} {
		k := nameKey(n)
		if o, dup := seen[k]; dup {
			t.Fatalf("%s and %s have the same nameKey", o, n)
		}
		seen[k] = n
		if nameKeyBytes([]byte(n)) != k {
			t.Fatalf("nameKeyBytes(%s) differs from nameKey", n)
		}
	}
}
