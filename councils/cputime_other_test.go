//go:build !unix

package councils

import "time"

// cpuTime returns 0 where the process's CPU time is not read: the
// benchmarks' cpu-ms/round is then 0.
func cpuTime() time.Duration { return 0 }
