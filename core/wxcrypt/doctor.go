package wxcrypt

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Request is a captured callback request for Diagnose: the query values as
// the web framework handed them over (URL-decoded once) and, for a POST, the
// body.
type Request struct {
	MsgSignature string // msg_signature
	Timestamp    string // timestamp
	Nonce        string // nonce
	EchoStr      string // echostr (GET URL verification)
	Body         []byte // POST envelope, if any
	Signature    string // MP plain signature (3-item), optional
}

// Config is the callback configuration Diagnose checks the request against.
type Config struct {
	Token          string
	EncodingAESKey string
	ReceiveID      string        // CorpID, SuiteID or AppID; "" skips the comparison
	Now            time.Time     // zero means time.Now()
	MaxSkew        time.Duration // zero means 5 minutes
}

// Step statuses.
const (
	StepOK   = "ok"
	StepFail = "fail"
	StepWarn = "warn"
	StepSkip = "skip"
)

// Step is one check of a diagnosis, in the order a server performs them.
type Step struct {
	Name   string `json:"name"`
	Status string `json:"status"` // ok, fail, warn, skip
	Detail string `json:"detail"`
	// DetailZh is Detail in Chinese (the desktop window shows it).
	DetailZh string `json:"detailZh"`
	Code     int    `json:"code,omitempty"` // official error code of a failed step
}

// Report is the outcome of Diagnose.
type Report struct {
	OK        bool   `json:"ok"`        // the request verifies and decrypts with this config (possibly after a repair)
	Steps     []Step `json:"steps"`     // every check, in order
	Cause     string `json:"cause"`     // the most likely cause of the first failure, "" when OK
	CauseZh   string `json:"causeZh"`   // Cause in Chinese
	Repaired  string `json:"repaired"`  // the repaired echostr/Encrypt when a repair made it verify
	ReceiveID string `json:"receiveId"` // receiveid found in the plaintext
	Msg       string `json:"msg"`       // decrypted message when OK
	// Verdict names the cause in one word for tools that translate or
	// count it (one of the Verdict… constants); "" when OK without repair.
	Verdict string `json:"verdict,omitempty"`
}

// Verdicts of a diagnosis (Report.Verdict): the cause of the first failure,
// or of a repair a strict server would not make.
const (
	VerdictConfig     = "config"       // the configured Token or EncodingAESKey is unusable
	VerdictEnvelope   = "envelope"     // no Encrypt element / encrypt field, or nothing captured
	VerdictNoSig      = "no-signature" // msg_signature missing (plaintext mode, or a stripped query)
	VerdictToken      = "token"        // signed with another Token
	VerdictWrongField = "wrong-field"  // signature computed over another field than the ciphertext
	VerdictAltered    = "altered"      // the ciphertext changed on the way (the plain signature verifies)
	VerdictURLDecode  = "url-decoding" // verifies only after undoing a URL-decoding mistake
	VerdictBase64     = "base64"       // the ciphertext is not base64
	VerdictAESKey     = "aeskey"       // the EncodingAESKey differs from the sender's
	VerdictReceiveID  = "receiveid"    // encrypted for another CorpID / SuiteID / AppID
)

func (r *Report) add(name, status, detail, detailZh string, code int) {
	r.Steps = append(r.Steps, Step{Name: name, Status: status, Detail: detail, DetailZh: detailZh, Code: code})
	if status == StepFail && r.Cause == "" {
		r.Cause, r.CauseZh = detail, detailZh
	}
}

// errZh says in Chinese what a wxcrypt error of each official code means,
// for steps whose English detail is the error's own message.
var errZh = map[int]string{
	CodeValidateSignature: "签名校验失败",
	CodeParseXML:          "XML 或 JSON 解析失败：请求体不是含 Encrypt 的回调信封",
	CodeIllegalAESKey:     "EncodingAESKey 无效：应为 43 个字符的 base64（从回调配置中重新复制）",
	CodeValidateReceiveID: "receiveid 校验失败",
	CodeDecryptAES:        "AES 解密失败：密文长度不是 16 的倍数，或 EncodingAESKey 与加密时所用的不一致",
	CodeIllegalBuffer:     "解密后的数据长度字段非法：EncodingAESKey 错误或密文被改动",
	CodeTooLarge:          "请求体过大",
	CodeBadConfig:         "回调配置不完整",
}

func zhOf(code int) string {
	if s, ok := errZh[code]; ok {
		return s
	}
	return "解密或解析失败（错误码 " + strconv.Itoa(code) + "）"
}

// Diagnose replays the server side of a callback step by step and says
// which step fails and why: a wrong Token (signature fails), a wrong or
// malformed EncodingAESKey (padding or length failure), a SuiteID/CorpID
// mix-up (names the receiveid actually found), a skewed clock, an echostr
// damaged by URL decoding ('+' turned into a space; the repair is tried and
// reported), or a signature computed over the wrong field.
func Diagnose(req Request, cfg Config) Report {
	var r Report
	// 1. Configuration.
	key, kerr := DecodeAESKey(cfg.EncodingAESKey)
	switch {
	case kerr != nil:
		var e *Error
		errors.As(kerr, &e)
		r.add("config", StepFail, e.Msg, zhOf(CodeIllegalAESKey), CodeIllegalAESKey)
		r.Verdict = VerdictConfig
	case cfg.Token == "":
		r.add("config", StepFail, "token is empty; copy the Token from the callback settings", "Token 为空：请从回调配置中复制 Token", CodeBadConfig)
		r.Verdict = VerdictConfig
	default:
		r.add("config", StepOK, "EncodingAESKey decodes to a 32-byte AES key", "EncodingAESKey 可解码为 32 字节的 AES 密钥", 0)
	}
	_ = key

	if req.MsgSignature == "" && req.Signature != "" && len(req.Body) == 0 {
		// MP URL check (plaintext echostr, 3-item signature).
		if cfg.Token != "" && strings.EqualFold(Signature(cfg.Token, req.Timestamp, req.Nonce, ""), req.Signature) {
			r.add("signature", StepOK, "MP signature = sha1(sort(token, timestamp, nonce)); reply with echostr unchanged", "公众号 signature = sha1(sort(token, timestamp, nonce)) 校验通过；原样返回 echostr 即可", 0)
			r.OK, r.Msg = true, req.EchoStr
		} else {
			r.add("signature", StepFail, "MP signature = sha1(sort(token, timestamp, nonce)) does not match: the Token is wrong (MP URL checks do not include echostr)", "公众号 signature = sha1(sort(token, timestamp, nonce)) 不一致：Token 填错了（公众号 URL 验证的签名不含 echostr）", CodeValidateSignature)
			r.setVerdict(VerdictToken)
		}
		return r
	}

	// 2. Which value carries the ciphertext.
	var enc, source, toUser string
	switch {
	case len(bytes.TrimSpace(req.Body)) > 0 && bytes.TrimSpace(req.Body)[0] == '{':
		var env jsonEnvelope
		if err := json.Unmarshal(req.Body, &env); err != nil || env.Encrypt == nil {
			r.add("envelope", StepFail, `JSON body without a string "encrypt" field`, "JSON 请求体中没有字符串类型的 encrypt 字段", CodeParseXML)
			r.setVerdict(VerdictEnvelope)
			return r
		}
		enc, source = *env.Encrypt, "encrypt"
		r.add("envelope", StepOK, `JSON body has an "encrypt" field`, "JSON 请求体含 encrypt 字段", 0)
	case len(req.Body) > 0:
		env, err := ParseEnvelope(req.Body)
		if err != nil {
			var e *Error
			errors.As(err, &e)
			r.add("envelope", StepFail, e.Msg, zhOf(e.Code), e.Code)
			r.setVerdict(VerdictEnvelope)
			return r
		}
		enc, source, toUser = env.Encrypt, "Encrypt", env.ToUserName
		r.add("envelope", StepOK, "POST body has an Encrypt element (ToUserName "+strconv.Quote(env.ToUserName)+")", "POST 请求体含 Encrypt 元素（ToUserName "+strconv.Quote(env.ToUserName)+"）", 0)
	case req.EchoStr != "":
		enc, source = req.EchoStr, "echostr"
		r.add("envelope", StepOK, "GET URL verification: echostr is the ciphertext", "GET 请求 URL 验证：echostr 即密文", 0)
	default:
		r.add("envelope", StepFail, "no echostr and no body: capture the full query string and the POST body", "既没有 echostr 也没有请求体：请抓取完整的查询参数和 POST 请求体", CodeParseXML)
		r.setVerdict(VerdictEnvelope)
		return r
	}

	// 3. Clock.
	now := cfg.Now
	if now.IsZero() {
		now = time.Now()
	}
	skew := cfg.MaxSkew
	if skew == 0 {
		skew = 5 * time.Minute
	}
	if ts, err := strconv.ParseInt(req.Timestamp, 10, 64); err != nil {
		r.add("timestamp", StepWarn, "timestamp "+strconv.Quote(req.Timestamp)+" is not Unix seconds; pass the query value unchanged", "timestamp "+strconv.Quote(req.Timestamp)+" 不是 Unix 秒；请原样传入查询参数中的值", 0)
	} else if d := now.Sub(time.Unix(ts, 0)); d > skew || d < -skew {
		r.add("timestamp", StepWarn, "timestamp is "+d.Round(time.Second).String()+" away from now: a replayed capture, or a server clock that is off (signatures still verify; replay checks may reject it)", "timestamp 与当前时间相差 "+d.Round(time.Second).String()+"：可能是重放的旧请求，或服务器时钟不准（签名仍可校验，但防重放检查可能拒绝）", 0)
	} else {
		r.add("timestamp", StepOK, "timestamp within "+skew.String()+" of now", "timestamp 与当前时间相差不超过 "+skew.String(), 0)
	}

	// 4. Signature.
	if cfg.Token == "" {
		r.add("signature", StepSkip, "no token", "没有 Token，跳过", 0)
	} else {
		sigOK, repaired, detail, detailZh, verdict := diagnoseSignature(req, cfg.Token, enc, source, toUser)
		if !sigOK {
			r.add("signature", StepFail, detail, detailZh, CodeValidateSignature)
			r.setVerdict(verdict)
		} else {
			r.add("signature", StepOK, detail, detailZh, 0)
			if repaired != "" {
				r.Repaired = repaired
				enc = repaired
				r.setVerdict(VerdictURLDecode)
			}
		}
	}
	if kerr != nil {
		r.add("decrypt", StepSkip, "EncodingAESKey is unusable", "EncodingAESKey 无法使用，跳过", 0)
		return r
	}

	// 5..8. Decrypt: base64, AES + padding, length fields, receiveid.
	c, err := New("x", cfg.EncodingAESKey, "")
	if err != nil {
		r.add("decrypt", StepSkip, err.Error(), zhOf(CodeBadConfig), 0)
		return r
	}
	msg, rid, err := c.Open(enc)
	if err != nil {
		var e *Error
		errors.As(err, &e)
		switch e.Code {
		case CodeDecodeBase64:
			d, dz := source+" is not valid base64", source+" 不是合法的 base64"
			if strings.ContainsAny(enc, " %") {
				d += "; it contains spaces or '%': it was URL-decoded twice or not at all"
				dz += "；其中含空格或 %：被 URL 解码了两次，或根本没有解码"
			}
			r.add("base64", StepFail, d, dz, e.Code)
			r.setVerdict(VerdictBase64)
		case CodeDecryptAES:
			r.add("base64", StepOK, "", "", 0)
			if len(enc)%4 != 0 || strings.Contains(e.Msg, "multiple of 16") {
				r.add("aes", StepFail, e.Msg, "密文长度不是 AES 块大小（16 字节）的整数倍：密文被截断或改动", e.Code)
			} else {
				r.add("aes", StepFail, "decryption gives bad PKCS#7 padding: the EncodingAESKey does not match the one this message was encrypted with (the signature was fine, so the Token is right)", "解密后 PKCS#7 填充无效：EncodingAESKey 与加密此消息时所用的不一致（签名正确，所以 Token 没错）", e.Code)
			}
			r.setVerdict(VerdictAESKey)
		case CodeIllegalBuffer:
			r.add("base64", StepOK, "", "", 0)
			r.add("aes", StepOK, "padding valid", "填充有效", 0)
			r.add("length", StepFail, "msg_len does not fit the decrypted buffer: the EncodingAESKey is wrong or the ciphertext was altered", "msg_len 与解密后的数据长度不符：EncodingAESKey 错误或密文被改动", e.Code)
			r.setVerdict(VerdictAESKey)
		default:
			r.add("decrypt", StepFail, e.Msg, zhOf(e.Code), e.Code)
			r.setVerdict(VerdictAESKey)
		}
		return r
	}
	r.add("base64", StepOK, strconv.Itoa(len(enc))+" base64 characters", strconv.Itoa(len(enc))+" 个 base64 字符", 0)
	r.add("aes", StepOK, "AES-256-CBC decrypt and PKCS#7(32) padding valid", "AES-256-CBC 解密成功，PKCS#7(32) 填充有效", 0)
	r.add("length", StepOK, "msg_len "+strconv.Itoa(len(msg)), "msg_len "+strconv.Itoa(len(msg)), 0)
	r.ReceiveID = rid
	switch {
	case cfg.ReceiveID == "":
		r.add("receiveid", StepWarn, "no receive id configured; the message carries "+strconv.Quote(rid), "未配置 receiveid；消息中携带的是 "+strconv.Quote(rid), 0)
	case rid != cfg.ReceiveID:
		r.add("receiveid", StepFail, receiveIDHint(rid, cfg.ReceiveID), receiveIDHintZh(rid, cfg.ReceiveID), CodeValidateReceiveID)
		r.setVerdict(VerdictReceiveID)
	default:
		r.add("receiveid", StepOK, "receiveid "+strconv.Quote(rid)+" matches", "receiveid "+strconv.Quote(rid)+" 一致", 0)
	}
	for _, s := range r.Steps {
		if s.Status == StepFail {
			return r
		}
	}
	r.OK = true
	r.Msg = string(msg)
	return r
}

func receiveIDHint(found, want string) string {
	kind := func(id string) string {
		switch {
		case strings.HasPrefix(id, "ww") || strings.HasPrefix(id, "wx") && len(id) == 18:
			return "a CorpID/AppID"
		case strings.HasPrefix(id, "tj") || strings.HasPrefix(id, "ws"):
			return "a SuiteID"
		case id == "":
			return "empty (smart-bot callbacks)"
		}
		return "an id"
	}
	d := "the message was encrypted for receiveid " + strconv.Quote(found) + " (" + kind(found) + "), configured " + strconv.Quote(want) + " (" + kind(want) + ")"
	if kind(found) != kind(want) {
		d += ": third-party apps use the SuiteID for instruction callbacks (suite_ticket, auth changes) and the authorizing CorpID for data callbacks"
	} else {
		d += ": use the id of the corp/app that owns this callback URL"
	}
	return d
}

// diagnoseSignature checks msg_signature and, when it fails, tries the usual
// mistakes. repaired is set when a repaired ciphertext verifies.
func diagnoseSignature(req Request, token, enc, source, toUser string) (ok bool, repaired, detail, detailZh, verdict string) {
	if req.MsgSignature == "" {
		d, dz := "msg_signature is missing from the query", "查询参数中没有 msg_signature"
		if req.Signature != "" {
			d += "; only the MP plain `signature` is present, so the account is in plaintext mode (明文模式) or encrypt_type is not aes"
			dz += "；只有公众号的明文 signature，说明账号处于明文模式，或 encrypt_type 不是 aes"
		}
		return false, "", d, dz, VerdictNoSig
	}
	verifies := func(v string) bool {
		want := Signature(token, req.Timestamp, req.Nonce, v)
		return strings.EqualFold(want, req.MsgSignature)
	}
	if verifies(enc) {
		return true, "", "msg_signature = sha1(sort(token, timestamp, nonce, " + source + "))", "msg_signature = sha1(sort(token, timestamp, nonce, " + source + ")) 校验通过", ""
	}
	if strings.Contains(enc, " ") {
		fixed := strings.ReplaceAll(enc, " ", "+")
		if verifies(fixed) {
			return true, fixed, "verifies only after turning spaces back into '+': " + source + " was URL-decoded twice (a '+' became a space); read the raw query value once and do not decode it again", "把空格还原为 + 后才校验通过：" + source + " 被 URL 解码了两次（+ 变成了空格）；只读取一次原始查询参数，不要再次解码", VerdictURLDecode
		}
	}
	if strings.Contains(enc, "%") {
		if u, err := url.QueryUnescape(enc); err == nil && verifies(u) {
			return true, u, "verifies only after URL-decoding " + source + ": it was passed still percent-encoded; decode the query string once", "对 " + source + " 做 URL 解码后才校验通过：传入时仍是百分号编码；请对查询参数解码一次", VerdictURLDecode
		}
	}
	if u, err := url.QueryUnescape(enc); err == nil && u != enc && verifies(u) {
		return true, u, "verifies only after URL-decoding " + source + " once more", "对 " + source + " 再做一次 URL 解码后才校验通过", VerdictURLDecode
	}
	alts := []struct{ v, what, whatZh string }{
		{"", "only (token, timestamp, nonce) — the 3-item MP `signature`; encrypted mode signs the Encrypt value too", "仅 (token, timestamp, nonce)（公众号三项 signature 的算法；加密模式还要包含 Encrypt 的值）"},
		{string(req.Body), "the whole POST body instead of the Encrypt element", "整个 POST 请求体（而不是 Encrypt 元素）"},
		{req.EchoStr, "echostr", "echostr"},
		{toUser, "ToUserName", "ToUserName"},
	}
	for _, a := range alts {
		if a.v == enc || (a.v == "" && a.what != alts[0].what) {
			continue
		}
		if verifies(a.v) {
			return false, "", "msg_signature was computed over " + a.what + " instead of " + source, "msg_signature 是对 " + a.whatZh + " 计算的，而不是 " + source, VerdictWrongField
		}
	}
	if req.Signature != "" && strings.EqualFold(Signature(token, req.Timestamp, req.Nonce, ""), req.Signature) {
		return false, "", "the MP plain signature verifies with this token but msg_signature does not: " + source + " was changed on the way, or msg_signature belongs to another request", "公众号明文 signature 用此 Token 校验通过，但 msg_signature 不通过：" + source + " 在传输中被改动，或 msg_signature 属于另一个请求", VerdictAltered
	}
	return false, "", "msg_signature does not verify with this token: the Token is wrong (copy it again from the callback settings), or timestamp/nonce/" + source + " were altered or taken from different requests", "msg_signature 用此 Token 校验不通过：Token 填错了（请从回调配置中重新复制），或 timestamp/nonce/" + source + " 被改动或取自不同的请求", VerdictToken
}

// setVerdict keeps the first verdict: the cause of the first failure.
func (r *Report) setVerdict(v string) {
	if r.Verdict == "" {
		r.Verdict = v
	}
}

func receiveIDHintZh(found, want string) string {
	kind := func(id string) string {
		switch {
		case strings.HasPrefix(id, "ww") || strings.HasPrefix(id, "wx") && len(id) == 18:
			return "企业ID/AppID"
		case strings.HasPrefix(id, "tj") || strings.HasPrefix(id, "ws"):
			return "SuiteID"
		case id == "":
			return "空（智能机器人回调）"
		}
		return "某个 ID"
	}
	d := "消息是为 receiveid " + strconv.Quote(found) + "（" + kind(found) + "）加密的，而配置的是 " + strconv.Quote(want) + "（" + kind(want) + "）"
	if kind(found) != kind(want) {
		d += "：第三方应用的指令回调（suite_ticket、授权变更）用 SuiteID，数据回调用授权企业的企业ID"
	} else {
		d += "：请使用拥有此回调 URL 的企业或应用的 ID"
	}
	return d
}
