package councils

import (
	"syscall"
	"unsafe"
)

// madvPopulateWrite is Linux's MADV_POPULATE_WRITE (5.14 and later).
const madvPopulateWrite = 23

// populate asks the kernel to map the pages of b that start within it for
// writing now, in one call rather than a fault per page (the caller writes
// to b[0] for the page b starts in). It changes no byte of b, and reports
// false if the kernel would not do it.
func populate[T any](b []T) bool {
	if len(b) == 0 {
		return true
	}
	p := unsafe.Pointer(&b[0])
	size := uintptr(len(b)) * unsafe.Sizeof(b[0])
	up := -uintptr(p) & (pageBytes - 1)
	if up >= size {
		return true
	}
	mem := unsafe.Slice((*byte)(unsafe.Add(p, up)), size-up)
	return syscall.Madvise(mem, madvPopulateWrite) == nil
}
