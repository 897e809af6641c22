package mcgw

// Tests of the helpers' reconnecting after UNAVAILABLE (clients/README.md, "The helper set"):
// no limit but the caller's context, a gateway that goes away and comes back, WaitUntilDone
// riding out UNAVAILABLE, and GetTaskResult.

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

// flaky fails its first watchFail WatchInstance and waitFail WaitInstance calls with
// UNAVAILABLE; later watches send a snapshot and the terminal event, the first later wait
// answers "still running" and the next ones "terminated".
type flaky struct {
	gatewayv1.UnimplementedInstanceServiceServer
	watchFail, waitFail   int32
	watchCalls, waitCalls atomic.Int32
}

func (f *flaky) WatchInstance(req *gatewayv1.WatchInstanceRequest, stream grpc.ServerStreamingServer[gatewayv1.WatchInstanceResponse]) error {
	if f.watchCalls.Add(1) <= f.watchFail {
		return status.Error(codes.Unavailable, "not yet")
	}
	running := &gatewayv1.Instance{InstanceId: req.GetInstanceId(), State: gatewayv1.Instance_RUNNING}
	if err := stream.Send(&gatewayv1.WatchInstanceResponse{EventType: gatewayv1.WatchInstanceResponse_SNAPSHOT, Sequence: 1, Instance: running}); err != nil {
		return err
	}
	done := &gatewayv1.Instance{InstanceId: req.GetInstanceId(), State: gatewayv1.Instance_TERMINATED, Successful: proto.Bool(true)}
	return stream.Send(&gatewayv1.WatchInstanceResponse{EventType: gatewayv1.WatchInstanceResponse_TERMINAL, Sequence: 2, Instance: done})
}

func (f *flaky) WaitInstance(_ context.Context, req *gatewayv1.WaitInstanceRequest) (*gatewayv1.WaitInstanceResponse, error) {
	n := f.waitCalls.Add(1)
	switch {
	case n <= f.waitFail:
		return nil, status.Error(codes.Unavailable, "not yet")
	case n == f.waitFail+1:
		return &gatewayv1.WaitInstanceResponse{Instance: &gatewayv1.Instance{InstanceId: req.GetInstanceId(), State: gatewayv1.Instance_RUNNING}}, nil
	}
	return &gatewayv1.WaitInstanceResponse{Instance: &gatewayv1.Instance{
		InstanceId: req.GetInstanceId(), State: gatewayv1.Instance_TERMINATED, Successful: proto.Bool(true),
	}}, nil
}

func (f *flaky) GetTaskResult(_ context.Context, req *gatewayv1.GetTaskResultRequest) (*gatewayv1.TaskResult, error) {
	if req.GetTaskName() != "second" {
		return nil, status.Error(codes.NotFound, "no such task")
	}
	return &gatewayv1.TaskResult{TaskName: "second", Content: "\"n\"\n2\n"}, nil
}

func (f *flaky) ListTaskResults(_ context.Context, req *gatewayv1.ListTaskResultsRequest) (*gatewayv1.ListTaskResultsResponse, error) {
	if req.GetPageSize() != 1 {
		return nil, status.Error(codes.InvalidArgument, "want page_size 1")
	}
	return &gatewayv1.ListTaskResultsResponse{
		TaskResults:   []*gatewayv1.TaskResult{{TaskName: "first", Content: "\"n\"\n1\n"}},
		NextPageToken: "more",
	}, nil
}

// fastBackoff shortens the reconnect backoff for one test.
func fastBackoff(t *testing.T) {
	initial, maximum := initialBackoff, maxBackoff
	initialBackoff, maxBackoff = time.Millisecond, 4*time.Millisecond
	t.Cleanup(func() { initialBackoff, maxBackoff = initial, maximum })
}

func dialFlaky(t *testing.T, f *flaky) *Client {
	t.Helper()
	c, err := Dial(serve(t, f), WithEnvironment(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestWatchReconnectsWithoutACountLimit(t *testing.T) {
	fastBackoff(t)
	f := &flaky{watchFail: 12}
	c := dialFlaky(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	final, err := c.WatchUntilDone(ctx, "", "i1", func(*Event) error { return nil })
	if err != nil || !final.GetSuccessful() {
		t.Fatalf("WatchUntilDone = %v, %v; want success after 12 UNAVAILABLE streams", final, err)
	}
	if got := f.watchCalls.Load(); got != 13 {
		t.Errorf("%d streams, want 13", got)
	}
}

func TestWatchGivesUpWhenTheContextEnds(t *testing.T) {
	fastBackoff(t)
	f := &flaky{watchFail: 1 << 30}
	c := dialFlaky(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := c.WatchUntilDone(ctx, "", "i1", func(*Event) error { return nil })
	// The deadline passes during a backoff (a *GaveUpError) or during a call (the call's own
	// DEADLINE_EXCEEDED): the code is the same.
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("WatchUntilDone error = %v (code %v), want DEADLINE_EXCEEDED", err, status.Code(err))
	}
	var gaveUp *GaveUpError
	if errors.As(err, &gaveUp) && (status.Code(gaveUp.Last) != codes.Unavailable || !errors.Is(err, context.DeadlineExceeded)) {
		t.Errorf("gave up with %v (last error %v), want the context's error and UNAVAILABLE", err, gaveUp.Last)
	}
	if got := f.watchCalls.Load(); got <= 5 {
		t.Errorf("%d streams before the deadline; reconnecting must not stop after a count", got)
	}
}

// TestWatchRidesOutAGatewayRestart stops the server after the first stream's snapshot and
// starts a new one on the same port once the watch has failed to reconnect twice.
func TestWatchRidesOutAGatewayRestart(t *testing.T) {
	fastBackoff(t)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	first := grpc.NewServer()
	gatewayv1.RegisterInstanceServiceServer(first, &stopAfterSnapshot{})
	go func() { _ = first.Serve(lis) }()
	defer first.Stop()

	pauses := make(chan error, 100)
	pauseHook = func(err error) {
		select {
		case pauses <- err:
		default: // the test reads only the first few
		}
	}
	defer func() { pauseHook = nil }()
	c, err := Dial(addr, WithEnvironment(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	type result struct {
		final  *Instance
		err    error
		events int
	}
	done := make(chan result, 1)
	go func() {
		events := 0
		final, err := c.WatchUntilDone(ctx, "", "i9", func(*Event) error { events++; return nil })
		done <- result{final, err, events}
	}()
	// The first stream ends when the server stops; then the gateway is down for two attempts.
	for i := range 3 {
		select {
		case err := <-pauses:
			if status.Code(err) != codes.Unavailable {
				t.Fatalf("pause %d after %v, want UNAVAILABLE", i, err)
			}
			if i == 0 {
				first.Stop()
			}
		case <-ctx.Done():
			t.Fatal("the watch did not try to reconnect")
		}
	}
	lis2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	second := grpc.NewServer()
	gatewayv1.RegisterInstanceServiceServer(second, &flaky{})
	go func() { _ = second.Serve(lis2) }()
	defer second.Stop()
	r := <-done
	if r.err != nil || !r.final.GetSuccessful() || r.events != 3 {
		t.Fatalf("WatchUntilDone = %v, %v after %d events; want success after snapshot, snapshot, terminal", r.final, r.err, r.events)
	}
}

// stopAfterSnapshot sends a snapshot, then ends the stream with UNAVAILABLE. Only the first
// call gets the snapshot: a reconnect that reaches this server before the test has stopped it
// is refused like a server going down, so the event count does not depend on that race.
type stopAfterSnapshot struct {
	gatewayv1.UnimplementedInstanceServiceServer
	calls atomic.Int32
}

func (s *stopAfterSnapshot) WatchInstance(req *gatewayv1.WatchInstanceRequest, stream grpc.ServerStreamingServer[gatewayv1.WatchInstanceResponse]) error {
	if s.calls.Add(1) > 1 {
		return status.Error(codes.Unavailable, "shutting down")
	}
	running := &gatewayv1.Instance{InstanceId: req.GetInstanceId(), State: gatewayv1.Instance_RUNNING}
	if err := stream.Send(&gatewayv1.WatchInstanceResponse{EventType: gatewayv1.WatchInstanceResponse_SNAPSHOT, Sequence: 1, Instance: running}); err != nil {
		return err
	}
	return status.Error(codes.Unavailable, "shutting down")
}

func TestWaitUntilDoneRidesOutUnavailable(t *testing.T) {
	fastBackoff(t)
	f := &flaky{waitFail: 9}
	c := dialFlaky(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	inst, err := c.WaitUntilDone(ctx, "", "i2")
	if err != nil || inst.GetState() != gatewayv1.Instance_TERMINATED || !inst.GetSuccessful() {
		t.Fatalf("WaitUntilDone = %v, %v; want the terminated instance", inst, err)
	}
	if got := f.waitCalls.Load(); got != 11 {
		t.Errorf("%d WaitInstance calls, want 11 (9 UNAVAILABLE, running, terminated)", got)
	}
}

func TestGetTaskResultReturnsTheText(t *testing.T) {
	c := dialFlaky(t, &flaky{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if text, err := c.GetTaskResult(ctx, "", "i3", "second"); err != nil || text != "\"n\"\n2\n" {
		t.Errorf("GetTaskResult(second) = %q, %v", text, err)
	}
	if text, err := c.GetTaskResult(ctx, "", "i3", ""); err != nil || text != "\"n\"\n1\n" {
		t.Errorf("GetTaskResult(\"\") = %q, %v; want the first task's", text, err)
	}
	if _, err := c.GetTaskResult(ctx, "", "i3", "nope"); status.Code(err) != codes.NotFound {
		t.Errorf("GetTaskResult(nope) error = %v, want NOT_FOUND", err)
	}
}

func TestGaveUpErrorCarriesTheContextsCode(t *testing.T) {
	last := status.Error(codes.Unavailable, "connection refused")
	for ctxErr, code := range map[error]codes.Code{context.DeadlineExceeded: codes.DeadlineExceeded, context.Canceled: codes.Canceled} {
		err := error(&GaveUpError{Context: ctxErr, Last: last})
		if status.Code(err) != code || !errors.Is(err, ctxErr) || !errors.Is(err, last) {
			t.Errorf("GaveUpError(%v): code %v, want %v, wrapping both errors", ctxErr, status.Code(err), code)
		}
	}
}
