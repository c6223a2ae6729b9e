package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"parecon/councils"
)

// token returns the request's token: "Authorization: Bearer T", else the
// query parameter token (for browsers' websockets).
func token(c echo.Context) string {
	if h := c.Request().Header.Get("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t)
		}
		return ""
	}
	return c.QueryParam("token")
}

// readBody reads the request body up to limit bytes: too_large beyond it.
func readBody(c echo.Context, limit int64) ([]byte, error) {
	r := http.MaxBytesReader(c.Response(), c.Request().Body, limit)
	b, err := io.ReadAll(r)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, councils.Errorf(councils.TooLarge, "", "the body is larger than %d bytes", limit)
	}
	if err != nil {
		return nil, councils.Errorf(councils.Invalid, "", "reading the body: %v", err)
	}
	return b, nil
}

// decodeBody decodes the JSON object body into v: unknown fields and
// anything after the object are invalid, named in the error.
func decodeBody(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return councils.Errorf(councils.Invalid, "", "malformed JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return councils.Errorf(councils.Invalid, "", "malformed JSON: the body goes on after its object")
	}
	return nil
}
