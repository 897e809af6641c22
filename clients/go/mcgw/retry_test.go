package mcgw

// Tests on a scripted InstanceService (a real grpc-go server on a loopback port) for what the
// gateway cannot be made to do on demand: fail reads with UNAVAILABLE, so the embedded service
// config's retry policy shows, and end watch streams at chosen points.

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

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

type scripted struct {
	gatewayv1.UnimplementedInstanceServiceServer
	getCalls   atomic.Int32
	stopCalls  atomic.Int32
	watchCalls atomic.Int32
}

func (s *scripted) GetInstance(_ context.Context, req *gatewayv1.GetInstanceRequest) (*gatewayv1.GetInstanceResponse, error) {
	if s.getCalls.Add(1) <= 2 {
		return nil, status.Error(codes.Unavailable, "upstream hiccup")
	}
	return &gatewayv1.GetInstanceResponse{Instance: &gatewayv1.Instance{Id: req.GetInstanceId()}}, nil
}

func (s *scripted) StopInstance(context.Context, *gatewayv1.StopInstanceRequest) (*gatewayv1.StopInstanceResponse, error) {
	s.stopCalls.Add(1)
	return nil, status.Error(codes.Unavailable, "upstream hiccup")
}

// WatchInstance ends its first stream with UNAVAILABLE after a snapshot (as a gateway at its
// maximum stream age does), then serves a snapshot and the terminal event.
func (s *scripted) WatchInstance(req *gatewayv1.WatchInstanceRequest, stream grpc.ServerStreamingServer[gatewayv1.WatchInstanceResponse]) error {
	// Counted before anything is sent, so a client that saw the snapshot sees the count.
	first := s.watchCalls.Add(1) == 1
	running := &gatewayv1.Instance{Id: req.GetInstanceId(), Status: gatewayv1.Status_STATUS_RUNNING}
	snapshot := &gatewayv1.WatchInstanceResponse{EventType: gatewayv1.WatchEventType_WATCH_EVENT_TYPE_SNAPSHOT, Sequence: 1, Instance: running}
	if err := stream.Send(snapshot); err != nil {
		return err
	}
	if first {
		return status.Error(codes.Unavailable, "maximum stream age reached")
	}
	done := &gatewayv1.Instance{Id: req.GetInstanceId(), Status: gatewayv1.Status_STATUS_TERMINATED, Successful: true}
	return stream.Send(&gatewayv1.WatchInstanceResponse{EventType: gatewayv1.WatchEventType_WATCH_EVENT_TYPE_TERMINAL, Sequence: 2, Instance: done})
}

func startScripted(t *testing.T) (*scripted, *Client) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	fake := &scripted{}
	gatewayv1.RegisterInstanceServiceServer(srv, fake)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	c, err := Dial(lis.Addr().String(), WithInsecure())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return fake, c
}

func TestServiceConfigRetriesReadsOnly(t *testing.T) {
	fake, c := startScripted(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	inst, err := c.GetInstance(ctx, "", "i1")
	if err != nil || inst.GetId() != "i1" {
		t.Fatalf("GetInstance = %v, %v; want i1 after retries", inst, err)
	}
	if got := fake.getCalls.Load(); got != 3 {
		t.Errorf("GetInstance reached the server %d times, want 3 (two retried UNAVAILABLE)", got)
	}
	if _, err := c.StopInstance(ctx, "", "i1"); status.Code(err) != codes.Unavailable {
		t.Fatalf("StopInstance error = %v, want UNAVAILABLE", err)
	}
	if got := fake.stopCalls.Load(); got != 1 {
		t.Errorf("StopInstance reached the server %d times, want 1 (writes are not retried)", got)
	}
}

func TestWatchUntilDoneResumesAfterUnavailable(t *testing.T) {
	fake, c := startScripted(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var types []gatewayv1.WatchEventType
	final, err := c.WatchUntilDone(ctx, "", "i2", func(ev *Event) error {
		types = append(types, ev.GetEventType())
		return nil
	})
	if err != nil {
		t.Fatalf("WatchUntilDone: %v", err)
	}
	if !final.GetSuccessful() || fake.watchCalls.Load() != 2 {
		t.Errorf("final %v after %d streams, want success after 2", final, fake.watchCalls.Load())
	}
	want := []gatewayv1.WatchEventType{
		gatewayv1.WatchEventType_WATCH_EVENT_TYPE_SNAPSHOT,
		gatewayv1.WatchEventType_WATCH_EVENT_TYPE_SNAPSHOT,
		gatewayv1.WatchEventType_WATCH_EVENT_TYPE_TERMINAL,
	}
	if len(types) != len(want) {
		t.Fatalf("events %v, want %v", types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("events %v, want %v", types, want)
		}
	}
}

func TestWatchUntilDoneReturnsTheCallbackError(t *testing.T) {
	fake, c := startScripted(t)
	stop := errors.New("seen enough")
	_, err := c.WatchUntilDone(context.Background(), "", "i3", func(*Event) error { return stop })
	if !errors.Is(err, stop) || err != stop {
		t.Fatalf("WatchUntilDone error = %v, want the callback's error as is", err)
	}
	if got := fake.watchCalls.Load(); got != 1 {
		t.Errorf("%d streams opened, want 1: a callback error is not retried", got)
	}
}
