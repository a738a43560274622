package desktop

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/app/tray/model"
)

// RejectedDTO is a callback the dev server refused, with the doctor's
// verdict and the callback checker's input filled in.
type RejectedDTO struct {
	ID      int64  `json:"id"`
	At      string `json:"at"` // RFC 3339
	Profile string `json:"profile"`
	Path    string `json:"path"`
	Method  string `json:"method"`
	Peer    string `json:"peer"`
	Kind    string `json:"kind"`   // where the server stopped: signature, decrypt, clock, xml, …
	Status  int    `json:"status"` // HTTP status answered
	Reason  string `json:"reason"` // the server's answer
	// Verdict is the doctor's one-word cause (token, aeskey, receiveid,
	// clock, …; the window translates it); Detail explains it in English.
	Verdict    string `json:"verdict"`
	Detail     string `json:"detail"`
	DetailZh   string `json:"detailZh,omitempty"` // Detail in Chinese, "" when only the verdict is translated
	BodyBytes  int    `json:"bodyBytes"`
	BodySHA256 string `json:"bodySha256,omitempty"`
	// Doctor is the `wwkit crypt doctor` command line replaying the check.
	Doctor string `json:"doctor,omitempty"`
	// Checker is the callback checker's input (the workbench's doctor):
	// the request URL with the recorded query; the body is not kept by
	// the server, so the developer pastes it.
	Checker DoctorRequest `json:"checker"`
}

// RejectedPageDTO is the Rejected view of the inbox: the kept refusals
// (the last KeptPerPath per callback path), newest first, and the counts
// since the dev server started.
type RejectedPageDTO struct {
	Entries     []RejectedDTO    `json:"entries"`
	Total       int64            `json:"total"`
	ByProfile   map[string]int64 `json:"byProfile"`
	ByVerdict   map[string]int64 `json:"byVerdict"`
	KeptPerPath int              `json:"keptPerPath"`
}

// Rejected lists the callbacks the dev server refused for profile ("" =
// all): from the server in this process, or from the attached one's
// GET /api/inbox?view=rejected.
func (s *InboxService) Rejected(profile string) (RejectedPageDTO, error) {
	l, err := s.app.current()
	if err != nil {
		return RejectedPageDTO{}, err
	}
	var (
		list   []server.Rejection
		counts server.RejectedCounts
		kept   = 50
	)
	if l.srv != nil {
		list, counts = l.srv.Rejected(profile)
	} else {
		ctx, cancel := s.app.callCtx()
		defer cancel()
		var ans struct {
			OK          bool                  `json:"ok"`
			Error       string                `json:"error"`
			Rejected    []server.Rejection    `json:"rejected"`
			Counts      server.RejectedCounts `json:"counts"`
			KeptPerPath int                   `json:"keptPerPath"`
		}
		if err := s.app.getJSON(ctx, l.url+"/api/inbox?"+url.Values{"view": {"rejected"}, "profile": {profile}}.Encode(), &ans); err != nil {
			return RejectedPageDTO{}, failWrap("inbox.read", err)
		}
		list, counts, kept = ans.Rejected, ans.Counts, ans.KeptPerPath
	}
	out := RejectedPageDTO{Entries: make([]RejectedDTO, 0, len(list)), Total: counts.Total, ByProfile: counts.ByProfile, ByVerdict: counts.ByVerdict, KeptPerPath: kept}
	if profile != "" {
		out.Total = counts.ByProfile[profile]
	}
	for _, r := range list {
		out.Entries = append(out.Entries, rejectedDTO(l, r))
	}
	return out, nil
}

func rejectedDTO(l *session, r server.Rejection) RejectedDTO {
	d := RejectedDTO{ID: r.ID, At: r.At.UTC().Format(time.RFC3339), Profile: r.Profile, Path: r.Path, Method: r.Method, Peer: r.Peer,
		Kind: r.Kind, Status: r.Status, Reason: r.Reason, Verdict: r.Verdict, Detail: r.Detail, DetailZh: r.DetailZh, BodyBytes: r.BodyBytes,
		BodySHA256: r.BodySHA256, Doctor: r.Doctor}
	q := url.Values{}
	for k, v := range map[string]string{"msg_signature": r.MsgSignature, "signature": r.Signature, "timestamp": r.Timestamp, "nonce": r.Nonce, "encrypt_type": r.EncryptType} {
		if v != "" {
			q.Set(k, v)
		}
	}
	base := l.publicURL
	if base == "" {
		base = l.url
	}
	d.Checker = DoctorRequest{Profile: r.Profile, URL: base + r.Path + "?" + q.Encode(),
		MsgSignature: r.MsgSignature, Timestamp: r.Timestamp, Nonce: r.Nonce, Signature: r.Signature}
	return d
}

// trayRejected is the tray's view of the refusals (the tray backend in
// the desktop build forwards it): the total and the newest.
func (a *App) trayRejected() (int64, *model.Rejection, error) {
	page, err := a.Inbox.Rejected("")
	if err != nil {
		return 0, nil, err
	}
	if len(page.Entries) == 0 {
		return page.Total, nil, nil
	}
	r := page.Entries[0]
	return page.Total, &model.Rejection{ID: r.ID, Profile: r.Profile, Verdict: r.Verdict, Detail: r.Detail, Doctor: r.Doctor}, nil
}

// OpeningDTO is what the window shows first (Config.Open, `wwkit desktop
// --open`): Page is the page to switch to ("" = stay on the overview);
// Checker prefills the workbench's callback checker.
type OpeningDTO struct {
	Page    string         `json:"page"`
	Checker *DoctorRequest `json:"checker,omitempty"`
}

// parseOpen reads Config.Open: "" or checker:ID; it returns the id.
func parseOpen(open string) (int64, error) {
	if open == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(open, "checker:"), 10, 64)
	if !strings.HasPrefix(open, "checker:") || err != nil || id <= 0 {
		return 0, fmt.Errorf("desktop: --open %q: use checker:ID, the id of a refused callback (the tray passes it)", open)
	}
	return id, nil
}

// Opening tells the window, once after it starts, what to show first: for
// checker:ID the workbench's callback checker prefilled with the refused
// callback ID (the tray's rejected line starts the inspector so).
func (s *InboxService) Opening() (OpeningDTO, error) {
	id, _ := parseOpen(s.app.cfg.Open) // checked by NewApp
	if id == 0 || s.opened.Swap(true) {
		return OpeningDTO{}, nil
	}
	page, err := s.Rejected("")
	if err != nil {
		return OpeningDTO{}, err
	}
	for _, r := range page.Entries {
		if r.ID == id {
			c := r.Checker
			return OpeningDTO{Page: "workbench", Checker: &c}, nil
		}
	}
	return OpeningDTO{}, fail("open.gone", "id", id, "kept", page.KeptPerPath)
}
