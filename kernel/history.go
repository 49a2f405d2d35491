package kernel

import (
	"regexp"
	"strings"

	"github.com/morphml/morphml/kernel/display"
	"github.com/morphml/morphml/kernel/wire"
)

// historySession is the session number this kernel reports: the history
// lives in memory, one session per kernel process.
const historySession = 1

type historyEntry struct {
	line   int
	input  string
	output string // text/plain of the result, or the error
}

func (k *Kernel) record(line int, code string, r result) {
	e := historyEntry{line: line, input: code}
	switch {
	case r.err != nil:
		e.output = r.err.Error()
	case r.b != nil:
		if s, ok := r.b.Data[display.MIMEText].(string); ok {
			e.output = s
		}
	}
	k.history = append(k.history, e)
}

type historyRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           int    `json:"stop"`
	N              int    `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

func (k *Kernel) historyReply(m wire.Message) {
	var req historyRequest
	_ = m.DecodeContent(&req)
	var sel []historyEntry
	switch req.HistAccessType {
	case "tail":
		sel = lastN(k.history, req.N)
	case "range":
		if req.Session == 0 || req.Session == historySession || req.Session < 0 {
			for _, e := range k.history {
				if e.line >= req.Start && (req.Stop <= 0 || e.line < req.Stop) {
					sel = append(sel, e)
				}
			}
		}
	case "search":
		re := globRegexp(req.Pattern)
		seen := map[string]bool{}
		// newest first for uniqueness, then back in order
		for i := len(k.history) - 1; i >= 0; i-- {
			e := k.history[i]
			if !re.MatchString(e.input) || (req.Unique && seen[e.input]) {
				continue
			}
			seen[e.input] = true
			sel = append([]historyEntry{e}, sel...)
		}
		sel = lastN(sel, req.N)
	}
	out := make([]any, 0, len(sel))
	for _, e := range sel {
		if req.Output {
			out = append(out, []any{historySession, e.line, []string{e.input, e.output}})
		} else {
			out = append(out, []any{historySession, e.line, e.input})
		}
	}
	k.reply(k.socks.Shell, m, "history_reply", map[string]any{"status": "ok", "history": out})
}

func lastN(h []historyEntry, n int) []historyEntry {
	if n > 0 && len(h) > n {
		return h[len(h)-n:]
	}
	return h
}

// globRegexp turns a glob (* any text, ? one character) into an anchored
// regexp, as IPython's history search does.
func globRegexp(glob string) *regexp.Regexp {
	if glob == "" {
		glob = "*"
	}
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}
