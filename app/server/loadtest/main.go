// Command loadtest serves the three callback handlers compared in
// docs/benchmarks.md (## Dev server) under wrk, and generates the request
// files the wrk script replays. It is a separate module so that
// silenceper/wechat never enters wwkit's go.mod.
//
//	loadtest -mode minimal|silenceper|wwkit -addr 127.0.0.1:9001
//	loadtest -gen 100000 -out /tmp/callbacks.txt
//
// minimal is the limit: a net/http handler that only verifies msg_signature
// and decrypts (core/wxcrypt) and answers 200 with no reply, and signs
// wx.config with a fixed ticket (core/jssdk). silenceper is
// github.com/silenceper/wechat/v2 officialaccount/server.Server with a handler
// that returns no reply. wwkit is app/server with its durable inbox (reply
// rule none), backed by an in-process emulator for the jsapi_ticket.
package main

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/silenceper/wechat/v2"
	"github.com/silenceper/wechat/v2/cache"
	offConfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/sirupsen/logrus"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

func main() {
	mode := flag.String("mode", "", "minimal, silenceper or wwkit")
	addr := flag.String("addr", "127.0.0.1:9001", "listen address")
	data := flag.String("data", "", "wwkit: data directory (a fresh temp dir by default)")
	gen := flag.Int("gen", 0, "generate this many distinct MP safe-mode callbacks and exit")
	out := flag.String("out", "callbacks.txt", "file for -gen")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the server to this file")
	fsync := flag.Bool("fsync", false, "wwkit: fsync the inbox journal before each answer (wwkit serve --inbox-fsync)")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	fx := emulator.DefaultFixture()
	if *gen > 0 {
		if err := generate(fx, *gen, *out); err != nil {
			log.Fatal(err)
		}
		return
	}
	var h http.Handler
	switch *mode {
	case "minimal":
		h = minimal(fx)
	case "silenceper":
		h = silenceper(fx)
	case "wwkit":
		if *data == "" {
			d, err := os.MkdirTemp("", "wwkit-loadtest")
			if err != nil {
				log.Fatal(err)
			}
			defer os.RemoveAll(d)
			*data = d
		}
		runWWKit(fx, *addr, *data, *fsync)
		return
	default:
		log.Fatal("loadtest: -mode must be minimal, silenceper or wwkit")
	}
	log.Printf("loadtest: %s on %s", *mode, *addr)
	log.Fatal((&http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}).ListenAndServe())
}

func minimal(fx *emulator.Fixture) http.Handler {
	c, err := wxcrypt.New(fx.MP.Token, fx.MP.EncodingAESKey, fx.MP.AppID)
	if err != nil {
		log.Fatal(err)
	}
	const ticket = "kgt8ON7yVITDhtdwci0qeeVsQ4jU7dY76OxlaWzg4Ei8pEYWOGQiLGEPQv4eVgGcEk1EFyfVZTL4RTykAFmwOw"
	mux := http.NewServeMux()
	mux.HandleFunc("POST /callback/mp", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		q := r.URL.Query()
		if _, err := c.DecryptBody(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), body); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	signer := jssdk.NewSigner()
	mux.HandleFunc("GET /api/jssdk/config", func(w http.ResponseWriter, r *http.Request) {
		cfg, _, err := signer.Config(fx.MP.AppID, ticket, r.URL.Query().Get("url"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ok":true,"appId":%q,"timestamp":%d,"nonceStr":%q,"signature":%q}`, cfg.AppID, cfg.Timestamp, cfg.NonceStr, cfg.Signature)
	})
	return mux
}

func silenceper(fx *emulator.Fixture) http.Handler {
	wc := wechat.NewWechat()
	// silenceper's init sets logrus to debug and logs every message body;
	// a production deployment would lower it, so the comparison does too.
	logrus.SetLevel(logrus.InfoLevel)
	logrus.SetOutput(io.Discard)
	oa := wc.GetOfficialAccount(&offConfig.Config{AppID: fx.MP.AppID, AppSecret: fx.MP.AppSecret, Token: fx.MP.Token,
		EncodingAESKey: fx.MP.EncodingAESKey, Cache: cache.NewMemory()})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv := oa.GetServer(r, w)
		srv.SetMessageHandler(func(*message.MixMessage) *message.Reply { return nil })
		if err := srv.Serve(); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		_ = srv.Send()
	})
}

func runWWKit(fx *emulator.Fixture, addr, data string, fsync bool) {
	emu, err := emulator.Start("127.0.0.1:0", emulator.WithFixture(fx))
	if err != nil {
		log.Fatal(err)
	}
	defer emu.Close()
	srv, err := server.New(server.Config{Addr: addr, DataDir: data, Profiles: []server.Profile{{
		Name: "mp", Platform: server.PlatformMP, AppID: fx.MP.AppID, Secret: fx.MP.AppSecret, Token: fx.MP.Token,
		EncodingAESKey: fx.MP.EncodingAESKey, TrustedDomains: []string{"127.0.0.1"}, APIBaseURL: emu.MPBaseURL(),
		Reply: server.ReplyNone,
	}}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxSkew: time.Hour, InboxFsync: fsync})
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log.Printf("loadtest: wwkit on %s, inbox in %s", srv.URL(), data)
	if err := srv.Run(ctx); err != nil {
		log.Fatal(err)
	}
}

// generate writes n lines "PATH?QUERY<TAB>BODY", each a distinct MP
// safe-mode text message (its own MsgId) as the Official Account sends it.
func generate(fx *emulator.Fixture, n int, out string) error {
	c, err := wxcrypt.New(fx.MP.Token, fx.MP.EncodingAESKey, fx.MP.AppID)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	ts := fmt.Sprint(time.Now().Unix())
	for i := 0; i < n; i++ {
		nonce := fmt.Sprint(100000 + i)
		plain := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%s</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[load test message number %d]]></Content><MsgId>%d</MsgId></xml>",
			fx.MP.OriginalID, fx.MP.Followers[0].OpenID, ts, i, 9000000000+int64(i))
		body, msgSig, err := c.EncryptRequest([]byte(plain), fx.MP.OriginalID, "", ts, nonce)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "/callback/mp?signature=%s&timestamp=%s&nonce=%s&openid=%s&encrypt_type=aes&msg_signature=%s\t%s\n",
			plainSignature(fx.MP.Token, ts, nonce), ts, nonce, fx.MP.Followers[0].OpenID, msgSig, body)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// plainSignature is the Official Account signature sha1(sort(token, timestamp, nonce)).
func plainSignature(token, ts, nonce string) string {
	parts := []string{token, ts, nonce}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}
