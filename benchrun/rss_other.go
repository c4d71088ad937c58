//go:build !(linux || freebsd || netbsd || openbsd || dragonfly || darwin || ios)

package benchrun

import "os"

// maxRSS returns 0: this system does not report the child's peak RSS.
func maxRSS(*os.ProcessState) int64 { return 0 }
