//go:build !js

package jssdk_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/wwkit/wwkit/core/jssdk"
)

func ExampleSigner_Config() {
	// Fixed randomness and clock make the output reproducible; production
	// code uses jssdk.NewSigner() (crypto/rand and time.Now).
	s := jssdk.NewSigner(
		jssdk.WithRand(strings.NewReader(strings.Repeat("\x00\x01\x02\x03", 16))),
		jssdk.WithClock(func() time.Time { return time.Unix(1700000000, 0) }),
	)
	cfg, stringToSign, err := s.Config("ww7a3c9e1f5b2d8064", "TICKET", "https://app.example.com/h5/?a=1#/home")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(stringToSign)
	fmt.Println(cfg.NonceStr, cfg.Timestamp, cfg.Signature == jssdk.Sign("TICKET", cfg.NonceStr, cfg.Timestamp, "https://app.example.com/h5/?a=1"))
	// Output:
	// jsapi_ticket=TICKET&noncestr=ABCDABCDABCDABCD&timestamp=1700000000&url=https://app.example.com/h5/?a=1
	// ABCDABCDABCDABCD 1700000000 true
}
