package message

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/wwkit/wwkit/internal/xmlscan"
)

// Limits of Parse: the largest message, and the most child elements of any
// one element (real callbacks have a few dozen).
const (
	MaxSize     = 4 << 20
	MaxChildren = 4096
)

// Errors returned by Parse; match with errors.Is.
var (
	ErrTooLarge = errors.New("message: xml larger than MaxSize")
	ErrSyntax   = errors.New("message: not a well-formed callback xml")
	ErrDoctype  = xmlscan.ErrDoctype
	// ErrTooManyChildren wraps ErrSyntax: an element has more than MaxChildren children.
	ErrTooManyChildren = errors.New("message: more than 4096 child elements in one element")
	// ErrNotUTF8 wraps ErrSyntax: the XML is not valid UTF-8. WeCom and
	// Official Accounts send UTF-8 only, so such a message was encoded in
	// another charset or corrupted; it is refused rather than repaired
	// (U+FFFD would store text that differs from what was signed).
	ErrNotUTF8 = errors.New("message: not valid UTF-8")
)

// utf8Error says where the first byte that is not UTF-8 is.
type utf8Error struct{ off int }

func (e *utf8Error) Error() string {
	return "message: not valid UTF-8 (first bad byte at offset " + strconv.Itoa(e.off) +
		"); WeCom and Official Accounts send UTF-8 only: the sender encoded the XML in another charset (GBK?) or corrupted it"
}
func (e *utf8Error) Unwrap() []error { return []error{ErrSyntax, ErrNotUTF8} }

// firstInvalidUTF8 returns the offset of the first byte of b that is not
// valid UTF-8, or -1.
func firstInvalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// Message is a decrypted callback message or event.
type Message struct {
	ToUserName   string // CorpID (WeCom) or original id gh_… (MP)
	FromUserName string // UserID (WeCom; "sys" for system events) or OpenID (MP)
	CreateTime   int64  // Unix seconds
	MsgType      string // text, image, …, event ("" for third-party InfoType callbacks)
	MsgID        int64  // MsgId, messages only; 0 when absent or not a decimal int64
	// MsgIDText is the MsgId element exactly as sent (spaces included).
	// Identify a message by it, not by MsgID: a MsgId of 2^63 or more has no
	// int64 value, and two different texts must never count as one message.
	MsgIDText string
	AgentID   int64  // WeCom app id; 0 when absent
	Event     string // event name as sent, for MsgType event
	EventKey  string // EventKey when present
	Body      Body   // typed payload, see the package documentation
	Raw       []byte // the XML as given to Parse
}

// Body is the typed part of a Message.
type Body interface{ kind() string }

// Text is MsgType text.
type Text struct {
	Content      string
	BizMsgMenuID string // MP: bizmsgmenuid when the user tapped a menu message
}

// Image is MsgType image.
type Image struct{ PicURL, MediaID string }

// Voice is MsgType voice. Recognition is MP speech-to-text when enabled.
type Voice struct{ MediaID, Format, Recognition string }

// Video is MsgType video or shortvideo.
type Video struct{ MediaID, ThumbMediaID string }

// Location is MsgType location. LocationX is the latitude, LocationY the
// longitude.
type Location struct {
	LocationX, LocationY float64
	Scale                int
	Label                string
	AppType              string // WeCom: "wxwork" [unconfirmed]
}

// Link is MsgType link.
type Link struct{ Title, Description, URL, PicURL string }

// Subscribe is the subscribe event. On MP, a scan of a parametric QR code
// gives EventKey "qrscene_<scene>" and a Ticket.
type Subscribe struct{ EventKey, Ticket string }

// Unsubscribe is the unsubscribe event.
type Unsubscribe struct{}

// EnterAgent is the WeCom enter_agent event (member opened the app).
type EnterAgent struct{ EventKey string }

// Scan is the MP SCAN event (a follower scanned a parametric QR code).
type Scan struct{ EventKey, Ticket string }

// LocationReport is the LOCATION event (periodic location report).
type LocationReport struct {
	Latitude, Longitude, Precision float64
	AppType                        string
}

// Click is a menu click event (WeCom click, MP CLICK).
type Click struct{ EventKey string }

// View is a menu jump event; EventKey is the URL.
type View struct{ EventKey, MenuID string }

// ViewMiniprogram is a menu jump to a mini program page.
type ViewMiniprogram struct{ EventKey, MenuID string }

// ScanCode is scancode_push / scancode_waitmsg.
type ScanCode struct{ EventKey, ScanType, ScanResult string }

// SendPics is pic_sysphoto / pic_photo_or_album / pic_weixin.
type SendPics struct {
	EventKey   string
	Count      int
	PicMD5Sums []string
}

// LocationSelect is the location_select event.
type LocationSelect struct {
	EventKey             string
	LocationX, LocationY float64
	Scale                int
	Label, Poiname       string
}

// BatchJobResult is the WeCom batch_job_result event.
type BatchJobResult struct {
	JobID, JobType string
	ErrCode        int
	ErrMsg         string
}

// ChangeContact is the WeCom change_contact event (FromUserName "sys"),
// also used for the third-party InfoType change_contact callback. Fields
// not listed here are in Fields.
type ChangeContact struct {
	ChangeType     string // create_user, update_user, delete_user, create_party, update_party, delete_party, update_tag
	UserID         string
	NewUserID      string // update_user when the userid changed [unconfirmed]
	Name           string
	Department     string // comma-separated ids
	MainDepartment string
	Mobile         string
	Email          string
	Status         string
	Alias          string
	Avatar         string
	ID             string // party id (Id)
	ParentID       string // ParentId
	Order          string
	TagID          string // TagId
	AddUserItems   string
	DelUserItems   string
	AddPartyItems  string
	DelPartyItems  string
	Fields         map[string]string // every top-level text element
}

// ChangeExternal is change_external_contact / change_external_chat /
// change_external_tag (客户联系).
type ChangeExternal struct {
	ChangeType     string
	UserID         string
	ExternalUserID string
	State          string
	WelcomeCode    string
	FailReason     string
	ChatID         string
	Fields         map[string]string
}

// TemplateCard is template_card_event / template_card_menu_event.
type TemplateCard struct {
	EventKey, TaskID, CardType, ResponseCode string
	SelectedItems                            []SelectedItem
}

// SelectedItem is one answered question of a template card.
type SelectedItem struct {
	QuestionKey string
	OptionIDs   []string
}

// TemplateSendJobFinish is the MP TEMPLATESENDJOBFINISH event.
type TemplateSendJobFinish struct {
	MsgID  int64
	Status string // success, failed:user block, failed: system failed
}

// MassSendJobFinish is the MP MASSSENDJOBFINISH event (群发结果): the
// outcome of a mass send, with how many followers it reached.
type MassSendJobFinish struct {
	MsgID       int64
	Status      string // send success, send fail, err(num)
	TotalCount  int64  // followers targeted
	FilterCount int64  // left after filtering (the ones a send was tried for)
	SentCount   int64
	ErrorCount  int64
}

// SuiteInfo is a WeCom third-party (第三方应用) instruction callback
// (指令回调): it has InfoType and SuiteId instead of MsgType, is encrypted
// with receiveid = SuiteID, and is answered with the plain text "success"
// (SuiteAck), not a passive reply. Which fields are set depends on InfoType:
//
//	InfoType              fields
//	suite_ticket          SuiteTicket (推送suite_ticket, every 10 minutes; valid 30 minutes)
//	create_auth           AuthCode (临时授权码, valid 10 minutes, single use), State
//	change_auth           AuthCorpID, State
//	cancel_auth           AuthCorpID
//	reset_permanent_code  AuthCode (exchange it with get_permanent_code) [unconfirmed layout]
//	change_contact        AuthCorpID, ChangeContact
//
// InfoType is trimmed of surrounding white space: Tencent's own suite_ticket
// sample has a space before the CDATA section.
type SuiteInfo struct {
	InfoType      string
	SuiteID       string
	AuthCorpID    string
	TimeStamp     int64
	SuiteTicket   string
	AuthCode      string
	State         string         // the state of the install URL, create_auth and change_auth
	ChangeContact *ChangeContact // for InfoType change_contact
	Fields        map[string]string
}

// InfoType values of the suite instruction callbacks.
const (
	InfoSuiteTicket        = "suite_ticket"
	InfoCreateAuth         = "create_auth"
	InfoChangeAuth         = "change_auth"
	InfoCancelAuth         = "cancel_auth"
	InfoResetPermanentCode = "reset_permanent_code"
	InfoChangeContact      = "change_contact"
)

// SuiteAck is the body a suite callback URL answers an instruction callback
// with (HTTP 200). Anything else makes the platform retry the push.
const SuiteAck = "success"

// Unknown is any message or event this package has no type for. Fields
// holds every top-level text element; nested elements are flattened with
// their leaf names. The full XML is in Message.Raw.
type Unknown struct{ Fields map[string]string }

func (*Text) kind() string                  { return "text" }
func (*Image) kind() string                 { return "image" }
func (*Voice) kind() string                 { return "voice" }
func (*Video) kind() string                 { return "video" }
func (*Location) kind() string              { return "location" }
func (*Link) kind() string                  { return "link" }
func (*Subscribe) kind() string             { return "subscribe" }
func (*Unsubscribe) kind() string           { return "unsubscribe" }
func (*EnterAgent) kind() string            { return "enter_agent" }
func (*Scan) kind() string                  { return "SCAN" }
func (*LocationReport) kind() string        { return "LOCATION" }
func (*Click) kind() string                 { return "click" }
func (*View) kind() string                  { return "view" }
func (*ViewMiniprogram) kind() string       { return "view_miniprogram" }
func (*ScanCode) kind() string              { return "scancode" }
func (*SendPics) kind() string              { return "pics" }
func (*LocationSelect) kind() string        { return "location_select" }
func (*BatchJobResult) kind() string        { return "batch_job_result" }
func (*ChangeContact) kind() string         { return "change_contact" }
func (*ChangeExternal) kind() string        { return "change_external" }
func (*TemplateCard) kind() string          { return "template_card" }
func (*TemplateSendJobFinish) kind() string { return "TEMPLATESENDJOBFINISH" }
func (*MassSendJobFinish) kind() string     { return "MASSSENDJOBFINISH" }
func (*SuiteInfo) kind() string             { return "suite_info" }
func (*Unknown) kind() string               { return "unknown" }

// field is one child element, as offsets into the document: with no
// pointers in it, a list of fields is recycled without clearing and filled
// without write barriers.
// When exact is set, [start, end) is the text itself (the inside of a CDATA
// section, or character data xmlscan.Flat found free of entities);
// otherwise it is the element's content, read with xmlscan.Text.
type field struct {
	key                            uint32 // nameKey of the name
	nameStart, nameEnd, start, end int32
	children, exact                bool
}

func newField(e xmlscan.Elem, children bool) field {
	k := nameKeyBytes(e.Name)
	if e.CDATA {
		return field{k, int32(e.NameStart), int32(e.NameStart + len(e.Name)), int32(e.Start + 9), int32(e.End - 3), false, true}
	}
	return field{k, int32(e.NameStart), int32(e.NameStart + len(e.Name)), int32(e.Start), int32(e.End), children, false}
}

// nameKey sums up an element name (length, first and last byte) so that a
// search by name compares names only where the keys are equal. For a
// constant name it is a constant once inlined.
func nameKey(name string) uint32 {
	if name == "" {
		return 0
	}
	return uint32(len(name))<<16 | uint32(name[0])<<8 | uint32(name[len(name)-1])
}

func nameKeyBytes(name []byte) uint32 {
	if len(name) == 0 {
		return 0
	}
	return uint32(len(name))<<16 | uint32(name[0])<<8 | uint32(name[len(name)-1])
}

// doc is the parse state: the input, one string copy of it (so text values
// are substrings without further copies) and the root's children.
type doc struct {
	d      []byte
	s      string
	fields []field
	err    error
}

// name is the element name of f.
func (p *doc) name(f field) string { return p.s[f.nameStart:f.nameEnd] }

func (p *doc) text(f field) string {
	if f.exact {
		return p.s[f.start:f.end]
	}
	if s, en, ok := xmlscan.SimpleText(p.d, int(f.start), int(f.end)); ok {
		return p.s[s:en]
	}
	b, err := xmlscan.Text(p.d, int(f.start), int(f.end))
	if err != nil {
		if p.err == nil {
			p.err = err
		}
		return ""
	}
	return string(b)
}

// find returns the last element of that name: a repeated element counts as
// its last occurrence, as for the header fields and for xml.Unmarshal.
func (p *doc) find(name string) (field, bool) {
	k := nameKey(name)
	for i := len(p.fields) - 1; i >= 0; i-- {
		if f := p.fields[i]; f.key == k && p.name(f) == name {
			return f, true
		}
	}
	return field{}, false
}

func (p *doc) get(name string) string {
	if f, ok := p.find(name); ok && !f.children {
		return p.text(f)
	}
	return ""
}

func (p *doc) int(name string) int64 { return atoi(p.get(name)) }

func (p *doc) float(name string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSpace(p.get(name)), 64)
	return v
}

// sub returns a doc over the children of the named nested element.
func (p *doc) sub(name string) *doc {
	f, ok := p.find(name)
	if !ok {
		return &doc{d: p.d, s: p.s}
	}
	return p.children(f, 2)
}

func (p *doc) children(f field, depth int) *doc {
	q := &doc{d: p.d, s: p.s}
	if !f.children {
		// Text only: an exact field's range is its text, where markup
		// (CDATA holding XML) is not elements.
		return q
	}
	it := xmlscan.Iter(p.d, xmlscan.Elem{Start: int(f.start), End: int(f.end)}, depth)
	for {
		e, ch, ok := it.Next()
		if !ok {
			break
		}
		if len(q.fields) == MaxChildren {
			if p.err == nil {
				p.err = ErrTooManyChildren
			}
			break
		}
		q.fields = append(q.fields, newField(e, ch))
	}
	if err := it.Err(); err != nil && p.err == nil {
		p.err = err
	}
	return q
}

// flat returns every leaf text element (nested ones by their leaf name).
func (p *doc) flat() map[string]string {
	m := make(map[string]string, len(p.fields))
	p.flatInto(m, 2)
	return m
}

func (p *doc) flatInto(m map[string]string, depth int) {
	for _, f := range p.fields {
		if f.children {
			if depth < xmlscan.MaxDepth {
				q := p.children(f, depth)
				q.flatInto(m, depth+1)
				if q.err != nil && p.err == nil {
					p.err = q.err
				}
			}
			continue
		}
		if _, dup := m[p.name(f)]; !dup {
			m[p.name(f)] = p.text(f)
		}
	}
}

// flatMax is how many children of the root xmlscan.Flat may read, their
// offsets on the stack: messages and events have a dozen at most; longer
// documents (change_contact) go through the general scanner.
const flatMax = 24

// fieldPool recycles the list of the root's children between Parse calls.
var fieldPool = sync.Pool{New: func() any { s := make([]field, 0, 32); return &s }}

// rootFields appends the children of root to fields. With flat set, the
// flat documents WeCom and Official Accounts send are read without the
// general scanner; anything else, errors included, is left to it. (Tests
// turn flat off to check that both read a document the same way.)
func rootFields(d []byte, root xmlscan.Elem, fields []field, flat bool) ([]field, error) {
	if flat {
		var buf [flatMax]xmlscan.Field
		if fl, ok := xmlscan.Flat(d, root, buf[:0]); ok {
			for _, f := range fl {
				k := nameKeyBytes(d[f.NameStart:f.NameEnd])
				fields = append(fields, field{k, f.NameStart, f.NameEnd, f.Start, f.End, false, true})
			}
			return fields, nil
		}
	}
	it := xmlscan.Iter(d, root, 1)
	for {
		e, ch, ok := it.Next()
		if !ok {
			break
		}
		if len(fields) == MaxChildren {
			return fields, ErrTooManyChildren
		}
		fields = append(fields, newField(e, ch))
	}
	return fields, it.Err()
}

// Parse parses a decrypted callback XML. It never panics; malformed input
// gives an error wrapping ErrSyntax, ErrDoctype or ErrTooLarge (invalid
// UTF-8: ErrNotUTF8 and ErrSyntax, with the offset of the first bad byte).
func Parse(plaintext []byte) (*Message, error) { return parse(plaintext, true) }

func parse(plaintext []byte, flat bool) (*Message, error) {
	if len(plaintext) > MaxSize {
		return nil, ErrTooLarge
	}
	if off := firstInvalidUTF8(plaintext); off >= 0 {
		return nil, &utf8Error{off}
	}
	root, err := xmlscan.Root(plaintext)
	if err != nil {
		return nil, wrap(err)
	}
	fp := fieldPool.Get().(*[]field)
	fields, err := rootFields(plaintext, root, (*fp)[:0], flat)
	defer func() {
		*fp = fields[:0]
		fieldPool.Put(fp)
	}()
	if err != nil {
		return nil, wrap(err)
	}
	return build(plaintext, fields)
}

// build makes the Message from the root's children.
func build(plaintext []byte, fields []field) (*Message, error) {
	p := &doc{d: plaintext, s: string(plaintext), fields: fields}
	h := Message{Raw: plaintext}
	for _, f := range p.fields {
		if f.children {
			continue
		}
		// The keys decide all but the rare name that shares one.
		switch name := p.name(f); f.key {
		case nameKey("ToUserName"):
			if name == "ToUserName" {
				h.ToUserName = p.text(f)
			}
		case nameKey("FromUserName"):
			if name == "FromUserName" {
				h.FromUserName = p.text(f)
			}
		case nameKey("CreateTime"):
			if name == "CreateTime" {
				h.CreateTime = atoi(p.text(f))
			}
		case nameKey("MsgType"):
			if name == "MsgType" {
				h.MsgType = p.text(f)
			}
		case nameKey("MsgId"):
			if name == "MsgId" {
				h.MsgIDText = p.text(f)
				h.MsgID = atoi(h.MsgIDText)
			}
		case nameKey("AgentID"):
			if name == "AgentID" {
				h.AgentID = atoi(p.text(f))
			}
		case nameKey("Event"):
			if name == "Event" {
				h.Event = p.text(f)
			}
		case nameKey("EventKey"):
			if name == "EventKey" {
				h.EventKey = p.text(f)
			}
		}
	}
	m := p.body(&h)
	if p.err != nil {
		return nil, wrap(p.err)
	}
	return m, nil
}

func wrap(err error) error {
	if errors.Is(err, xmlscan.ErrDoctype) {
		return err
	}
	return &parseError{err}
}

type parseError struct{ err error }

func (e *parseError) Error() string { return "message: " + e.err.Error() }
func (e *parseError) Unwrap() []error {
	return []error{ErrSyntax, e.err}
}

// atoi parses a decimal int64; anything else, out of range included, is 0
// (strconv clamps an out-of-range number, which would make different
// values equal).
func atoi(s string) int64 {
	// Plain digits are what Tencent sends (CreateTime, MsgId, AgentID);
	// they are read without strconv. 19 digits cannot overflow a uint64.
	if len(s) > 0 && len(s) <= 19 {
		var v uint64
		for i := 0; i < len(s); i++ {
			c := s[i] - '0'
			if c > 9 {
				goto slow
			}
			v = v*10 + uint64(c)
		}
		if v > math.MaxInt64 {
			return 0
		}
		return int64(v)
	}
slow:
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0
	}
	return v
}

// with returns a copy of h with b as its Body, the two in one allocation.
func with[T any, P interface {
	*T
	Body
}](h *Message, b T) *Message {
	x := &struct {
		m Message
		b T
	}{*h, b}
	x.m.Body = P(&x.b)
	return &x.m
}

// body returns the Message: the header h with the typed body for its
// MsgType.
func (p *doc) body(m *Message) *Message {
	switch m.MsgType {
	case "text":
		return with(m, Text{Content: p.get("Content"), BizMsgMenuID: p.get("bizmsgmenuid")})
	case "image":
		return with(m, Image{PicURL: p.get("PicUrl"), MediaID: p.get("MediaId")})
	case "voice":
		return with(m, Voice{MediaID: p.get("MediaId"), Format: p.get("Format"), Recognition: p.get("Recognition")})
	case "video", "shortvideo":
		return with(m, Video{MediaID: p.get("MediaId"), ThumbMediaID: p.get("ThumbMediaId")})
	case "location":
		return with(m, Location{LocationX: p.float("Location_X"), LocationY: p.float("Location_Y"), Scale: int(p.int("Scale")), Label: p.get("Label"), AppType: p.get("AppType")})
	case "link":
		return with(m, Link{Title: p.get("Title"), Description: p.get("Description"), URL: p.get("Url"), PicURL: p.get("PicUrl")})
	case "event":
		return p.event(m)
	case "":
		if _, ok := p.find("InfoType"); ok {
			return with(m, p.suite())
		}
	}
	return with(m, Unknown{Fields: p.flat()})
}

func (p *doc) event(m *Message) *Message {
	switch strings.ToLower(m.Event) {
	case "subscribe":
		return with(m, Subscribe{EventKey: m.EventKey, Ticket: p.get("Ticket")})
	case "unsubscribe":
		return with(m, Unsubscribe{})
	case "enter_agent":
		return with(m, EnterAgent{EventKey: m.EventKey})
	case "scan":
		return with(m, Scan{EventKey: m.EventKey, Ticket: p.get("Ticket")})
	case "location":
		return with(m, LocationReport{Latitude: p.float("Latitude"), Longitude: p.float("Longitude"), Precision: p.float("Precision"), AppType: p.get("AppType")})
	case "click":
		return with(m, Click{EventKey: m.EventKey})
	case "view":
		return with(m, View{EventKey: m.EventKey, MenuID: p.get("MenuId")})
	case "view_miniprogram":
		return with(m, ViewMiniprogram{EventKey: m.EventKey, MenuID: p.get("MenuId")})
	case "scancode_push", "scancode_waitmsg":
		s := p.sub("ScanCodeInfo")
		return with(m, ScanCode{EventKey: m.EventKey, ScanType: s.get("ScanType"), ScanResult: s.get("ScanResult")})
	case "pic_sysphoto", "pic_photo_or_album", "pic_weixin":
		s := p.sub("SendPicsInfo")
		b := SendPics{EventKey: m.EventKey, Count: int(s.int("Count"))}
		if f, ok := s.find("PicList"); ok {
			list := s.children(f, 3)
			for _, it := range list.fields {
				if list.name(it) == "item" {
					b.PicMD5Sums = append(b.PicMD5Sums, list.children(it, 4).get("PicMd5Sum"))
				}
			}
			if list.err != nil && p.err == nil {
				p.err = list.err
			}
		}
		p.merge(s)
		return with(m, b)
	case "location_select":
		s := p.sub("SendLocationInfo")
		p.merge(s)
		return with(m, LocationSelect{EventKey: m.EventKey, LocationX: s.float("Location_X"), LocationY: s.float("Location_Y"), Scale: int(s.int("Scale")), Label: s.get("Label"), Poiname: s.get("Poiname")})
	case "batch_job_result":
		s := p.sub("BatchJob")
		p.merge(s)
		return with(m, BatchJobResult{JobID: s.get("JobId"), JobType: s.get("JobType"), ErrCode: int(s.int("ErrCode")), ErrMsg: s.get("ErrMsg")})
	case "change_contact":
		return with(m, p.changeContact())
	case "change_external_contact", "change_external_chat", "change_external_tag":
		return with(m, ChangeExternal{ChangeType: p.get("ChangeType"), UserID: p.get("UserID"), ExternalUserID: p.get("ExternalUserID"), State: p.get("State"), WelcomeCode: p.get("WelcomeCode"), FailReason: p.get("FailReason"), ChatID: p.get("ChatId"), Fields: p.flat()})
	case "template_card_event", "template_card_menu_event":
		b := TemplateCard{EventKey: m.EventKey, TaskID: p.get("TaskId"), CardType: p.get("CardType"), ResponseCode: p.get("ResponseCode")}
		s := p.sub("SelectedItems")
		for _, f := range s.fields {
			if p.name(f) != "SelectedItem" {
				continue
			}
			item := s.children(f, 3)
			si := SelectedItem{QuestionKey: item.get("QuestionKey")}
			ids := item.sub("OptionIds")
			for _, o := range ids.fields {
				if ids.name(o) == "OptionId" && !o.children {
					si.OptionIDs = append(si.OptionIDs, ids.text(o))
				}
			}
			p.merge(item)
			p.merge(ids)
			b.SelectedItems = append(b.SelectedItems, si)
		}
		p.merge(s)
		return with(m, b)
	case "templatesendjobfinish":
		id := p.int("MsgID")
		if id == 0 {
			id = m.MsgID
		}
		return with(m, TemplateSendJobFinish{MsgID: id, Status: p.get("Status")})
	case "masssendjobfinish":
		id := p.int("MsgID")
		if id == 0 {
			id = m.MsgID
		}
		return with(m, MassSendJobFinish{MsgID: id, Status: p.get("Status"), TotalCount: p.int("TotalCount"),
			FilterCount: p.int("FilterCount"), SentCount: p.int("SentCount"), ErrorCount: p.int("ErrorCount")})
	}
	return with(m, Unknown{Fields: p.flat()})
}

// merge carries a sub-document's error up.
func (p *doc) merge(q *doc) {
	if q.err != nil && p.err == nil {
		p.err = q.err
	}
}

func (p *doc) changeContact() ChangeContact {
	return ChangeContact{
		ChangeType: p.get("ChangeType"), UserID: p.get("UserID"), NewUserID: p.get("NewUserID"),
		Name: p.get("Name"), Department: p.get("Department"), MainDepartment: p.get("MainDepartment"),
		Mobile: p.get("Mobile"), Email: p.get("Email"), Status: p.get("Status"), Alias: p.get("Alias"),
		Avatar: p.get("Avatar"), ID: p.get("Id"), ParentID: p.get("ParentId"), Order: p.get("Order"),
		TagID: p.get("TagId"), AddUserItems: p.get("AddUserItems"), DelUserItems: p.get("DelUserItems"),
		AddPartyItems: p.get("AddPartyItems"), DelPartyItems: p.get("DelPartyItems"),
		Fields: p.flat(),
	}
}

func (p *doc) suite() SuiteInfo {
	s := SuiteInfo{InfoType: strings.TrimSpace(p.get("InfoType")), SuiteID: p.get("SuiteId"), AuthCorpID: p.get("AuthCorpId"),
		TimeStamp: p.int("TimeStamp"), SuiteTicket: p.get("SuiteTicket"), AuthCode: p.get("AuthCode"), State: p.get("State"), Fields: p.flat()}
	if s.InfoType == InfoChangeContact {
		cc := p.changeContact()
		s.ChangeContact = &cc
	}
	return s
}
