// Command flooder is a test tool of cmd/parecon's fault tests: it sends a
// websocket RATE malformed frames a second, as one misbehaving client
// would, reconnecting whenever the server drops it, until SIGTERM or
// SIGINT; then it prints "sent answered drops" and exits. It runs as its
// own process, built without the race detector, so that the flood's
// client side does not weigh on the test's own measurements.
//
//	flooder WS_URL TOKEN RATE
package main

import (
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

func main() {
	if len(os.Args) != 4 || !strings.HasPrefix(os.Args[1], "ws://127.") {
		fmt.Fprintln(os.Stderr, "usage: flooder ws://127.0.0.1:PORT/ws?plan=ID TOKEN RATE")
		os.Exit(2)
	}
	url, token := os.Args[1], os.Args[2]
	rate, err := strconv.Atoi(os.Args[3])
	if err != nil || rate <= 0 {
		fmt.Fprintln(os.Stderr, "flooder: bad rate")
		os.Exit(2)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	var sent, answered, drops atomic.Int64
	bad := []string{`not json`, `{"type":`, `{"type":"nope"}`, `[1,2,3]`, `{"type":"proposal.submit","round":-1,"proposal":{}}`}
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	var c *websocket.Conn
	var gone chan struct{}
	connect := func() bool {
		var err error
		if c, _, err = websocket.DefaultDialer.Dial(url, h); err != nil {
			fmt.Fprintln(os.Stderr, "flooder:", err)
			return false
		}
		gone = make(chan struct{})
		go func(c *websocket.Conn, gone chan struct{}) {
			defer close(gone)
			for {
				_, b, err := c.ReadMessage()
				if err != nil {
					if websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
						drops.Add(1)
					}
					return
				}
				if strings.Contains(string(b), `"type":"error"`) {
					answered.Add(1)
				}
			}
		}(c, gone)
		return true
	}
	if !connect() {
		os.Exit(1)
	}
	start := time.Now()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	var due int64
loop:
	for deadline := start.Add(time.Minute); time.Now().Before(deadline); {
		select {
		case <-stop:
			break loop
		case <-tick.C:
		}
		// RATE a second on average, whatever the ticker's jitter.
		for want := int64(time.Since(start).Seconds()*float64(rate)) - due; want > 0; want-- {
			select {
			case <-gone:
				c.Close()
				if !connect() {
					break loop
				}
			default:
			}
			if c.WriteMessage(websocket.TextMessage, []byte(bad[due%int64(len(bad))])) == nil {
				sent.Add(1)
			}
			due++
		}
	}
	c.Close()
	<-gone
	fmt.Println(sent.Load(), answered.Load(), drops.Load())
}
