package normalize

import "strings"

// Status is a person's state on the residence register, or the state of a
// tax or insurance record.
type Status uint8

// Register and record states.
const (
	StatusUnknown      Status = iota
	StatusAlive               // còn sống
	StatusDead                // đã chết
	StatusMissing             // mất tích
	StatusDeregistered        // đã xóa
	StatusActive              // a tax or insurance record in force
	StatusInactive            // closed, suspended or ended
)

var statusNames = [...]string{"", "còn sống", "đã chết", "mất tích", "đã xóa", "hoạt động", "ngừng hoạt động"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "?"
}

// statusWords maps folded spellings to a status.
var statusWords = map[string]Status{
	"alive": StatusAlive, "con song": StatusAlive, "song": StatusAlive, "living": StatusAlive,
	"dead": StatusDead, "da chet": StatusDead, "chet": StatusDead, "deceased": StatusDead, "da mat": StatusDead,
	"missing": StatusMissing, "mat tich": StatusMissing,
	"deregistered": StatusDeregistered, "da xoa": StatusDeregistered, "xoa": StatusDeregistered,
	"active": StatusActive, "hoat dong": StatusActive, "dang hoat dong": StatusActive,
	"dang tham gia": StatusActive, "con hieu luc": StatusActive,
	"closed": StatusInactive, "suspended": StatusInactive, "ended": StatusInactive,
	"inactive": StatusInactive, "dong": StatusInactive, "da dong": StatusInactive,
	"ngung hoat dong": StatusInactive, "tam dung": StatusInactive, "dung": StatusInactive,
	"da dung": StatusInactive, "het hieu luc": StatusInactive,
}

// ParseStatus reads a register or record status in English or Vietnamese,
// with or without accents. ok is false for a non-empty unknown value.
func ParseStatus(s string) (st Status, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return StatusUnknown, true
	}
	var buf [32]byte
	f := AppendFold(buf[:0], s)
	st, ok = statusWords[string(collapseSpaces(f))]
	return st, ok
}

// collapseSpaces turns runs of ASCII spaces into one, trimming both ends,
// in place.
func collapseSpaces(b []byte) []byte {
	out := b[:0]
	space := true
	for _, c := range b {
		if c == ' ' || c == '\t' || c == '_' {
			if !space {
				out = append(out, ' ')
			}
			space = true
			continue
		}
		out = append(out, c)
		space = false
	}
	if n := len(out); n > 0 && out[n-1] == ' ' {
		out = out[:n-1]
	}
	return out
}
