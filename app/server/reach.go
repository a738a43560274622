package server

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Why a phone may not open the server's QR code (QRWarning.Code).
const (
	// QRLoopback: the public URL names this machine's loopback address,
	// which on a phone is the phone itself.
	QRLoopback = "loopback"
	// QRLANExcluded: the server listens on loopback only, so a LAN
	// address in the public URL reaches nothing.
	QRLANExcluded = "lan-excluded"
	// QRNotThisServer: GET <public URL>/healthz answered, but not with
	// this process's instance nonce: another server (an older wwkit, a
	// stale tunnel) answers there.
	QRNotThisServer = "not-this-server"
	// QRUnreachable: GET <public URL>/healthz failed from this machine (a
	// tunnel that is down, a firewall, a wrong host).
	QRUnreachable = "unreachable"
)

// QRWarning says why phones may not open the public URL and what to do:
// Code (one of the QR… constants) and Params for a translated text,
// Message in English (the CLI banner and the logs).
type QRWarning struct {
	Code    string            `json:"code"`
	Params  map[string]string `json:"params"`
	Message string            `json:"message"`
}

// reachTimeout bounds the public URL probe.
const reachTimeout = 3 * time.Second

// CheckQR tells whether a phone can open publicURL, served by a listener
// on listenAddr whose /healthz carries instance. It decides in three
// steps: a loopback host in the public URL is wrong for any phone; a LAN
// IP address in it cannot reach a loopback-only listener; otherwise it
// fetches publicURL/healthz (3 s) and compares the answer's instance with
// this process's, so a tunnel or a LAN address that leads elsewhere is
// caught. hc nil means a plain client. No warning means the URL led back
// to this process from this machine (a phone on another network may still
// be blocked by a firewall; that cannot be seen from here).
func CheckQR(ctx context.Context, hc *http.Client, listenAddr, publicURL, instance string) []QRWarning {
	u, err := url.Parse(publicURL)
	if err != nil || u.Hostname() == "" {
		return []QRWarning{{Code: QRUnreachable, Params: map[string]string{"url": publicURL, "err": "not an absolute URL"},
			Message: "the public URL " + strconv.Quote(publicURL) + " is not an absolute URL; pass --public-url http://LAN-IP:PORT or a tunnel's https URL"}}
	}
	port := portOf(listenAddr)
	host := u.Hostname()
	if isLoopbackHost(host) {
		return []QRWarning{{Code: QRLoopback, Params: map[string]string{"url": publicURL, "port": port},
			Message: "the QR code's URL " + publicURL + " is this machine's loopback address, which a phone cannot open; listen on the LAN (--addr 0.0.0.0:" + port +
				") or give a tunnel's URL with --public-url"}}
	}
	lh, _, _ := net.SplitHostPort(listenAddr)
	if ip := net.ParseIP(lh); ip != nil && ip.IsLoopback() {
		if pip := net.ParseIP(host); pip != nil && !pip.IsLoopback() {
			return []QRWarning{{Code: QRLANExcluded, Params: map[string]string{"url": publicURL, "addr": listenAddr, "port": port},
				Message: "the server listens on " + listenAddr + " (this machine only), so " + publicURL + " reaches nothing from a phone; listen with --addr 0.0.0.0:" + port}}
		}
	}
	if hc == nil {
		hc = &http.Client{}
	}
	c := *hc
	c.Timeout = reachTimeout
	// The probe must not follow a redirect to somewhere else that
	// answers: the public URL itself has to lead here.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ctx, cancel := context.WithTimeout(ctx, reachTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, publicURL+"/healthz", nil)
	if err != nil {
		return []QRWarning{{Code: QRUnreachable, Params: map[string]string{"url": publicURL, "err": err.Error()}, Message: "probing " + publicURL + ": " + err.Error()}}
	}
	resp, err := c.Do(req)
	if err != nil {
		return []QRWarning{{Code: QRUnreachable, Params: map[string]string{"url": publicURL, "err": err.Error()},
			Message: "GET " + publicURL + "/healthz from this machine failed (" + err.Error() + "); a phone will not open the QR code either: check the tunnel, the firewall or --public-url"}}
	}
	defer resp.Body.Close()
	var h struct {
		Instance string `json:"instance"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(b, &h) != nil || h.Instance != instance {
		return []QRWarning{{Code: QRNotThisServer, Params: map[string]string{"url": publicURL, "status": strconv.Itoa(resp.StatusCode)},
			Message: publicURL + "/healthz is answered by another server (HTTP " + strconv.Itoa(resp.StatusCode) + "), not this one: a stale tunnel or another program on that address; point the tunnel at this server or fix --public-url"}}
	}
	return nil
}

// QRWarnings checks whether phones can open the server's public URL (see
// CheckQR). Call it once the server is serving (Run), or the probe of its
// own /healthz waits for nothing.
func (s *Server) QRWarnings(ctx context.Context) []QRWarning {
	return CheckQR(ctx, nil, s.ln.Addr().String(), s.cfg.PublicURL, s.instance)
}

// Instance is this process's nonce in /healthz (CheckQR compares it).
func (s *Server) Instance() string { return s.instance }

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

func portOf(addr string) string {
	_, p, err := net.SplitHostPort(addr)
	if err != nil || p == "" || p == "0" {
		return "8080"
	}
	return p
}
