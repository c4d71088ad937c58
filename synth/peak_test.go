package synth

import "testing"

// TestPeakIDShare keeps the constants behind MaxPeople and the number of
// CMND prefixes true to the model: the largest share of people whose IDs
// share one prefix (province, century and gender, birth year), and the
// share of people with an old CMND.
func TestPeakIDShare(t *testing.T) {
	opts := DefaultOptions()
	opts.People = 200000
	m := newModel(opts, testGeography())
	m.build()
	m.injectDefects()
	n := map[uint64]int{}
	for id := range m.ids {
		n[id/serialSpace]++
	}
	peak := 0
	for _, v := range n {
		peak = max(peak, v)
	}
	if share := float64(peak) / float64(opts.People); share > peakIDShare {
		t.Errorf("%d IDs (a share %.4f of the people) share one prefix, peakIDShare is %.4f", peak, share, peakIDShare)
	}
	if float64(peakIDShare*MaxPeople) > maxSerialFill*serialSpace {
		t.Errorf("MaxPeople %d would fill more than %.0f%% of one prefix's serials", MaxPeople, 100*maxSerialFill)
	}
	old := 0
	for _, p := range m.people {
		if p.oldID != "" {
			old++
		}
	}
	if share := float64(old) / float64(len(m.people)); share > oldIDShare {
		t.Errorf("a share %.3f of the people has a CMND, oldIDShare is %.2f", share, oldIDShare)
	}
}
