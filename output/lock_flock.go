//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package output

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an exclusive advisory lock (flock) on the file at path,
// creating it, without waiting. It returns errLockHeld when another
// process holds the lock. The kernel releases the lock when the process
// ends, however it ends, so a killed run never leaves a lock behind: only
// the file, which the next run takes over.
func tryLock(path string) (*os.File, error) {
	// unlock removes the file while holding the lock; a process that opened
	// it just before then holds a lock on a file no longer at path, so it
	// checks after locking and tries again.
	for range 10 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, errLockHeld
			}
			return nil, err
		}
		fi, ferr := f.Stat()
		pi, perr := os.Stat(path)
		if ferr == nil && perr == nil && os.SameFile(fi, pi) {
			return f, nil
		}
		f.Close()
	}
	return nil, errLockHeld
}

// unlock removes the lock file and releases the lock.
func unlock(f *os.File, path string) error {
	err := os.Remove(path)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
