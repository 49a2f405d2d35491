package kernel

import (
	"context"
	"errors"
	"sync"

	"github.com/morphml/morphml/kernel/display"
	"github.com/morphml/morphml/kernel/wire"
)

// cell is the Output of one execute_request: everything it sends has that
// request as parent.
type cell struct {
	k          *Kernel
	parent     wire.Message
	cancel     context.CancelFunc
	allowStdin bool
	inputMu    sync.Mutex
}

var _ Output = (*cell)(nil)

func (c *cell) Stream(name, text string) {
	if text == "" {
		return
	}
	if name != "stderr" {
		name = "stdout"
	}
	c.k.publish(c.parent, "stream", map[string]string{"name": name, "text": text})
}

func (c *cell) Display(b display.Bundle, id string, update bool) {
	content := map[string]any{"data": b.Data, "metadata": orEmptyMap(b.Metadata), "transient": map[string]any{}}
	if id != "" {
		content["transient"] = map[string]any{"display_id": id}
	}
	typ := "display_data"
	if update && id != "" {
		typ = "update_display_data"
	}
	c.k.publish(c.parent, typ, content)
}

func (c *cell) ClearOutput(wait bool) {
	c.k.publish(c.parent, "clear_output", map[string]bool{"wait": wait})
}

// ErrNoStdin is returned by Input when the front end does not accept input.
var ErrNoStdin = errors.New("kernel: this front end does not support input")

func (c *cell) Input(ctx context.Context, prompt string, password bool) (string, error) {
	if !c.allowStdin {
		return "", ErrNoStdin
	}
	c.inputMu.Lock()
	defer c.inputMu.Unlock()
	// drop a stale reply
	select {
	case <-c.k.stdinReplies:
	default:
	}
	req, err := wire.Reply(c.parent, "input_request", c.k.session, map[string]any{"prompt": prompt, "password": password})
	if err != nil {
		return "", err
	}
	if err := c.k.socks.Stdin.Send(req); err != nil {
		return "", err
	}
	select {
	case m := <-c.k.stdinReplies:
		var rep struct {
			Value string `json:"value"`
		}
		if err := m.DecodeContent(&rep); err != nil {
			return "", err
		}
		return rep.Value, nil
	case <-ctx.Done():
		return "", ctx.Err()
	case <-c.k.done:
		return "", errors.New("kernel: shutting down")
	}
}
