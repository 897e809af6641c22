package mcgw

// Scripted-server tests of ExecuteSQL's resuming (clients/README.md, "Adding helpers"): after
// the first message it follows the named instance with WatchInstance, never resubmitting;
// before it, it calls ExecuteSql again with the same request id.

import (
	"context"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

// executing answers ExecuteSql by failing its first failBefore calls with UNAVAILABLE, then
// sending a SNAPSHOT of instance "x1" and failing with UNAVAILABLE; WatchInstance sends a
// snapshot and the terminal event.
type executing struct {
	gatewayv1.UnimplementedInstanceServiceServer
	failBefore int
	mu         sync.Mutex
	executes   []*gatewayv1.ExecuteSqlRequest
	watches    []*gatewayv1.WatchInstanceRequest
}

func (e *executing) ExecuteSql(req *gatewayv1.ExecuteSqlRequest, stream grpc.ServerStreamingServer[gatewayv1.ExecuteSqlResponse]) error {
	e.mu.Lock()
	e.executes = append(e.executes, req)
	n := len(e.executes)
	e.mu.Unlock()
	if n <= e.failBefore {
		return status.Error(codes.Unavailable, "not yet")
	}
	running := &gatewayv1.Instance{InstanceId: "x1", State: gatewayv1.Instance_RUNNING}
	if err := stream.Send(&gatewayv1.ExecuteSqlResponse{EventType: gatewayv1.WatchInstanceResponse_SNAPSHOT, Sequence: 1, Instance: running, Reattached: n > 1}); err != nil {
		return err
	}
	return status.Error(codes.Unavailable, "max stream age")
}

func (e *executing) WatchInstance(req *gatewayv1.WatchInstanceRequest, stream grpc.ServerStreamingServer[gatewayv1.WatchInstanceResponse]) error {
	e.mu.Lock()
	e.watches = append(e.watches, req)
	e.mu.Unlock()
	running := &gatewayv1.Instance{InstanceId: req.GetInstanceId(), State: gatewayv1.Instance_RUNNING}
	if err := stream.Send(&gatewayv1.WatchInstanceResponse{EventType: gatewayv1.WatchInstanceResponse_SNAPSHOT, Sequence: 2, Instance: running}); err != nil {
		return err
	}
	done := &gatewayv1.Instance{InstanceId: req.GetInstanceId(), State: gatewayv1.Instance_TERMINATED, Successful: proto.Bool(true)}
	return stream.Send(&gatewayv1.WatchInstanceResponse{EventType: gatewayv1.WatchInstanceResponse_TERMINAL, Sequence: 3, Instance: done})
}

func runExecute(t *testing.T, e *executing) ([]*ExecuteEvent, *Instance) {
	t.Helper()
	fastBackoff(t)
	c, err := Dial(serve(t, e), WithEnvironment(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var events []*ExecuteEvent
	final, err := c.ExecuteSQL(ctx, "p", &SQLJob{Query: "select 1"}, func(ev *ExecuteEvent) error {
		events = append(events, ev)
		return nil
	}, StopOnCancel(), ExecuteOmitProgress())
	if err != nil || !final.GetSuccessful() || final.GetInstanceId() != "x1" {
		t.Fatalf("ExecuteSQL = %v, %v; want x1 successful", final, err)
	}
	return events, final
}

func TestExecuteResumesWithWatchNotResubmitting(t *testing.T) {
	e := &executing{}
	events, _ := runExecute(t, e)
	if len(e.executes) != 1 {
		t.Fatalf("%d ExecuteSql calls, want 1 (resume by watching)", len(e.executes))
	}
	req := e.executes[0]
	if len(req.GetRequestId()) != 36 || req.GetRequestId()[14] != '4' || !req.GetStopOnCancel() || !req.GetOmitProgress() {
		t.Errorf("ExecuteSql request %v: want a UUID4 request id, stop_on_cancel and omit_progress", req)
	}
	if len(e.watches) != 1 || e.watches[0].GetInstanceId() != "x1" || e.watches[0].GetProject() != "p" || !e.watches[0].GetOmitProgress() {
		t.Fatalf("watches %v, want one of p/x1 without progress", e.watches)
	}
	var types []string
	for _, ev := range events {
		types = append(types, ev.GetEventType().String())
	}
	if want := "[SNAPSHOT SNAPSHOT TERMINAL]"; fmtList(types) != want {
		t.Errorf("events %v, want %s", types, want)
	}
}

func TestExecuteRetriesWithTheSameRequestIDBeforeTheFirstMessage(t *testing.T) {
	e := &executing{failBefore: 2}
	events, _ := runExecute(t, e)
	if len(e.executes) != 3 {
		t.Fatalf("%d ExecuteSql calls, want 3", len(e.executes))
	}
	for _, req := range e.executes[1:] {
		if req.GetRequestId() != e.executes[0].GetRequestId() {
			t.Errorf("retry with request id %q, want %q", req.GetRequestId(), e.executes[0].GetRequestId())
		}
	}
	for _, ev := range events {
		if !ev.GetReattached() {
			t.Errorf("event %v after a reattaching retry: want Reattached", ev)
		}
	}
}

func fmtList(s []string) string {
	out := "["
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out + "]"
}
