package hostile

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSlowClients trickles requests into a real wwkit serve (slowloris):
// headers a line at a time, and a body a byte at a time. The server's read
// timeouts (10 s for headers, 30 s for the whole request) must cut every such
// connection, while other clients keep being answered the whole time and
// nothing reaches the inbox.
func TestSlowClients(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow clients take the server's 30 s read timeout")
	}
	s := startServe(t)
	host := strings.TrimPrefix(s.URL, "http://")
	before := s.healthz(t)

	type trickle struct {
		name   string
		head   string
		drip   string
		limit  time.Duration // the connection must be cut before this
		slowly int           // connections of this kind
	}
	kinds := []trickle{
		{"headers a line every 300ms", "POST /callback/wecom?msg_signature=a&timestamp=1&nonce=n HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n", 25 * time.Second, 20},
		{"body a byte every 300ms", "POST /callback/wecom?msg_signature=a&timestamp=1&nonce=n HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n<xml>", "a", 45 * time.Second, 20},
		{"nothing after connecting", "", "", 25 * time.Second, 20},
	}
	var wg sync.WaitGroup
	var cut, open atomic.Int64
	errs := make(chan string, 100)
	for _, k := range kinds {
		for i := 0; i < k.slowly; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := net.Dial("tcp", host)
				if err != nil {
					errs <- fmt.Sprintf("%s: dial: %v", k.name, err)
					return
				}
				defer c.Close()
				open.Add(1)
				start := time.Now()
				_ = c.SetDeadline(start.Add(k.limit))
				if k.head != "" {
					if _, err := io.WriteString(c, k.head); err != nil {
						errs <- fmt.Sprintf("%s: first write: %v", k.name, err)
						return
					}
				}
				if k.drip == "" {
					// Wait for the server to hang up.
					b := make([]byte, 512)
					for {
						if _, err := c.Read(b); err != nil {
							if ne, ok := err.(net.Error); ok && ne.Timeout() {
								errs <- fmt.Sprintf("%s: still open after %v", k.name, k.limit)
							} else {
								cut.Add(1)
							}
							return
						}
					}
				}
				for {
					if _, err := io.WriteString(c, k.drip); err != nil {
						if ne, ok := err.(net.Error); ok && ne.Timeout() {
							errs <- fmt.Sprintf("%s: still open after %v", k.name, k.limit)
						} else {
							cut.Add(1)
						}
						return
					}
					time.Sleep(300 * time.Millisecond)
					if time.Since(start) > k.limit {
						errs <- fmt.Sprintf("%s: still accepting bytes after %v", k.name, k.limit)
						return
					}
				}
			}()
		}
	}
	// Meanwhile, ordinary clients are served.
	done := make(chan struct{})
	var served, failed atomic.Int64
	var probes sync.WaitGroup
	probes.Add(1)
	go func() {
		defer probes.Done()
		for {
			select {
			case <-done:
				return
			case <-time.After(200 * time.Millisecond):
			}
			resp, err := client.Get(s.URL + "/healthz")
			if err != nil || resp.StatusCode != 200 {
				failed.Add(1)
				continue
			}
			resp.Body.Close()
			served.Add(1)
		}
	}()
	wg.Wait()
	close(done)
	probes.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	total := int64(0)
	for _, k := range kinds {
		total += int64(k.slowly)
	}
	t.Logf("%d slow connections opened, %d cut by the server; %d ordinary requests answered meanwhile, %d failed", open.Load(), cut.Load(), served.Load(), failed.Load())
	if cut.Load() != total {
		t.Errorf("%d of %d slow connections were cut by the server", cut.Load(), total)
	}
	if failed.Load() != 0 || served.Load() < 10 {
		t.Errorf("ordinary clients: %d answered, %d failed while slow clients were connected", served.Load(), failed.Load())
	}
	if after := s.healthz(t); after != before {
		t.Errorf("inbox grew by %d during the slow-client attack", after-before)
	}
	s.checkNoPanic(t)
}
