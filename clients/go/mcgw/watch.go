package mcgw

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

// Event is one message of a WatchInstance stream: a snapshot, a state, task state or progress
// change, a heartbeat, or the terminal state.
type Event = gatewayv1.WatchInstanceResponse

// WatchOption configures WatchUntilDone.
type WatchOption func(*gatewayv1.WatchInstanceRequest)

// OmitProgress asks for state and task state changes only, without stage progress.
func OmitProgress() WatchOption {
	return func(r *gatewayv1.WatchInstanceRequest) { r.OmitProgress = true }
}

// WithHeartbeat asks the gateway for a HEARTBEAT event after every interval without another
// event (1s to 10min), for proxies that cut idle streams.
func WithHeartbeat(interval time.Duration) WatchOption {
	return func(r *gatewayv1.WatchInstanceRequest) { r.HeartbeatInterval = durationpb.New(interval) }
}

// ErrStreamEnded marks a watch stream that ended without the terminal event, which
// WatchUntilDone treats like UNAVAILABLE: it reconnects.
var ErrStreamEnded = errors.New("mcgw: watch stream ended before the terminal event")

// Backoff of reconnects (clients/README.md): a random wait in [0, b), b starting at
// initialBackoff and doubling up to maxBackoff, back to initialBackoff after a stream that
// delivered an event.
// Variables, not constants, so the tests can shorten them.
var (
	initialBackoff = 100 * time.Millisecond
	maxBackoff     = 5 * time.Second
)

// pauseHook, when set (by tests), is called with the error before every reconnect pause.
var pauseHook func(error)

// reconnector paces the reconnects of one watch or wait.
type reconnector struct {
	backoff time.Duration
	last    error
}

// pause waits before the next attempt after err, or returns the error that ends the helper when
// ctx ends first.
func (r *reconnector) pause(ctx context.Context, err error) error {
	r.last = err
	if r.backoff == 0 {
		r.backoff = initialBackoff
	}
	if pauseHook != nil {
		pauseHook(err)
	}
	delay := time.Duration(rand.Int64N(int64(r.backoff)))
	r.backoff = min(2*r.backoff, maxBackoff)
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return &GaveUpError{Context: ctx.Err(), Last: err}
	case <-timer.C:
		return nil
	}
}

// reset starts the backoff over, after an attempt that made progress.
func (r *reconnector) reset() { r.backoff = 0 }

// retry decides what follows a stream attempt that ended with err (non-nil): the callback's
// own error, or a non-resumable one, is returned as is; otherwise it pauses (starting the
// backoff afresh when the attempt delivered events) and returns nil to reconnect, or the
// error that ended the pause.
func (r *reconnector) retry(ctx context.Context, err error, progressed bool) error {
	var cb *callbackError
	if errors.As(err, &cb) {
		return cb.err
	}
	if !resumable(err) {
		return err
	}
	if progressed {
		r.reset()
	}
	return r.pause(ctx, err)
}

// GaveUpError ends a WatchUntilDone or WaitUntilDone whose context ended while it was
// reconnecting after UNAVAILABLE. Its gRPC code is DEADLINE_EXCEEDED or CANCELLED (from the
// context); errors.Is finds the context's error, and Last is the error of the last attempt.
type GaveUpError struct {
	Context error // context.DeadlineExceeded or context.Canceled
	Last    error // the UNAVAILABLE error (or ErrStreamEnded) of the last attempt
}

func (e *GaveUpError) Error() string {
	return fmt.Sprintf("mcgw: gave up reconnecting: %v; last error: %v", e.Context, e.Last)
}

// Unwrap gives the context's error and the last attempt's.
func (e *GaveUpError) Unwrap() []error { return []error{e.Context, e.Last} }

// GRPCStatus makes status.Code(err) the context's code, DEADLINE_EXCEEDED or CANCELLED.
func (e *GaveUpError) GRPCStatus() *status.Status {
	return status.New(status.FromContextError(e.Context).Code(), e.Error())
}

// WatchUntilDone follows an instance until it terminates, calling fn for every event (the
// first of each stream is a full snapshot; the last is TERMINAL), and returns the final
// instance. When a stream fails with UNAVAILABLE (a gateway restart, its maximum stream age, an
// unreachable gateway) or ends without TERMINAL, it reconnects after a jittered backoff (0.1 s
// doubling to 5 s); the new stream starts with a snapshot, so nothing is missed, and fn may see
// the same state twice. Reconnecting is bounded only by ctx: when ctx ends, the error is a
// *GaveUpError (code DEADLINE_EXCEEDED or CANCELLED). The first error from fn is returned as
// is; any other gRPC error (NOT_FOUND for a missing instance, ...) ends the watch.
func (c *Client) WatchUntilDone(ctx context.Context, project, id string, fn func(*Event) error, opts ...WatchOption) (*Instance, error) {
	req := &gatewayv1.WatchInstanceRequest{Project: project, InstanceId: id}
	for _, opt := range opts {
		opt(req)
	}
	var r reconnector
	for {
		final, progressed, err := c.watchOnce(ctx, req, fn)
		if err == nil {
			return final, nil
		}
		if err := r.retry(ctx, err, progressed); err != nil {
			return nil, err
		}
	}
}

// watchOnce runs one stream. It returns the final instance on TERMINAL, or the error that
// ended the stream and whether any event arrived before it.
func (c *Client) watchOnce(ctx context.Context, req *gatewayv1.WatchInstanceRequest, fn func(*Event) error) (*Instance, bool, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.Service.WatchInstance(ctx, req)
	if err != nil {
		return nil, false, err
	}
	got := false
	for {
		ev, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil, got, ErrStreamEnded
		}
		if err != nil {
			return nil, got, err
		}
		got = true
		if err := fn(ev); err != nil {
			return nil, got, &callbackError{err}
		}
		if ev.GetEventType() == gatewayv1.WatchInstanceResponse_TERMINAL {
			return ev.GetInstance(), got, nil
		}
	}
}

// callbackError marks an error returned by the caller's function, which is never retried.
type callbackError struct{ err error }

func (e *callbackError) Error() string { return fmt.Sprintf("mcgw: watch callback: %v", e.err) }
func (e *callbackError) Unwrap() error { return e.err }

func resumable(err error) bool {
	if errors.Is(err, ErrStreamEnded) || errors.Is(err, ErrResultStreamBroken) {
		return true
	}
	return status.Code(err) == codes.Unavailable
}
