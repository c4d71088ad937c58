//go:build !linux

package output

// exchange is not available: Commit moves the previous result aside
// instead, and the next run restores it if the swap was interrupted.
func exchange(a, b string) error { return errNoExchange }
