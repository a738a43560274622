package callback

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestReadBody: the body is read whole into a buffer of the announced size
// (no growth), without a Content-Length too, and one over MaxBody is refused.
func TestReadBody(t *testing.T) {
	body := strings.Repeat("<xml>回调</xml>", 60)
	r := httptest.NewRequest(http.MethodPost, "/callback", strings.NewReader(body))
	got, err := ReadBody(httptest.NewRecorder(), r)
	if err != nil || string(got) != body {
		t.Fatalf("with Content-Length: %d bytes, %v", len(got), err)
	}
	if cap(got) != len(body)+1 {
		t.Errorf("buffer capacity %d for a %d-byte body: it grew", cap(got), len(body))
	}
	r = httptest.NewRequest(http.MethodPost, "/callback", io.MultiReader(strings.NewReader(body)))
	r.ContentLength = -1
	if got, err := ReadBody(httptest.NewRecorder(), r); err != nil || string(got) != body {
		t.Fatalf("without Content-Length: %d bytes, %v", len(got), err)
	}
	big := strings.Repeat("a", MaxBody+1)
	for _, cl := range []int64{int64(len(big)), -1} {
		r = httptest.NewRequest(http.MethodPost, "/callback", strings.NewReader(big))
		r.ContentLength = cl
		var mbe *http.MaxBytesError
		if _, err := ReadBody(httptest.NewRecorder(), r); !errors.As(err, &mbe) {
			t.Errorf("Content-Length %d over MaxBody: %v, want a MaxBytesError", cl, err)
		}
	}
}
