package kernel

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/morphml/morphml/kernel/display"
	"github.com/morphml/morphml/kernel/wire"
)

// handleShell answers one shell request between status busy and idle.
func (k *Kernel) handleShell(m wire.Message) {
	k.publish(m, "status", map[string]string{"execution_state": "busy"})
	defer k.publish(m, "status", map[string]string{"execution_state": "idle"})
	sh := k.socks.Shell
	switch m.Header.MsgType {
	case "kernel_info_request":
		k.reply(sh, m, "kernel_info_reply", k.kernelInfo())
	case "execute_request":
		k.execute(m)
	case "complete_request":
		k.complete(m)
	case "inspect_request":
		k.inspect(m)
	case "is_complete_request":
		k.isComplete(m)
	case "history_request":
		k.historyReply(m)
	case "comm_info_request":
		k.reply(sh, m, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
	case "comm_open":
		// No comm targets are registered: close the comm, as the protocol asks.
		var c struct {
			CommID string `json:"comm_id"`
		}
		_ = m.DecodeContent(&c)
		k.publish(m, "comm_close", map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
	case "comm_msg", "comm_close":
		// accepted and ignored: no comm is ever open
	case "shutdown_request":
		k.shutdown(sh, m)
	case "interrupt_request":
		k.interruptRunning()
		k.reply(sh, m, "interrupt_reply", map[string]string{"status": "ok"})
	default:
		fmt.Fprintf(k.cfg.Log, "kernel: unknown shell message %q\n", m.Header.MsgType)
	}
}

func (k *Kernel) kernelInfo() map[string]any {
	links := k.cfg.HelpLinks
	if links == nil {
		links = []HelpLink{}
	}
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       wire.Version,
		"implementation":         k.cfg.Implementation,
		"implementation_version": k.cfg.Version,
		"language_info":          k.cfg.Language,
		"banner":                 k.cfg.Banner,
		"help_links":             links,
		"debugger":               false,
	}
}

type executeRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      bool              `json:"allow_stdin"`
	StopOnError     bool              `json:"stop_on_error"`
}

type result struct {
	b   *display.Bundle
	err error
}

func (k *Kernel) execute(m wire.Message) {
	var req executeRequest
	if err := m.DecodeContent(&req); err != nil {
		k.reply(k.socks.Shell, m, "execute_reply", errorContent(&CellError{Name: "BadRequest", Value: err.Error()}, k.execCount))
		return
	}
	store := !req.Silent && (req.StoreHistory == nil || *req.StoreHistory)
	if store {
		k.execCount++
	}
	count := k.execCount
	if !req.Silent {
		k.publish(m, "execute_input", map[string]any{"code": req.Code, "execution_count": count})
	}
	if name, ok := helpRequest(req.Code); ok {
		k.page(m, name, count)
		return
	}
	r := k.run(m, req, count)
	if store {
		k.record(count, req.Code, r)
	}
	if r.err != nil {
		ce := asCellError(r.err)
		k.publish(m, "error", map[string]any{"ename": ce.Name, "evalue": ce.Value, "traceback": ce.Traceback})
		k.reply(k.socks.Shell, m, "execute_reply", errorContent(ce, count))
		return
	}
	if r.b != nil && !req.Silent {
		k.publish(m, "execute_result", map[string]any{"execution_count": count, "data": r.b.Data, "metadata": orEmptyMap(r.b.Metadata)})
	}
	k.reply(k.socks.Shell, m, "execute_reply", map[string]any{
		"status": "ok", "execution_count": count, "user_expressions": map[string]any{}, "payload": []any{},
	})
}

// run executes a cell and waits for it, or, once it is interrupted, for at
// most InterruptGrace.
func (k *Kernel) run(m wire.Message, req executeRequest, count int) result {
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), countKey{}, count))
	c := &cell{k: k, parent: m, cancel: cancel, allowStdin: req.AllowStdin}
	k.mu.Lock()
	k.running = c
	k.mu.Unlock()
	select { // the executor is still setting up
	case <-k.ready:
	case <-ctx.Done():
		k.mu.Lock()
		k.running = nil
		k.mu.Unlock()
		return result{err: &CellError{Name: "Interrupted", Value: "interrupted while the kernel was starting"}}
	}
	if k.stdio != nil {
		k.stdio.attach(c)
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: &CellError{Name: "panic", Value: fmt.Sprint(p),
					Traceback: []string{fmt.Sprintf("panic: %v", p), string(debug.Stack())}}}
			}
		}()
		b, err := k.cfg.Executor.Execute(ctx, req.Code, c)
		done <- result{b, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		select {
		case r = <-done:
		case <-time.After(k.cfg.InterruptGrace):
			r.err = &CellError{Name: "Interrupted", Value: "the cell did not stop in time and goes on in the background",
				Traceback: []string{"Interrupted: the cell did not stop within " + k.cfg.InterruptGrace.String() +
					"; it goes on in the background and the next cell waits for it"}}
		}
	}
	if k.stdio != nil {
		k.stdio.flush()
	}
	k.mu.Lock()
	k.running = nil
	k.mu.Unlock()
	cancel()
	return r
}

func asCellError(err error) *CellError {
	if ce, ok := err.(*CellError); ok {
		if ce.Traceback == nil {
			ce.Traceback = []string{ce.Error()}
		}
		return ce
	}
	return &CellError{Name: "Error", Value: err.Error(), Traceback: []string{err.Error()}}
}

func errorContent(ce *CellError, count int) map[string]any {
	tb := ce.Traceback
	if tb == nil {
		tb = []string{ce.Error()}
	}
	return map[string]any{"status": "error", "execution_count": count, "ename": ce.Name, "evalue": ce.Value, "traceback": tb}
}

func orEmptyMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func (k *Kernel) complete(m wire.Message) {
	var req struct {
		Code      string `json:"code"`
		CursorPos int    `json:"cursor_pos"`
	}
	_ = m.DecodeContent(&req)
	c := k.cfg.Executor.Complete(req.Code, req.CursorPos)
	if c.Matches == nil {
		c.Matches = []string{}
		c.Start, c.End = req.CursorPos, req.CursorPos
	}
	k.reply(k.socks.Shell, m, "complete_reply", map[string]any{
		"status": "ok", "matches": c.Matches, "cursor_start": c.Start, "cursor_end": c.End, "metadata": map[string]any{},
	})
}

func (k *Kernel) inspect(m wire.Message) {
	var req struct {
		Code        string `json:"code"`
		CursorPos   int    `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	_ = m.DecodeContent(&req)
	b, found := k.cfg.Executor.Inspect(req.Code, req.CursorPos, req.DetailLevel)
	data := b.Data
	if !found || data == nil {
		data = map[string]any{}
	}
	k.reply(k.socks.Shell, m, "inspect_reply", map[string]any{
		"status": "ok", "found": found, "data": data, "metadata": orEmptyMap(b.Metadata),
	})
}

func (k *Kernel) isComplete(m wire.Message) {
	var req struct {
		Code string `json:"code"`
	}
	_ = m.DecodeContent(&req)
	status, indent := k.cfg.Executor.IsComplete(req.Code)
	content := map[string]any{"status": status}
	if status == "incomplete" {
		content["indent"] = indent
	}
	k.reply(k.socks.Shell, m, "is_complete_reply", content)
}

// helpRequest recognizes a help cell, "?name" or "name?" (IPython's syntax),
// and returns the name.
func helpRequest(code string) (string, bool) {
	c := strings.TrimSpace(code)
	if strings.ContainsAny(c, "\n ") || len(c) < 2 {
		return "", false
	}
	switch {
	case c[0] == '?':
		return c[1:], true
	case c[len(c)-1] == '?':
		return c[:len(c)-1], true
	}
	return "", false
}

// page answers a help cell with the inspection of the name as a "page"
// payload, which front ends show in their pager.
func (k *Kernel) page(m wire.Message, name string, count int) {
	b, found := k.cfg.Executor.Inspect(name, len([]rune(name)), 1)
	data := b.Data
	if !found || data == nil {
		data = map[string]any{display.MIMEText: "no documentation found for " + name}
	}
	k.reply(k.socks.Shell, m, "execute_reply", map[string]any{
		"status": "ok", "execution_count": count, "user_expressions": map[string]any{},
		"payload": []any{map[string]any{"source": "page", "data": data, "start": 0}},
	})
}
