//go:build linux || freebsd || netbsd || openbsd || dragonfly

package benchrun

import (
	"os"
	"syscall"
)

// maxRSS returns the child's peak RSS in bytes; these kernels report KiB.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok && ru != nil {
		return int64(ru.Maxrss) * 1024
	}
	return 0
}
