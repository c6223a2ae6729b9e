package static

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// catalogue reads js/catalogue.js: language → English text → translation.
func catalogue(t *testing.T) map[string]map[string]string {
	t.Helper()
	b, err := fs.ReadFile(FS, "js/catalogue.js")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "const CATALOGUE = ")
	if i < 0 {
		t.Fatal("js/catalogue.js does not define CATALOGUE")
	}
	body := strings.TrimSuffix(strings.TrimSpace(s[i+len("const CATALOGUE = "):]), ";")
	var cat map[string]map[string]string
	if err := json.Unmarshal([]byte(body), &cat); err != nil {
		t.Fatalf("js/catalogue.js is not one JSON object after CATALOGUE =: %v", err)
	}
	return cat
}

var (
	tCall     = regexp.MustCompile(`\bt\(\s*'((?:[^'\\]|\\.)*)'`)
	tableStr  = regexp.MustCompile(`(?s)(?:KINDS|SOURCES|EVENTS) = \{(.*?)\};`)
	tableVal  = regexp.MustCompile(`:\s*'((?:[^'\\]|\\.)*)'`)
	titleStr  = regexp.MustCompile(`title: '((?:[^'\\]|\\.)*)'`)
	scripts   = regexp.MustCompile(`(?s)<(script|style|code)[^>]*>.*?</(script|style|code)>`)
	attrText  = regexp.MustCompile(`(?:aria-label|title|placeholder)="([^"]+)"`)
	tagText   = regexp.MustCompile(`>([^<]+)<`)
	space     = regexp.MustCompile(`\s+`)
	hasLetter = regexp.MustCompile(`[A-Za-z]`)
)

// pageTexts returns every English text of the pages: the keys of t(...)
// calls and label tables in the scripts, and the text and labelling
// attributes of the HTML.
func pageTexts(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{} // text → where
	add := func(s, where string) {
		s = strings.TrimSpace(space.ReplaceAllString(strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(s), " "))
		if s != "" && hasLetter.MatchString(s) {
			out[s] = where
		}
	}
	js, _ := fs.Glob(FS, "js/*.js")
	for _, f := range js {
		if f == "js/catalogue.js" {
			continue
		}
		b, _ := fs.ReadFile(FS, f)
		src := string(b)
		for _, m := range tCall.FindAllStringSubmatch(src, -1) {
			add(m[1], f)
		}
		for _, m := range tableStr.FindAllStringSubmatch(src, -1) {
			for _, v := range tableVal.FindAllStringSubmatch(m[1], -1) {
				add(v[1], f)
			}
		}
		for _, m := range titleStr.FindAllStringSubmatch(src, -1) {
			add(m[1], f)
		}
	}
	html, _ := fs.Glob(FS, "*.html")
	for _, f := range html {
		b, _ := fs.ReadFile(FS, f)
		src := scripts.ReplaceAllString(string(b), "")
		for _, m := range attrText.FindAllStringSubmatch(src, -1) {
			add(m[1], f)
		}
		for _, m := range tagText.FindAllStringSubmatch(src, -1) {
			text := m[1]
			if strings.Contains(text, " — ") { // the <title>: page — role
				for _, p := range strings.Split(text, " — ") {
					add(p, f)
				}
				continue
			}
			add(text, f)
		}
	}
	return out
}

// TestTextsAreLiterals checks that every t(...) of the scripts whose key
// is chosen by a condition names its texts in t(...) calls of their own,
// so that the catalogue test sees them: t(a ? 'x' : 'y') would hide them.
func TestTextsAreLiterals(t *testing.T) {
	hidden := regexp.MustCompile(`\bt\(\s*[^'),]*\?\s*'`)
	js, _ := fs.Glob(FS, "js/*.js")
	for _, f := range js {
		b, _ := fs.ReadFile(FS, f)
		for _, m := range hidden.FindAllString(string(b), -1) {
			t.Errorf("%s: %q chooses its text inside t(): call t() on each text", f, m)
		}
	}
}

// TestCatalogueCoversThePages checks that every text of the pages has a
// Spanish translation in the one catalogue, with the same {placeholders},
// and that the catalogue has no text the pages no longer use.
func TestCatalogueCoversThePages(t *testing.T) {
	cat := catalogue(t)
	es := map[string]string{}
	for k, v := range cat["es"] {
		es[strings.TrimSpace(k)] = v
	}
	if len(es) == 0 {
		t.Fatal("no Spanish catalogue")
	}
	texts := pageTexts(t)
	ph := regexp.MustCompile(`\{\w+\}`)
	for text, where := range texts {
		tr, ok := es[text]
		if !ok {
			t.Errorf("%s: %q has no Spanish translation in js/catalogue.js", where, text)
			continue
		}
		want, got := ph.FindAllString(text, -1), ph.FindAllString(tr, -1)
		for _, p := range want {
			if !strings.Contains(tr, p) {
				t.Errorf("%q: the translation %q lacks %s", text, tr, p)
			}
		}
		for _, p := range got {
			if !strings.Contains(text, p) {
				t.Errorf("%q: the translation %q has %s, which the text does not", text, tr, p)
			}
		}
	}
	// Texts that come from the server or from computed keys ('plan ' +
	// status) are in the catalogue too; each must be one of those.
	dynamic := map[string]bool{"plan open": true, "plan converged": true, "plan stopped": true, "round open": true, "round closed": true, "round ?": true,
		"closed by the facilitator": true, "all human councils submitted": true, "the deadline passed": true,
		"accepted": true, "rejected": true, "open": true, "converged": true, "stopped": true, "facilitator": true, "observer": true, "council": true}
	for k := range es {
		if _, used := texts[k]; !used && !dynamic[k] {
			t.Errorf("js/catalogue.js translates %q, which no page uses", k)
		}
	}
}
