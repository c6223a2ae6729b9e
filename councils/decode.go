package councils

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
)

// MaxScenarioBytes bounds the size of a scenario file.
const MaxScenarioBytes = 64 << 20

var slug = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// DecodeScenario reads a scenario in the JSON format of docs/spec/economy.md and
// checks it (see Validate). A bad one returns Problems, each naming its
// JSON path; malformed JSON names its line and column.
func DecodeScenario(r io.Reader) (*Scenario, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxScenarioBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxScenarioBytes {
		return nil, Problems{{Message: fmt.Sprintf("scenario is larger than %d bytes", MaxScenarioBytes)}}
	}
	return ParseScenario(data)
}

// ParseScenario is DecodeScenario on bytes.
func ParseScenario(data []byte) (*Scenario, error) {
	tree, err := parseJSON(data)
	if err != nil {
		return nil, Problems{*err}
	}
	d := &walker{}
	sc := d.scenario(tree)
	// The fields that did not decode are left at their zero values, so
	// Validate still checks every other field in the same pass; Dedupe
	// keeps the first problem of each field and none inside a field
	// already reported.
	unsure := map[string]bool{}
	for i, g := range sc.Goods {
		p := index("goods", i)
		for _, pr := range d.probs {
			if inside(pr.Path, p) {
				unsure[g.ID] = true
			}
		}
	}
	if ps := append(d.probs, validate(sc, unsure)...).Dedupe(); len(ps) > 0 {
		return nil, ps
	}
	return sc, nil
}

// parseJSON decodes one JSON value with numbers kept as json.Number.
func parseJSON(data []byte) (any, *Problem) {
	// Unmarshal reports syntax errors at exact offsets; the decoder, which
	// keeps numbers as written, then cannot fail on syntax.
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, jsonProblem(data, err, int64(len(data)))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonProblem(data, err, dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := lineCol(data, dec.InputOffset())
		return nil, &Problem{Message: fmt.Sprintf("line %d, column %d: unexpected data after the scenario object", line, col)}
	}
	return v, nil
}

func jsonProblem(data []byte, err error, off int64) *Problem {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset > 0 {
		off = se.Offset - 1 // the offset is just past the bad byte
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		off = int64(len(data))
		err = errors.New("unexpected end of JSON input")
	}
	line, col := lineCol(data, off)
	return &Problem{Message: fmt.Sprintf("line %d, column %d: malformed JSON: %v", line, col, err)}
}

// lineCol returns the 1-based line and column of byte offset off.
func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// walker turns a decoded JSON tree into typed values, collecting problems.
type walker struct{ probs Problems }

func (w *walker) add(path, format string, args ...any) {
	w.probs = append(w.probs, Problem{path, fmt.Sprintf(format, args...)})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// object returns v as an object and reports fields not in known.
func (w *walker) object(path string, v any, known ...string) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		w.add(path, "want an object, got %s", jsonType(v))
		return nil
	}
	for _, k := range sortedKeys(m) {
		found := false
		for _, kk := range known {
			if k == kk {
				found = true
				break
			}
		}
		if !found {
			w.add(join(path, k), "unknown field %q", short(k))
		}
	}
	return m
}

func (w *walker) array(path string, v any) []any {
	a, ok := v.([]any)
	if !ok {
		w.add(path, "want an array, got %s", jsonType(v))
	}
	return a
}

func (w *walker) str(path string, v any) string {
	s, ok := v.(string)
	if !ok {
		w.add(path, "want a string, got %s", jsonType(v))
	}
	return s
}

// num returns a finite, non-negative number.
func (w *walker) num(path string, v any) float64 {
	n, ok := v.(json.Number)
	if !ok {
		w.add(path, "want a number, got %s", jsonType(v))
		return 0
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		w.add(path, "%s is not a finite number", n)
		return 0
	}
	if f < 0 {
		w.add(path, "%s is negative", n)
		return 0
	}
	return f
}

// nonZero is num for a field that must be positive: a zero (and nothing
// else wrong with it) is reported with format and args.
func (w *walker) nonZero(path string, v any, format string, args ...any) float64 {
	n := len(w.probs)
	f := w.num(path, v)
	if f == 0 && len(w.probs) == n {
		w.add(path, format, args...)
	}
	return f
}

// nonZeroInt is nonZero for a whole number.
func (w *walker) nonZeroInt(path string, v any, format string, args ...any) int {
	n := len(w.probs)
	i := w.integer(path, v)
	if i == 0 && len(w.probs) == n {
		w.add(path, format, args...)
	}
	return i
}

func (w *walker) boolean(path string, v any) bool {
	b, ok := v.(bool)
	if !ok {
		w.add(path, "want true or false, got %s", jsonType(v))
	}
	return b
}

func (w *walker) integer(path string, v any) int {
	f := w.num(path, v)
	if f != math.Trunc(f) || f > math.MaxInt32 {
		w.add(path, "want a whole number, got %v", f)
		return 0
	}
	return int(f)
}

// numbers returns an object of numbers, keyed by good id.
func (w *walker) numbers(path string, v any) map[string]float64 {
	m, ok := v.(map[string]any)
	if !ok {
		w.add(path, "want an object of numbers, got %s", jsonType(v))
		return nil
	}
	out := make(map[string]float64, len(m))
	for _, k := range sortedKeys(m) {
		out[k] = w.num(join(path, k), m[k])
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func (w *walker) scenario(v any) *Scenario {
	sc := &Scenario{}
	m := w.object("", v, "name", "numeraire", "goods", "councils", "federations", "facilitation")
	if m == nil {
		return sc
	}
	if x, ok := m["name"]; ok {
		sc.Name = w.str("name", x)
	}
	if x, ok := m["numeraire"]; ok {
		sc.Numeraire = w.str("numeraire", x)
	}
	if x, ok := m["goods"]; ok {
		for i, g := range w.array("goods", x) {
			sc.Goods = append(sc.Goods, w.good(index("goods", i), g))
		}
	} else {
		w.add("goods", "missing: a scenario lists its goods")
	}
	if x, ok := m["councils"]; ok {
		for i, c := range w.array("councils", x) {
			sc.Councils = append(sc.Councils, w.council(index("councils", i), c))
		}
	} else {
		w.add("councils", "missing: a scenario lists its councils")
	}
	if x, ok := m["federations"]; ok {
		for i, f := range w.array("federations", x) {
			sc.Federations = append(sc.Federations, w.federation(index("federations", i), f))
		}
	}
	if x, ok := m["facilitation"]; ok {
		sc.Facilitation = w.facilitation("facilitation", x)
	}
	return sc
}

func (w *walker) good(path string, v any) GoodSpec {
	g := GoodSpec{Price: 1}
	m := w.object(path, v, "id", "name", "unit", "kind", "price", "endowment", "rival", "stock", "appears")
	if m == nil {
		return g
	}
	for _, k := range sortedKeys(m) {
		p, x := join(path, k), m[k]
		switch k {
		case "id":
			g.ID = w.str(p, x)
		case "name":
			g.Name = w.str(p, x)
		case "unit":
			g.Unit = w.str(p, x)
		case "kind":
			g.Kind = w.str(p, x)
		case "price":
			g.Price = w.nonZero(p, x, "a price must be positive")
			if g.Price == 0 {
				g.Price = 1 // reported; Validate checks the rest
			}
		case "endowment":
			g.Endowment = w.num(p, x)
		case "rival":
			b := w.boolean(p, x)
			g.Rival = &b
		case "stock":
			g.Stock = w.num(p, x)
		case "appears":
			g.Appears = w.integer(p, x)
		}
	}
	return g
}

func (w *walker) council(path string, v any) CouncilSpec {
	c := CouncilSpec{}
	m := w.object(path, v, "id", "type", "output", "scale", "inputs", "emissions",
		"members", "effort", "hours", "labor", "weights", "elasticity",
		"substitution", "subsistence", "adjust", "round_to", "commons", "commons_share", "commons_weights")
	if m == nil {
		return c
	}
	for _, k := range sortedKeys(m) {
		p, x := join(path, k), m[k]
		switch k {
		case "id":
			c.ID = w.str(p, x)
		case "type":
			c.Type = w.str(p, x)
		case "output":
			c.Output = w.str(p, x)
		case "scale":
			c.Scale = w.num(p, x)
		case "inputs":
			c.Inputs = w.numbers(p, x)
		case "emissions":
			c.Emissions = w.numbers(p, x)
		case "members":
			c.Members = w.num(p, x)
		case "effort":
			c.Effort = w.num(p, x)
		case "hours":
			c.Hours = w.num(p, x)
		case "labor":
			c.Labor = w.str(p, x)
		case "weights":
			c.Weights = w.numbers(p, x)
		case "elasticity":
			c.Elasticity = w.num(p, x)
		case "substitution":
			c.Substitution = w.nonZero(p, x, "the substitution elasticity must be positive")
		case "subsistence":
			c.Subsistence = w.numbers(p, x)
		case "commons":
			c.Commons = w.numbers(p, x)
		case "commons_share":
			f := w.num(p, x)
			c.CommonsShare = &f
		case "commons_weights":
			c.CommonsWeights = w.numbers(p, x)
		case "adjust":
			c.Adjust = w.nonZero(p, x, "adjust must be in (0, 1]: the fraction of the way a council moves each round")
		case "round_to":
			c.RoundTo = w.nonZeroInt(p, x, "round_to must be a whole number of significant figures from 1 to %d", MaxRoundTo)
		}
	}
	if c.Type == "consumer" {
		for k, f := range map[string]*float64{"effort": &c.Effort, "hours": &c.Hours, "elasticity": &c.Elasticity} {
			if _, ok := m[k]; !ok {
				*f = 1
			}
		}
	}
	return c
}

func (w *walker) facilitation(path string, v any) *Facilitation {
	f := &Facilitation{}
	m := w.object(path, v, "tolerance", "max_rounds", "rule", "step", "commons_share", "privacy")
	for _, k := range sortedKeys(m) {
		p, x := join(path, k), m[k]
		switch k {
		case "tolerance":
			f.Tolerance = w.num(p, x)
			if f.Tolerance == 0 {
				w.add(p, "the tolerance must be between 0 and 1 (0.01 is 1%%), not 0")
			}
		case "max_rounds":
			f.MaxRounds = w.integer(p, x)
			if f.MaxRounds == 0 {
				w.add(p, "max_rounds must be at least 1")
			}
		case "rule":
			f.Rule = w.str(p, x)
		case "step":
			f.Step = w.num(p, x)
			if f.Step == 0 {
				w.add(p, "the step must be positive")
			}
		case "commons_share":
			f.CommonsShare = w.num(p, x)
		case "privacy":
			f.Privacy = w.privacy(p, x)
		}
	}
	return f
}

// privacy reads facilitation.privacy; Validate checks its values.
func (w *walker) privacy(path string, v any) *Privacy {
	pr := &Privacy{}
	m := w.object(path, v, "k", "facilitator")
	for _, k := range sortedKeys(m) {
		p, x := join(path, k), m[k]
		switch k {
		case "k":
			pr.K = w.integer(p, x)
			if pr.K == 0 {
				w.add(p, "k must be a whole number from 1 to %d", MaxPrivacyK)
			}
		case "facilitator":
			pr.Facilitator = w.str(p, x)
			if pr.Facilitator == "" {
				w.add(p, "want %q or %q", FacilitatorAll, FacilitatorAggregates)
			}
		}
	}
	return pr
}
