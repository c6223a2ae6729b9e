//go:build !linux

package councils

// populate reports false: only Linux maps memory ahead on request.
func populate[T any](b []T) bool { return false }
