//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package output

import (
	"errors"
	"io/fs"
	"os"
)

// tryLock creates the file at path, failing with errLockHeld when it
// exists. Without flock a run killed outright leaves the file behind; the
// error message says to remove it when no run is going on.
func tryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, errLockHeld
	}
	return f, err
}

// unlock closes and removes the lock file.
func unlock(f *os.File, path string) error {
	err := f.Close()
	if rerr := os.Remove(path); err == nil {
		err = rerr
	}
	return err
}
