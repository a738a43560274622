package wxcrypt

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"io"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Input bounds. WeCom and MP callbacks are far below them; anything larger
// is rejected with ErrTooLarge before any work is done.
const (
	MaxEncryptLen = 4 << 20              // longest accepted Encrypt / echostr value (base64 characters)
	MaxBodyLen    = MaxEncryptLen + 4096 // longest accepted POST or reply envelope
	MaxMsgLen     = 3 << 20              // longest message Encrypt accepts
)

const (
	blockSize = 32 // PKCS#7 block size of WXBizMsgCrypt (not the AES block size)
	randomLen = 16
	headerLen = randomLen + 4
)

// Crypt encrypts, decrypts and signs callback messages for one
// configuration (Token, EncodingAESKey, receiveid). It is safe for
// concurrent use.
type Crypt struct {
	token     string
	receiveID string
	block     cipher.Block
	iv        [aes.BlockSize]byte
	rand      io.Reader
	// cbc recycles CBC decrypters: building one copies the expanded key
	// into a fresh allocation, which cost more than decrypting a short
	// message; a recycled one only has its IV reset.
	cbc sync.Pool
}

// Option configures a Crypt.
type Option func(*Crypt)

// WithRandom makes Encrypt, EncryptReply and EncryptRequest read the 16
// random prefix bytes from r instead of crypto/rand (for tests and
// reproducible fixtures). r must be safe for concurrent use when the Crypt
// is shared between goroutines.
func WithRandom(r io.Reader) Option { return func(c *Crypt) { c.rand = r } }

// New returns a Crypt for the callback configuration: the Token, the
// 43-character EncodingAESKey and the receiveid (CorpID for WeCom self-built
// apps, SuiteID for third-party instruction callbacks, AppID for Official
// Accounts, "" for WeCom smart bots). A receiveID of "" disables the
// receiveid check on decryption.
//
// A key that is not 43 characters of standard base64 decoding to 32 bytes is
// reported as ErrIllegalAESKey (-40004); an empty token as ErrBadConfig.
func New(token, encodingAESKey, receiveID string, opts ...Option) (*Crypt, error) {
	key, err := DecodeAESKey(encodingAESKey)
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, newErr(ErrBadConfig, "token is empty; copy the Token from the callback settings in the admin console")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, newErr(ErrIllegalAESKey, "cannot build AES-256 from EncodingAESKey")
	}
	c := &Crypt{token: token, receiveID: receiveID, block: block, rand: rand.Reader}
	copy(c.iv[:], key[:aes.BlockSize])
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if c.rand == nil {
		c.rand = rand.Reader
	}
	return c, nil
}

// DecodeAESKey turns a 43-character EncodingAESKey into the 32-byte AES key
// (AESKey = base64_decode(EncodingAESKey + "=")).
func DecodeAESKey(encodingAESKey string) ([]byte, error) {
	if len(encodingAESKey) != 43 {
		return nil, newErr(ErrIllegalAESKey, "EncodingAESKey has "+strconv.Itoa(len(encodingAESKey))+" characters, want 43; copy it again from the admin console")
	}
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, newErr(ErrIllegalAESKey, "EncodingAESKey is not base64 of a 32-byte key; copy it again from the admin console")
	}
	return key, nil
}

// ReceiveID returns the configured receiveid (CorpID, SuiteID or AppID).
func (c *Crypt) ReceiveID() string { return c.receiveID }

// sort4 orders four strings byte-wise with a sorting network (no allocation).
func sort4(a, b, c, d string) (string, string, string, string) {
	if less(b, a) {
		a, b = b, a
	}
	if less(d, c) {
		c, d = d, c
	}
	if less(c, a) {
		a, c = c, a
	}
	if less(d, b) {
		b, d = d, b
	}
	if less(c, b) {
		b, c = c, b
	}
	return a, b, c, d
}

// less is a < b, deciding on the first byte when it differs (the usual case
// for token, timestamp, nonce and a base64 value) without calling the
// runtime's string comparison.
func less(a, b string) bool {
	if len(a) > 0 && len(b) > 0 && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

// sum computes the raw SHA-1 消息签名 over the sorted four strings. Short
// concatenations are hashed from a stack buffer sized to the input (the
// compiler zeroes the whole buffer, so the size classes keep that small: the
// Encrypt value of a 300-byte message makes ~500 bytes); long ones stream
// through a pooled SHA-1 state.
func sum(token, timestamp, nonce, encrypt string) [sha1.Size]byte {
	a, b, c, d := sort4(token, timestamp, nonce, encrypt)
	switch n := len(a) + len(b) + len(c) + len(d); {
	case n <= 128:
		var buf [128]byte
		return sha1.Sum(concat4(buf[:0], a, b, c, d))
	case n <= 512:
		var buf [512]byte
		return sha1.Sum(concat4(buf[:0], a, b, c, d))
	case n <= 1024:
		var buf [1024]byte
		return sha1.Sum(concat4(buf[:0], a, b, c, d))
	case n <= 2048:
		var buf [2048]byte
		return sha1.Sum(concat4(buf[:0], a, b, c, d))
	}
	return sumLong(a, b, c, d)
}

func concat4(p []byte, a, b, c, d string) []byte {
	p = append(p, a...)
	p = append(p, b...)
	p = append(p, c...)
	return append(p, d...)
}

func sumLong(a, b, c, d string) [sha1.Size]byte {
	st := hashPool.Get().(*hashState)
	h := st.h
	h.Reset()
	h.Write(bytesView(a))
	h.Write(bytesView(b))
	h.Write(bytesView(c))
	h.Write(bytesView(d))
	h.Sum(st.out[:0])
	out := st.out
	hashPool.Put(st)
	return out
}

// hashState is a pooled SHA-1 state for signatures over long Encrypt values;
// out lives with it so Sum does not allocate.
type hashState struct {
	h   hash.Hash
	out [sha1.Size]byte
}

var hashPool = sync.Pool{New: func() any { return &hashState{h: sha1.New()} }}

// Signature returns msg_signature (消息签名): the lowercase hex SHA-1 of the
// byte-wise sorted concatenation of token, timestamp, nonce and encrypt.
// The result string is its only allocation; AppendSignature has none.
func Signature(token, timestamp, nonce, encrypt string) string {
	s := sum(token, timestamp, nonce, encrypt)
	h := make([]byte, 2*sha1.Size)
	hexEncode(h, s[:])
	return unsafe.String(&h[0], len(h))
}

// AppendSignature appends msg_signature (40 lowercase hex digits) to dst and
// returns the extended slice; it allocates nothing when dst has room.
func AppendSignature(dst []byte, token, timestamp, nonce, encrypt string) []byte {
	s := sum(token, timestamp, nonce, encrypt)
	n := len(dst)
	dst = append(dst, "0000000000000000000000000000000000000000"...)
	hexEncode(dst[n:], s[:])
	return dst
}

// Sign returns msg_signature for encrypt with the configured token.
func (c *Crypt) Sign(timestamp, nonce, encrypt string) string {
	return Signature(c.token, timestamp, nonce, encrypt)
}

// VerifySignature checks msg_signature over encrypt (the Encrypt or echostr
// value) without decrypting it, in constant time and without allocating on
// success; upper-case hex is accepted. A mismatch is ErrValidateSignature
// (-40001).
func (c *Crypt) VerifySignature(msgSignature, timestamp, nonce, encrypt string) error {
	return c.verify(msgSignature, timestamp, nonce, encrypt)
}

// verify compares msgSignature with the expected signature in constant time.
// Upper-case hex is accepted.
func (c *Crypt) verify(msgSignature, timestamp, nonce, encrypt string) error {
	want := sum(c.token, timestamp, nonce, encrypt)
	if !hexEqual(msgSignature, &want) {
		return newErr(ErrValidateSignature, "msg_signature does not match sha1(sort(token, timestamp, nonce, Encrypt)); check the Token and that timestamp, nonce and the Encrypt/echostr value are passed unchanged")
	}
	return nil
}

// VerifyURL handles the WeCom URL verification GET (验证URL有效性): it checks
// msg_signature over echostr and returns the decrypted echostr, which must
// be sent back as the response body, byte for byte.
//
// echostr is the query value after normal URL decoding; it is not decoded
// again (a '+' in it is data).
//
// Only a plausible echostr is returned (see PlausibleEchostr): a captured
// message body replayed as echostr decrypts too, and answering it would make
// the URL check a decryption oracle.
func (c *Crypt) VerifyURL(msgSignature, timestamp, nonce, echostr string) ([]byte, error) {
	msg, err := c.Decrypt(msgSignature, timestamp, nonce, echostr)
	if err != nil {
		return nil, err
	}
	if err := PlausibleEchostr(msg); err != nil {
		return nil, err
	}
	return msg, nil
}

// MaxEchostrLen bounds a decrypted echostr; WeCom's are about 20 digits.
const MaxEchostrLen = 128

// ErrNotEchostr is returned by VerifyURL (wrapped) when the decrypted
// echostr is not one: too long, XML or not printable text, such as a
// captured message body replayed as echostr.
var ErrNotEchostr error = echoErr("")

type echoErr string

func notEcho(cause string) error { return echoErr(cause) }

func (e echoErr) Error() string {
	if e == "" {
		return notEchostrMsg
	}
	return notEchostrMsg + ": " + string(e)
}

// Is makes every echoErr match ErrNotEchostr.
func (e echoErr) Is(target error) bool { _, ok := target.(echoErr); return ok }

const notEchostrMsg = ("wxcrypt: the decrypted echostr is not a URL-check echostr (longer than 128 bytes, XML or not printable text); a message body replayed as echostr is refused")

// PlausibleEchostr reports (as an ErrNotEchostr error naming the cause)
// whether b can be a URL-check echostr: at most MaxEchostrLen bytes of
// printable UTF-8 text without '<'.
func PlausibleEchostr(b []byte) error {
	switch {
	case len(b) == 0:
		return notEcho("it is empty")
	case len(b) > MaxEchostrLen:
		return notEcho("it is " + strconv.Itoa(len(b)) + " bytes")
	case !utf8.Valid(b):
		return notEcho("it is not UTF-8")
	case bytes.ContainsRune(b, '<'):
		return notEcho("it contains XML")
	}
	for _, r := range string(b) {
		if !unicode.IsPrint(r) {
			return notEcho("it contains the control character U+" + strconv.FormatInt(int64(r), 16))
		}
	}
	return nil
}

// Decrypt verifies msg_signature over encrypt and decrypts it, returning the
// message. Checks run in this order: signature (-40001), base64 (-40010),
// block length and padding (-40007), length fields (-40008), receiveid
// (-40005).
func (c *Crypt) Decrypt(msgSignature, timestamp, nonce, encrypt string) ([]byte, error) {
	if len(encrypt) > MaxEncryptLen {
		return nil, newErr(ErrTooLarge, "Encrypt value longer than "+strconv.Itoa(MaxEncryptLen)+" bytes")
	}
	if err := c.verify(msgSignature, timestamp, nonce, encrypt); err != nil {
		return nil, err
	}
	msg, _, err := c.open(encrypt, true)
	return msg, err
}

// Open decrypts encrypt without checking a signature and returns the message
// and the receiveid found in the plaintext. The configured receiveid is not
// compared. It is meant for diagnostics and emulators.
func (c *Crypt) Open(encrypt string) (msg []byte, receiveID string, err error) {
	if len(encrypt) > MaxEncryptLen {
		return nil, "", newErr(ErrTooLarge, "Encrypt value longer than "+strconv.Itoa(MaxEncryptLen)+" bytes")
	}
	msg, rid, err := c.open(encrypt, false)
	if err != nil {
		return nil, "", err
	}
	return msg, string(rid), nil
}

// open base64-decodes and decrypts encrypt. The returned slices alias one
// freshly allocated buffer.
func (c *Crypt) open(encrypt string, checkID bool) (msg, rid []byte, err error) {
	buf := make([]byte, base64.StdEncoding.DecodedLen(len(encrypt)))
	n, err := base64.StdEncoding.Decode(buf, bytesView(encrypt))
	if err != nil {
		return nil, nil, newErr(ErrDecodeBase64, "Encrypt is not valid standard base64; pass the value exactly as received (URL-decoded once, '+' kept)")
	}
	return c.openRaw(buf[:n], checkID)
}

func (c *Crypt) openRaw(ct []byte, checkID bool) (msg, rid []byte, err error) {
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, nil, newErr(ErrDecryptAES, "ciphertext length "+strconv.Itoa(len(ct))+" is not a non-zero multiple of 16; the Encrypt value is truncated or not from WeCom/WeChat")
	}
	c.decryptCBC(ct)
	p := int(ct[len(ct)-1])
	if p < 1 || p > blockSize || p > len(ct) {
		return nil, nil, newErr(ErrDecryptAES, "bad PKCS#7 padding after decryption; the EncodingAESKey is probably wrong")
	}
	var bad byte
	for _, b := range ct[len(ct)-p:] {
		bad |= b ^ byte(p)
	}
	if bad != 0 {
		return nil, nil, newErr(ErrDecryptAES, "bad PKCS#7 padding after decryption; the EncodingAESKey is probably wrong")
	}
	pt := ct[:len(ct)-p]
	if len(pt) < headerLen {
		return nil, nil, newErr(ErrIllegalBuffer, "decrypted buffer shorter than 20 bytes")
	}
	ml := binary.BigEndian.Uint32(pt[randomLen:headerLen])
	if uint64(ml) > uint64(len(pt)-headerLen) {
		return nil, nil, newErr(ErrIllegalBuffer, "msg_len "+strconv.FormatUint(uint64(ml), 10)+" exceeds the decrypted buffer; the ciphertext was altered or the key is wrong")
	}
	msg = pt[headerLen : headerLen+int(ml) : headerLen+int(ml)]
	rid = pt[headerLen+int(ml):]
	if checkID && c.receiveID != "" && string(rid) != c.receiveID {
		return nil, nil, newErr(ErrValidateReceiveID, "receiveid in the message is "+strconv.Quote(string(rid))+", configured "+strconv.Quote(c.receiveID)+"; use the CorpID, SuiteID or AppID the message was encrypted for")
	}
	return msg, rid, nil
}

// ivSetter is the part of the standard library's CBC modes that lets one be
// reused for another message.
type ivSetter interface{ SetIV([]byte) }

// decryptCBC decrypts ct in place with AES-CBC, the IV being the first 16
// bytes of the key.
func (c *Crypt) decryptCBC(ct []byte) {
	m, _ := c.cbc.Get().(cipher.BlockMode)
	if m == nil {
		m = cipher.NewCBCDecrypter(c.block, c.iv[:])
	} else {
		m.(ivSetter).SetIV(c.iv[:])
	}
	m.CryptBlocks(ct, ct)
	if _, ok := m.(ivSetter); ok {
		c.cbc.Put(m)
	}
}

// Encrypt encrypts msg with fresh random 16 bytes and returns the base64
// Encrypt value.
func (c *Crypt) Encrypt(msg []byte) (string, error) {
	var r [randomLen]byte
	if _, err := readFull(c, r[:]); err != nil {
		return "", err
	}
	return c.EncryptWithRandom(r[:], msg)
}

// EncryptWithRandom encrypts msg with the given 16 random prefix bytes; it is
// deterministic and meant for test vectors. Never reuse random bytes in
// production.
func (c *Crypt) EncryptWithRandom(random16, msg []byte) (string, error) {
	if len(random16) != randomLen {
		return "", newErr(ErrEncryptAES, "random prefix must be 16 bytes, got "+strconv.Itoa(len(random16)))
	}
	if len(msg) > MaxMsgLen {
		return "", newErr(ErrTooLarge, "message longer than "+strconv.Itoa(MaxMsgLen)+" bytes")
	}
	ct := c.seal(random16, msg)
	out := make([]byte, base64.StdEncoding.EncodedLen(len(ct)))
	base64.StdEncoding.Encode(out, ct)
	return string(out), nil
}

// sealedLen is the ciphertext length for a message of n bytes.
func (c *Crypt) sealedLen(n int) int {
	l := headerLen + n + len(c.receiveID)
	return l + blockSize - l%blockSize
}

// seal returns the AES-CBC ciphertext of random ‖ BE32(len) ‖ msg ‖ receiveid ‖ PKCS#7(32).
func (c *Crypt) seal(random16, msg []byte) []byte {
	total := c.sealedLen(len(msg))
	buf := make([]byte, total)
	c.sealInto(buf, random16, msg)
	return buf
}

func (c *Crypt) sealInto(buf, random16, msg []byte) {
	copy(buf, random16)
	binary.BigEndian.PutUint32(buf[randomLen:], uint32(len(msg)))
	n := headerLen + copy(buf[headerLen:], msg)
	n += copy(buf[n:], c.receiveID)
	p := byte(len(buf) - n)
	for i := n; i < len(buf); i++ {
		buf[i] = p
	}
	cipher.NewCBCEncrypter(c.block, c.iv[:]).CryptBlocks(buf, buf)
}

// bytesView returns the bytes of s without copying. The result must only be
// read.
func bytesView(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// stringView returns b as a string without copying; b must not change while
// the string is in use.
func stringView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// hexEqual reports whether sig is the hex of want, in constant time (for a
// given length) and without decoding: want is hex-encoded and compared eight
// bytes at a time. Upper-case letters are accepted: where want has a letter
// (bit 0x40 set), sig may differ in the case bit 0x20 only; where it has a
// digit, sig must match exactly, so no non-hex byte passes.
func hexEqual(sig string, want *[sha1.Size]byte) bool {
	if len(sig) != 2*sha1.Size {
		return false
	}
	var w [2 * sha1.Size]byte
	hexEncode(w[:], want[:])
	var diff uint64
	for i := 0; i < len(w); i += 8 {
		x := binary.LittleEndian.Uint64(w[i:])
		g := binary.LittleEndian.Uint64(bytesView(sig[i : i+8]))
		caseBit := (x & 0x4040404040404040) >> 1
		diff |= (g ^ x) &^ caseBit
	}
	return diff == 0
}

// VerifyPlainSignature checks the 3-item `signature` query parameter that
// Official Accounts send with every request, including the plaintext-mode
// URL check (sha1(sort(token, timestamp, nonce)); echostr is not signed and
// is echoed back unchanged). The comparison is constant-time.
func (c *Crypt) VerifyPlainSignature(signature, timestamp, nonce string) bool {
	want := sum(c.token, timestamp, nonce, "")
	return hexEqual(signature, &want)
}
