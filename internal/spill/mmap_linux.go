package spill

import (
	"fmt"
	"os"
	"syscall"
)

// mapFile reserves size bytes of f on disk (fallocate: a full disk fails
// here, not as a fault when a page is first written) and maps them shared
// for reading and writing.
func mapFile(f *os.File, size int64) ([]byte, error) {
	if int64(int(size)) != size {
		return nil, fmt.Errorf("%d bytes do not fit the address space", size)
	}
	fd := int(f.Fd())
	for {
		err := syscall.Fallocate(fd, 0, 0, size)
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.EOPNOTSUPP {
			return nil, ErrNoMapping // the file system cannot reserve blocks
		}
		if err != nil {
			return nil, fmt.Errorf("reserving the file on disk: %w", err)
		}
		break
	}
	data, err := syscall.Mmap(fd, 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mmap: %w", err)
	}
	return data, nil
}

func unmap(b []byte) error { return syscall.Munmap(b) }
