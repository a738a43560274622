package token

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisStoreForTest is what the tests of this package use of the Redis
// store. The store lives in core/token/redistoken, which imports this
// package, so these (internal) tests cannot import it; redis_ext_test.go,
// an external test file of the same test binary, registers it.
type RedisStoreForTest interface {
	Store
	Locker
	Renew(ctx context.Context, l *Lock, ttl time.Duration) (bool, error)
	Client() redis.UniversalClient
	Close() error
}

var openRedisHook func(url string) (RedisStoreForTest, error)

// SetOpenRedisForTest registers the Redis store's constructor.
func SetOpenRedisForTest(f func(url string) (RedisStoreForTest, error)) { openRedisHook = f }

func openRedis(url string) (RedisStoreForTest, error) {
	if openRedisHook == nil {
		panic("token tests: redis_ext_test.go did not register the Redis store")
	}
	return openRedisHook(url)
}
