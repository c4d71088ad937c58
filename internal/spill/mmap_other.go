//go:build !linux

package spill

import "os"

func mapFile(*os.File, int64) ([]byte, error) { return nil, ErrNoMapping }

func unmap([]byte) error { return nil }
