package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestDemoConvergesLive runs `parecon demo` with short deadlines: it prints
// the server's address first, then links for the observer, the
// facilitator and two human councils; an observer following its link sees
// the plan converge by itself, the missing humans answered by their
// models as stand-ins (in the audit log); cancelling stops it cleanly.
func TestDemoConvergesLive(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--round-deadline", "300ms", "--db", filepath.Join(t.TempDir(), "d.db"), "--log-level", "error"}, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var lines []string
	links := map[string]string{}
	for sc.Scan() {
		l := sc.Text()
		lines = append(lines, l)
		for _, page := range []string{"observer", "facilitator", "council"} {
			if i := strings.Index(l, "http://"); i >= 0 && strings.Contains(l, "/"+page+".html#") {
				links[page+"/"+l] = l[i:]
				links[page] = l[i:]
			}
		}
		if strings.HasPrefix(l, "Ctrl-C") {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "listening on http://127.0.0.1:") {
		t.Fatalf("first line %q", lines)
	}
	councilLinks := 0
	for k := range links {
		if strings.HasPrefix(k, "council/") {
			councilLinks++
		}
	}
	if links["observer"] == "" || links["facilitator"] == "" || councilLinks != 2 {
		t.Fatalf("links missing in:\n%s", strings.Join(lines, "\n"))
	}
	parse := func(link string) (base, plan, token string) {
		u, _ := url.Parse(link)
		f, _ := url.ParseQuery(u.Fragment)
		return u.Scheme + "://" + u.Host, f.Get("plan"), f.Get("token")
	}
	base, plan, token := parse(links["observer"])
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws?plan="+plan+"&token="+token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for {
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		var m map[string]any
		if err := c.ReadJSON(&m); err != nil {
			t.Fatalf("waiting for convergence: %v", err)
		}
		if m["type"] == "plan.converged" {
			break
		}
		if m["type"] == "snapshot" && m["plan"].(map[string]any)["status"] == "converged" {
			break
		}
	}
	_, _, ftok := parse(links["facilitator"])
	req, _ := http.NewRequest("GET", base+"/api/plans/"+plan+"/audit", nil)
	req.Header.Set("Authorization", "Bearer "+ftok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var audit struct{ Events []struct{ Type string } }
	json.NewDecoder(resp.Body).Decode(&audit)
	resp.Body.Close()
	standins := 0
	for _, e := range audit.Events {
		if e.Type == "proposal.standin" {
			standins++
		}
	}
	if standins == 0 {
		t.Fatal("no stand-in in the audit log")
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("demo exited %d", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("demo did not stop")
	}
}

// TestDemoWaitsForPeople runs `parecon demo` as the README does (no
// deadline): it plans the town, tells people what to do, and round 0
// stays open while the two human councils have not submitted.
func TestDemoWaitsForPeople(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "d.db"), "--log-level", "error"}, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var text strings.Builder
	var observer string
	for sc.Scan() {
		l := sc.Text()
		text.WriteString(l + "\n")
		if strings.Contains(l, "/observer.html#") {
			observer = strings.TrimSpace(l)
		}
		if strings.HasPrefix(l, "Ctrl-C") {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	out := text.String()
	for _, want := range []string{"Millbrook", "press Submit", "hillside-farm (a workplace that makes grain)", "old-town (a neighbourhood", "when every council above has submitted", "there is no\n   deadline", "start again"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	u, err := url.Parse(observer)
	if err != nil || observer == "" {
		t.Fatalf("no observer link in:\n%s", out)
	}
	f, _ := url.ParseQuery(u.Fragment)
	time.Sleep(time.Second)
	req, _ := http.NewRequest("GET", u.Scheme+"://"+u.Host+"/api/plans/"+f.Get("plan"), nil)
	req.Header.Set("Authorization", "Bearer "+f.Get("token"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var pv struct {
		Status    string
		Round     int
		Deadline  *string
		Submitted []string
	}
	json.NewDecoder(resp.Body).Decode(&pv)
	resp.Body.Close()
	if pv.Status != "open" || pv.Round != 0 || pv.Deadline != nil {
		t.Errorf("after a second: %+v, want round 0 open with no deadline", pv)
	}
	for _, id := range pv.Submitted {
		if id == "old-town" || id == "hillside-farm" {
			t.Errorf("%s submitted without its people", id)
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("demo exited %d", code)
	}
}
