package learning

// arena hands out slices carved one after another from large blocks, so
// that what the rule carves in council order lies in council order in
// memory: its passes over every council then read memory in the order it
// lies, which the hardware fetches ahead, instead of one block per council
// scattered over the heap. A slice carved from an arena is zeroed and is
// never handed out again; one that is outgrown is simply left behind.
type arena[T any] struct {
	buf   []T
	block int
}

// take returns a zeroed slice of n elements (capacity n).
func (a *arena[T]) take(n int) []T {
	if a == nil {
		return make([]T, n)
	}
	if n > cap(a.buf)-len(a.buf) {
		a.buf = make([]T, 0, max(n, a.block))
	}
	k := len(a.buf)
	a.buf = a.buf[:k+n]
	return a.buf[k : k+n : k+n]
}

// fitMemory holds the arenas the fits are carved from.
type fitMemory struct {
	workers   arena[workerFit]
	consumers arena[consumerFit]
	floats    arena[float64]
	ints      arena[int]
}

// newFitMemory returns empty arenas: a block holds 1024 fits, 65,536
// numbers or 16,384 goods.
func newFitMemory() *fitMemory {
	return &fitMemory{
		workers:   arena[workerFit]{block: 1 << 10},
		consumers: arena[consumerFit]{block: 1 << 10},
		floats:    arena[float64]{block: 1 << 16},
		ints:      arena[int]{block: 1 << 14},
	}
}

// floatSlice returns s zeroed at length n if its capacity allows, or a zeroed
// slice carved from mem.
func (mem *fitMemory) floatSlice(s []float64, n int) []float64 {
	if cap(s) >= n {
		return resize(s, n)
	}
	if mem == nil {
		return make([]float64, n)
	}
	return mem.floats.take(n)
}

// intSlice returns s at length n if its capacity allows (not zeroed, as
// resizeInt), or a slice carved from mem.
func (mem *fitMemory) intSlice(s []int, n int) []int {
	if cap(s) >= n {
		return s[:n]
	}
	if mem == nil {
		return make([]int, n)
	}
	return mem.ints.take(n)
}
