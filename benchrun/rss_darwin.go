//go:build darwin || ios

package benchrun

import (
	"os"
	"syscall"
)

// maxRSS returns the child's peak RSS in bytes; Darwin reports bytes.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok && ru != nil {
		return int64(ru.Maxrss)
	}
	return 0
}
