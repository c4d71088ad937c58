package normalize

import (
	"hash/maphash"
	"strings"
	"sync"
)

// addrMemo remembers the results of distinct addresses. It is split into
// shards, each with its own lock, so that parallel workers rarely wait; a
// full shard is emptied and starts again (addresses of one province repeat
// within a batch, so a simple reset keeps the hit rate without the cost of
// an LRU list).
type addrMemo struct {
	seed     maphash.Seed
	perShard int
	shards   [addrMemoShards]addrMemoShard
}

const addrMemoShards = 32

type addrMemoShard struct {
	mu sync.Mutex
	m  map[string]AddressResult
}

func newAddrMemo(size int) *addrMemo {
	m := &addrMemo{seed: maphash.MakeSeed(), perShard: max(1, size/addrMemoShards)}
	for i := range m.shards {
		m.shards[i].m = map[string]AddressResult{}
	}
	return m
}

func (m *addrMemo) shard(s string) *addrMemoShard {
	return &m.shards[maphash.String(m.seed, s)%addrMemoShards]
}

func (m *addrMemo) get(s string) (AddressResult, bool) {
	sh := m.shard(s)
	sh.mu.Lock()
	r, ok := sh.m[s]
	sh.mu.Unlock()
	return r, ok
}

// maxMemoAddress is the longest address the memo keeps (a long address
// of a Hồ Chí Minh City ward is about 120 bytes): with it, a full memo of
// 65,536 distinct texts (AddressOptions.MemoSize) holds at most about
// 50 MB, whatever the input.
const maxMemoAddress = 256

func (m *addrMemo) put(s string, r AddressResult) {
	if len(s) > maxMemoAddress {
		return // rare, and not worth keeping a long text alive
	}
	// The parts are pieces of s, which may be a slice of a whole batch of
	// input: kept as they are, one entry would keep the batch alive.
	pt := &r.Parts
	for _, f := range []*string{&pt.House, &pt.Street, &pt.Village, &pt.Commune, &pt.District, &pt.Province} {
		*f = strings.Clone(*f)
	}
	key := strings.Clone(s)
	sh := m.shard(s)
	sh.mu.Lock()
	if len(sh.m) >= m.perShard {
		clear(sh.m)
	}
	sh.m[key] = r
	sh.mu.Unlock()
}
