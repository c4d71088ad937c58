//go:build race

package main

// raceEnabled: TestChaosKill is skipped under the race detector.
const raceEnabled = true
