package learning

import (
	"testing"
	"unsafe"
)

func TestArena(t *testing.T) {
	a := &arena[float64]{block: 8}
	var prev []float64
	for _, tc := range []struct {
		n     int
		fresh bool // starts a new block; otherwise follows the last slice
	}{
		{3, true}, // the first block
		{5, false},
		{2, true},  // the first was full
		{20, true}, // more than a block: a block of its own
		{1, true},  // that one is full
		{1, false},
	} {
		s := a.take(tc.n)
		if len(s) != tc.n || cap(s) != tc.n {
			t.Fatalf("take(%d): len %d cap %d", tc.n, len(s), cap(s))
		}
		for i, v := range s {
			if v != 0 {
				t.Fatalf("take(%d)[%d] = %g, want 0", tc.n, i, v)
			}
		}
		if tc.fresh {
			if len(a.buf) != tc.n || cap(a.buf) != max(tc.n, a.block) {
				t.Errorf("take(%d): block of len %d cap %d, want a new one", tc.n, len(a.buf), cap(a.buf))
			}
		} else if next := unsafe.Add(unsafe.Pointer(&prev[0]), len(prev)*8); unsafe.Pointer(&s[0]) != next {
			t.Errorf("take(%d) does not follow the last slice in its block", tc.n)
		}
		for i := range s {
			s[i] = float64(tc.n) // the next take must not see these
		}
		prev = s
	}
	var none *arena[int]
	if s := none.take(4); len(s) != 4 || s[3] != 0 {
		t.Errorf("nil arena: %v", s)
	}
	mem := newFitMemory()
	old := mem.floatSlice(nil, 4)
	old[0] = 7
	if s := mem.floatSlice(old, 3); &s[0] != &old[0] || s[0] != 0 {
		t.Errorf("floatSlice within capacity: not reused or not zeroed")
	}
}
