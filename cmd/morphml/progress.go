package main

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// progress is a progress bar on a terminal; a nil *progress does nothing.
type progress struct{ bar *progressbar.ProgressBar }

func newProgress(w io.Writer, total int, desc string) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = isatty.IsTerminal(f.Fd())
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100e6),
	}
	if !tty {
		// Logs and CI: no carriage-return animation.
		opts = append(opts, progressbar.OptionSetVisibility(false))
	}
	return &progress{bar: progressbar.NewOptions(max(total, 1), opts...)}
}

// Set moves the bar to done of total.
func (p *progress) Set(done, total int) {
	if p == nil {
		return
	}
	if int64(total) != p.bar.GetMax64() && total > 0 {
		p.bar.ChangeMax(total)
	}
	_ = p.bar.Set(done)
}

// Describe changes the text before the bar.
func (p *progress) Describe(s string) {
	if p != nil {
		p.bar.Describe(s)
	}
}

// Finish clears the bar.
func (p *progress) Finish() {
	if p != nil {
		_ = p.bar.Finish()
	}
}
