package desktop

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Problem is a tool error (工具错误) that the window shows in the user's
// language: a stable Code, the Params its message names, and the cause it
// wraps. Error() is the English text the CLI, the logs and Go callers see;
// the window renders Code and Params from its own locale files, so Go keeps
// no Chinese copy of these messages.
type Problem struct {
	Code   string
	Params map[string]string
	Err    error // the cause, nil when none
}

func (p *Problem) Error() string {
	s := "desktop: " + expand(problemText[p.Code], p.Params)
	if p.Err != nil {
		s += ": " + p.Err.Error()
	}
	return s
}

func (p *Problem) Unwrap() error { return p.Err }

// fail returns the Problem code with params given as name, value pairs.
func fail(code string, kv ...any) *Problem { return failWrap(code, nil, kv...) }

// failWrap is fail with a cause.
func failWrap(code string, err error, kv ...any) *Problem {
	if _, ok := problemText[code]; !ok {
		// A programming error, caught by TestProblemCodesAreDefined; at
		// run time the code still reaches the window (which then shows
		// its generic text).
		code = "internal"
		kv = append(kv, "detail", "undefined problem code")
	}
	p := &Problem{Code: code, Params: map[string]string{}, Err: err}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Params[fmt.Sprint(kv[i])] = fmt.Sprint(kv[i+1])
	}
	return p
}

// expand replaces {name} in tmpl by params[name].
func expand(tmpl string, params map[string]string) string {
	for k, v := range params {
		tmpl = strings.ReplaceAll(tmpl, "{"+k+"}", v)
	}
	return tmpl
}

// ErrorDTO is how a failed service call reaches the window (the Wails
// ErrorFormatter of the desktop build): the window renders Code with
// Params from its locale files; Message is the English text (shown in the
// English UI, and the detail of codes the window does not know); Cause is
// the wrapped error's text (from the OS, the network or a library), shown
// as a technical detail.
type ErrorDTO struct {
	Code    string            `json:"code"`
	Params  map[string]string `json:"params"`
	Message string            `json:"message"`
	Cause   string            `json:"cause,omitempty"`
}

// FormatError turns a service error into an ErrorDTO. An error that is not
// a Problem (a failure inside the tool) gets the code "internal" with its
// text as the message.
func FormatError(err error) any {
	var p *Problem
	if errors.As(err, &p) {
		d := ErrorDTO{Code: p.Code, Params: p.Params, Message: expand(problemText[p.Code], p.Params)}
		if p.Err != nil {
			d.Cause = p.Err.Error()
		}
		return d
	}
	return ErrorDTO{Code: "internal", Params: map[string]string{}, Message: strings.TrimPrefix(err.Error(), "desktop: ")}
}

// ProblemCodes lists every Problem code with its English template (the
// frontend's locale test walks them).
func ProblemCodes() []ProblemCode {
	out := make([]ProblemCode, 0, len(problemText))
	for c, t := range problemText {
		out = append(out, ProblemCode{Code: c, English: t})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// ProblemCode is one entry of ProblemCodes.
type ProblemCode struct {
	Code    string `json:"code"`
	English string `json:"en"`
}

// problemText is the English text of every Problem code; {name} is
// replaced by the parameter of that name.
var problemText = map[string]string{
	"internal":      "{detail}",
	"settings.lang": "unknown language \"{lang}\"; use zh, en or system",
	"settings.save": "saving the language choice in the data directory failed",

	"app.notStarted":             "the app is not started; call App.Start first",
	"profile.unknown":            "no profile \"{name}\"; list them with ProfileService.List",
	"profile.noActive":           "no active profile; switch to one of the {n} profiles",
	"profile.missingEnv":         "{path} [profiles.{table}] names ${env}, which is empty; export it",
	"profile.renamed":            "listed as {name}: the name {taken} is taken by the emulator's profile",
	"profile.attachedOnly":       "profile {name} is served by the attached server, whose secrets this window cannot read; API calls fail until you add the profile here",
	"profile.secretRead":         "profile {name}: reading its secrets failed; enter them again",
	"profile.secretStoreUnknown": "profile {name}: unknown secret store \"{store}\" in profiles.json; enter its secrets again",
	"profile.noClients":          "profile {name} cannot be used yet: its API clients could not be built; enter its secret with ProfileService.Update",
	"profile.platform":           "profile {name}: platform \"{platform}\"; use wecom or mp",
	"profile.store":              "profile {name}: token store \"{store}\": use memory, file, file:PATH or redis://HOST:PORT/DB",
	"profile.storeOpen":          "profile {name}: token store",
	"profile.client":             "profile {name}",
	"profile.exists":             "a profile named \"{name}\" already exists ({source}); pick another name",
	"profile.rename":             "a profile cannot be renamed ({from} → {to}); export it, delete it and import it under the new name",
	"profile.aesKeyLen":          "profile {name}: the EncodingAESKey has {n} characters; it has 43 (copy it from the callback settings)",
	"profile.secretSpace":        "profile {name}: a secret starts or ends with a space; copy it again",
	"profile.fromFile":           "profile {name} comes from wwkit.toml; edit the file (the app reads it at start)",
	"profile.emulator":           "profile {name} is the emulator's and cannot be changed; add a profile of your own",
	"profile.program":            "profile {name} is given by the program and cannot be changed here",
	"profile.notListed":          "profile {name} was stored but is not listed; restart the app",
	"profile.nameChars":          "profile name \"{name}\": use letters, digits, - or _",
	"profile.wecomNeeds":         "profile {name}: a WeCom profile needs the corp id (企业ID) and the app's AgentID",
	"profile.wecomAppID":         "profile {name}: appId is for Official Accounts; a WeCom profile has corpId and agentId",
	"profile.mpNeeds":            "profile {name}: an Official Account profile needs its AppID",
	"profile.mpCorp":             "profile {name}: corpId/agentId are for WeCom; an Official Account profile has appId",
	"profile.url":                "profile {name}: \"{url}\" is not an http(s) URL",
	"profile.reply":              "profile {name}: reply rule \"{reply}\": use none, echo, text:…, image:MEDIA_ID, voice:MEDIA_ID, video:MEDIA_ID|TITLE|DESCRIPTION, music:… (Official Account) or news:TITLE|DESCRIPTION|URL|PICURL",
	"profile.keyringDown":        "the secrets are in the OS keyring, which does not answer now; unlock it or enter the secrets again",
	"profile.secretField":        "unknown secret field \"{field}\"; use secret, token or encodingAESKey",
	"profile.storeKind":          "the {kind} store is not available",
	"profile.testFailed":         "profile {name}: the connection test could not reach the API",
	"profile.testNoSecret":       "enter the secret to test the connection",
	"profile.duplicate":          "two profiles are named \"{name}\" ({a} and {b}); rename one",
	"profile.tomlTable":          "{path} [profiles.{table}] is not a valid profile; fix the file",
	"profiles.read":              "reading the profiles ({path})",
	"profiles.json":              "{path} is not valid JSON; fix or remove it (it holds no secret)",
	"secrets.fileRead":           "reading the secrets file {path}",
	"secrets.fileJSON":           "the secrets file {path} is not valid JSON; restore it or delete it and enter the secrets again",
	"secrets.keyringNone":        "the OS keyring does not answer; on Linux start a Secret Service (gnome-keyring, KeePassXC) or use the file store",
	"secrets.keyringGet":         "reading {field} of {name} from the OS keyring",
	"secrets.keyringSet":         "writing {field} of {name} to the OS keyring",
	"secrets.keyringDelete":      "deleting {field} of {name} from the OS keyring",
	"file.mkdir":                 "creating the directory {path}",
	"file.write":                 "writing {path}",
	"export.encode":              "encoding the profiles as TOML",
	"open.gone":                  "refused callback {id} is no longer kept (the dev server keeps the last {kept} per callback path); open the inbox's Rejected view",
	"attach.refused":             "the dev server at {url} refused the window; restart `wwkit tray` and open the inspector again",
	"app.restart":                "the dev server did not come back after the profile change and is stopped; restart the app",
	"app.serverStart":            "starting the dev server",
	"attach.request":             "the attached dev server ({url}) did not answer as expected; is `wwkit tray` (or the window) still running there?",
	"export.format":              "export format \"{format}\": use json or toml",
	"import.empty":               "the import holds no profile; paste an export ({\"profiles\":[…]}) or wwkit.toml [profiles.NAME] tables",
	"import.nothing":             "nothing to import; paste an export or a wwkit.toml",
	"import.refused":             "import refused, nothing changed",
	"import.twice":               "import refused, nothing changed: profile \"{name}\" appears twice",
	"import.conflicts":           "import refused, nothing changed: profiles {names} already exist; delete or rename them first",
	"import.secretJSON":          "import refused, nothing changed (secrets are never imported; enter them in the app after the import)",
	"import.notJSON":             "the import is not a wwkit profiles export (JSON)",
	"import.secretStore":         "import refused, nothing changed: secretStore is not imported",
	"import.notTOML":             "the import is neither JSON nor TOML",
	"import.tomlSecret":          "import refused, nothing changed: [profiles.{name}] holds a secret; remove it (secrets are entered in the app, or use secret_env in wwkit.toml)",
	"import.tomlNoID":            "import refused, nothing changed: [profiles.{name}] has neither corp_id nor mp_app_id",

	"contacts.wecomOnly":  "profile {name} is an Official Account; the directory (通讯录) is WeCom only: switch to a WeCom profile",
	"contacts.department": "department id {id} is not a department; pick one from the tree (ids are positive numbers)",
	"contacts.userID":     "enter a userid (the member's account, e.g. zhangsan)",
	"contacts.tag":        "tag id {id} is not a tag; pick one from the tag list",
	"contacts.failed":     "reading the directory ({api}) failed before WeCom answered; check the network and the profile's API base URL",

	"msg.wecomOnly":      "profile {name} is an Official Account; app messages are WeCom only (use SendTemplate or SendCustom)",
	"msg.noRecipient":    "no recipient; set toUser (e.g. a userid or @all), toParty or toTag",
	"msg.emptyText":      "empty text message; set content",
	"msg.emptyMarkdown":  "empty markdown message; set content",
	"msg.textcardTitle":  "a textcard needs a title and a url",
	"msg.textcardDesc":   "a textcard needs a description; set content",
	"msg.newsCount":      "a news message has 1 to 8 articles, not {n}",
	"msg.articleTitle":   "article {n} has no title",
	"msg.templateCard":   "template_card needs the card as a JSON object in card, e.g. {\"card_type\":\"text_notice\",\"main_title\":{\"title\":\"…\"},\"card_action\":{\"type\":1,\"url\":\"https://…\"}}",
	"msg.type":           "message type \"{type}\" is not offered; use one of {types}",
	"msg.sendFailed":     "sending the message",
	"msg.mediaOne":       "a {kind} message needs exactly one of mediaId, filePath or fileBase64",
	"msg.fileStat":       "the file to send",
	"msg.fileTooBig":     "{path} has {n} bytes; WeCom takes at most 20 MB",
	"msg.fileRead":       "reading the file to send",
	"msg.notBase64":      "fileBase64 is not base64; pass the file's bytes base64-encoded",
	"msg.uploadTooBig":   "the file has {n} bytes; WeCom takes at most 20 MB",
	"msg.uploadFailed":   "uploading the {kind}",
	"msg.templateMPOnly": "profile {name} is a WeCom app; template messages are an Official Account API (use Send)",
	"msg.templateNeeds":  "a template message needs toUser (an openid) and templateId",
	"msg.templateFailed": "sending the template message",
	"msg.customMPOnly":   "profile {name} is a WeCom app; customer-service messages are an Official Account API (use Send)",
	"msg.customNeedsTo":  "a customer-service message needs toUser (an openid)",
	"msg.customMedia":    "a {type} message needs mediaId",
	"msg.customNewsOne":  "a customer-service news message has exactly 1 article",
	"msg.articleNoTitle": "the article has no title",
	"msg.customType":     "customer-service message type \"{type}\" is not offered; use text, image, voice or news",
	"suite.read":         "the suites' state could not be read",
	"suite.attached":     "sending for a suite's corp needs the dev server in this window; this window is attached to another process (wwkit tray): use wwkit suite corp-token there, or open the window without --attach",
	"suite.noCorp":       "pick a corp that installed suite {name}",
	"suite.corp":         "corp {corp} of suite {name} is not available",
	"suite.cancelled":    "corp {corp} cancelled the authorisation (cancel_auth) at {at}; its permanent code no longer works: the corp must install the app again",
	"robot.wecomOnly":    "profile {name} is an Official Account; group robots belong to WeCom: switch to a WeCom profile",
	"robot.noKey":        "profile {name} has no group robot webhook key; enter it once (群机器人 → Webhook 地址: the key or the whole URL) and the app keeps it with the profile's secrets",
	"robot.badKey":       "that is not a robot webhook key: paste the key (like 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa) or the whole webhook URL …/cgi-bin/webhook/send?key=KEY",
	"robot.needFile":     "a robot {type} message needs the file: pick one",
	"robot.imageTooBig":  "the image has {n} bytes; a robot image is a JPG or PNG of at most 2 MB",
	"robot.articleNeeds": "article {n} needs a title and a url (a robot's news articles open a link)",
	"msg.customFailed":   "sending the customer-service message",
	"sim.url":            "callback URL \"{url}\" is not an http(s) URL",
	"sim.crypto":         "profile {name}: its Token or EncodingAESKey cannot encrypt",
	"sim.xml":            "the XML to send does not parse as a callback message",
	"sim.encrypt":        "encrypting the message",
	"sim.request":        "building the callback request",
	"sim.type":           "message type \"{type}\" is not offered; use text, image, voice, video, shortvideo, location, link, file or event, or paste the XML",
	"sim.field":          "a {type} message needs the field {field} (set fields.{field})",
	"sim.fieldName":      "field name \"{field}\" is not an XML element name; use letters, digits and _",
	"sim.fieldReserved":  "field {field} is set by the simulator; use the request's own fields (from, msgType, event, eventKey, content)",
	"sim.eventName":      "an event needs its name (subscribe, click, enter_agent, SCAN, …)",
	"qr.apiName":         "JS API name \"{name}\" contains a comma or space; give one name per entry",
	"qr.noPublicURL":     "the dev server has no public URL; set Config.PublicURL",
	"qr.encode":          "encoding the QR code",
	"qr.notDataURL":      "not a PNG data URL; pass the dataUrl of a QR code from H5 or MP",
	"qr.notPNG":          "the data URL does not hold a PNG image; generate the QR code again",
	"qr.noFileName":      "no file name to save the QR code to",
	"qr.mpOnly":          "profile {name} is a WeCom app; parameter QR codes are an Official Account API (switch to an mp profile)",
	"qr.sceneBoth":       "give sceneId or sceneStr, not both",
	"qr.sceneID":         "scene id {id} is out of range; use 1..100000 for a permanent code, 1..4294967295 for a temporary one",
	"qr.sceneStr":        "scene string has {n} bytes; at most 64",
	"qr.noScene":         "no scene; set sceneId (a number) or sceneStr",
	"qr.permanentExpiry": "a permanent QR code has no expiry; leave expireSeconds at 0",
	"qr.expire":          "expireSeconds {n} is out of range; use 60 to 2592000 (30 days)",
	"qr.create":          "creating the QR code",
	"qr.scanNotEmulator": "profile {name} is not the emulator's Official Account; scan the code with WeChat on a phone instead",
	"qr.scanNone":        "no QR code to scan; pass the ticket or url of a code from QRService.MP",
	"qr.scanFailed":      "asking the emulator to scan",
	"qr.size":            "QR size {size} is out of range; use 128 to 1024 pixels",
	"qr.level":           "unknown error-correction level \"{level}\"; use L, M, Q or H",
	"qr.save":            "saving the QR code to {path}",
	"dialog.none":        "no file dialog here (only the desktop window has one); type a path and use Save PNG",
	"dialog.failed":      "the save dialog failed",
	"sign.noURL":         "no URL to sign; paste the page's location.href without the #fragment",
	"sign.agentOnMP":     "profile {name} is an Official Account; wx.agentConfig exists only in WeCom, use kind \"config\"",
	"sign.kind":          "unknown signature kind \"{kind}\"; use \"config\" or \"agentConfig\"",
	"sign.ticket":        "fetching the {ticket} of {name}",
	"sign.url":           "the URL cannot be signed",
	"sign.checkJSON":     "the pasted config is not valid JSON for the checker",
	"token.kind":         "no token kind \"{kind}\" on this profile; use access_token, jsapi_ticket or (WeCom) agent_config ticket",
	"token.invalidate":   "profile {name}: invalidating the access_token",
	"token.timeout":      "fetching {kind} of {name}: no answer in time",
	"crypto.url":         "the captured URL does not parse",
	"inbox.noPath":       "the dev server did not say where its inbox is",
	"inbox.open":         "opening the inbox {path}",
	"inbox.read":         "reading the inbox",
	"inbox.limit":        "inbox limit {limit} is out of range; use 1 to {max}",
	"inbox.offset":       "inbox offset {offset} is negative; start at 0",
	"inbox.noEntry":      "no inbox entry {id}; list the inbox for current ids",
}
