package token_test

import (
	"github.com/wwkit/wwkit/core/token"
	"github.com/wwkit/wwkit/core/token/redistoken"
)

// The internal tests of core/token run against the real Redis store of
// core/token/redistoken, which they cannot import themselves.
func init() {
	token.SetOpenRedisForTest(func(url string) (token.RedisStoreForTest, error) {
		s, err := redistoken.Open(url)
		if err != nil {
			return nil, err
		}
		return s, nil
	})
}
