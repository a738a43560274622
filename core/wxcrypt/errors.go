package wxcrypt

import "strconv"

// Official WXBizMsgCrypt return codes (错误码), as in Tencent's sample
// libraries. CodeTooLarge is a wwkit extension outside the official range.
const (
	CodeValidateSignature = -40001
	CodeParseXML          = -40002
	CodeComputeSignature  = -40003
	CodeIllegalAESKey     = -40004
	CodeValidateReceiveID = -40005
	CodeEncryptAES        = -40006
	CodeDecryptAES        = -40007
	CodeIllegalBuffer     = -40008
	CodeEncodeBase64      = -40009
	CodeDecodeBase64      = -40010
	CodeGenReturnXML      = -40011
	CodeTooLarge          = -40100
	CodeBadConfig         = -40101
)

// Error is a WXBizMsgCrypt failure with its official code. Use errors.As to
// read the code, or errors.Is with one of the Err… sentinels: an *Error
// matches a sentinel with the same Code.
type Error struct {
	Code int    // official code, e.g. -40001
	Name string // official name, e.g. "ValidateSignatureError"
	Msg  string // what went wrong and what to check; never contains secrets
}

func (e *Error) Error() string {
	m := e.Msg
	if m == "" {
		m = e.Name
	}
	return "wxcrypt: " + m + " (" + strconv.Itoa(e.Code) + " " + e.Name + ")"
}

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels for errors.Is.
var (
	ErrValidateSignature = &Error{Code: CodeValidateSignature, Name: "ValidateSignatureError"}
	ErrParseXML          = &Error{Code: CodeParseXML, Name: "ParseXmlError"}
	ErrComputeSignature  = &Error{Code: CodeComputeSignature, Name: "ComputeSignatureError"}
	ErrIllegalAESKey     = &Error{Code: CodeIllegalAESKey, Name: "IllegalAesKey"}
	ErrValidateReceiveID = &Error{Code: CodeValidateReceiveID, Name: "ValidateCorpidError"}
	ErrEncryptAES        = &Error{Code: CodeEncryptAES, Name: "EncryptAESError"}
	ErrDecryptAES        = &Error{Code: CodeDecryptAES, Name: "DecryptAESError"}
	ErrIllegalBuffer     = &Error{Code: CodeIllegalBuffer, Name: "IllegalBuffer"}
	ErrEncodeBase64      = &Error{Code: CodeEncodeBase64, Name: "EncodeBase64Error"}
	ErrDecodeBase64      = &Error{Code: CodeDecodeBase64, Name: "DecodeBase64Error"}
	ErrGenReturnXML      = &Error{Code: CodeGenReturnXML, Name: "GenReturnXmlError"}
	// ErrTooLarge reports input beyond MaxEncryptLen / MaxBodyLen (wwkit extension).
	ErrTooLarge = &Error{Code: CodeTooLarge, Name: "InputTooLarge"}
	// ErrBadConfig reports an unusable configuration other than the key,
	// such as an empty token (wwkit extension).
	ErrBadConfig = &Error{Code: CodeBadConfig, Name: "BadConfig"}
)

func newErr(sentinel *Error, msg string) *Error {
	return &Error{Code: sentinel.Code, Name: sentinel.Name, Msg: msg}
}
