package mcgw

import (
	"context"
	"errors"
	"fmt"
	"io"
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

// ErrStreamEnded is returned when a watch stream ended without a terminal event more times in
// a row than WatchUntilDone resumes.
var ErrStreamEnded = errors.New("mcgw: watch stream ended before the terminal event")

// maxResumes bounds reconnects that deliver nothing new, so a gateway that keeps failing does
// not make WatchUntilDone spin until the context ends.
const maxResumes = 5

// WatchUntilDone follows an instance until it terminates, calling fn for every event (the
// first of each stream is a full snapshot; the last is TERMINAL), and returns the final
// instance. When the gateway ends the stream with UNAVAILABLE (shutdown, maximum stream age)
// it reconnects with backoff; the new stream starts with a snapshot, so nothing is missed, and
// fn may see the same state twice. It stops at the first error from fn (returned as is), when
// ctx ends, or on any other gRPC error (NOT_FOUND for a missing instance, ...).
func (c *Client) WatchUntilDone(ctx context.Context, project, id string, fn func(*Event) error, opts ...WatchOption) (*Instance, error) {
	req := &gatewayv1.WatchInstanceRequest{Project: project, InstanceId: id}
	for _, opt := range opts {
		opt(req)
	}
	backoff := 100 * time.Millisecond
	failures := 0
	for {
		final, progressed, err := c.watchOnce(ctx, req, fn)
		if err == nil {
			return final, nil
		}
		var cb *callbackError
		if errors.As(err, &cb) {
			return nil, cb.err
		}
		if progressed {
			failures = 0
			backoff = 100 * time.Millisecond
		}
		if !resumable(err) || failures >= maxResumes {
			return nil, err
		}
		failures++
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
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
	if errors.Is(err, ErrStreamEnded) {
		return true
	}
	return status.Code(err) == codes.Unavailable
}
