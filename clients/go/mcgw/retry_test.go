package mcgw

// Tests on a scripted InstanceService (a real grpc-go server on a loopback port) for what the
// gateway cannot be made to do on demand: fail reads and submissions with UNAVAILABLE, so the
// embedded service config's retry policy and SubmitSQL's retries show, end watch streams at
// chosen points, and serve lists in small pages.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

type scripted struct {
	gatewayv1.UnimplementedInstanceServiceServer
	getCalls   atomic.Int32
	stopCalls  atomic.Int32
	watchCalls atomic.Int32

	mu         sync.Mutex
	submitIDs  []string                          // request ids of the SubmitSql calls, in order
	listReqs   []*gatewayv1.ListInstancesRequest // ListInstances requests, in order
	taskTokens []string                          // page tokens of the ListTasks calls, in order
}

func (s *scripted) GetInstance(_ context.Context, req *gatewayv1.GetInstanceRequest) (*gatewayv1.Instance, error) {
	if s.getCalls.Add(1) <= 2 {
		return nil, status.Error(codes.Unavailable, "upstream hiccup")
	}
	return &gatewayv1.Instance{InstanceId: req.GetInstanceId(), State: gatewayv1.Instance_RUNNING}, nil
}

// SubmitSql fails its first call with UNAVAILABLE and answers later ones with an instance
// whose id is the number of calls so far.
func (s *scripted) SubmitSql(_ context.Context, req *gatewayv1.SubmitSqlRequest) (*gatewayv1.SubmitSqlResponse, error) {
	s.mu.Lock()
	s.submitIDs = append(s.submitIDs, req.GetRequestId())
	n := len(s.submitIDs)
	s.mu.Unlock()
	if n == 1 {
		return nil, status.Error(codes.Unavailable, "upstream hiccup")
	}
	if req.GetJob().GetQuery() == "" {
		return nil, status.Error(codes.InvalidArgument, "no query")
	}
	return &gatewayv1.SubmitSqlResponse{Instance: &gatewayv1.Instance{InstanceId: strconv.Itoa(n), State: gatewayv1.Instance_RUNNING}}, nil
}

// ListInstances serves three pages of two instances.
func (s *scripted) ListInstances(_ context.Context, req *gatewayv1.ListInstancesRequest) (*gatewayv1.ListInstancesResponse, error) {
	s.mu.Lock()
	s.listReqs = append(s.listReqs, req)
	s.mu.Unlock()
	page := 0
	if req.GetPageToken() != "" {
		page, _ = strconv.Atoi(req.GetPageToken())
	}
	resp := &gatewayv1.ListInstancesResponse{}
	for i := range 2 {
		resp.Instances = append(resp.Instances, &gatewayv1.Instance{InstanceId: fmt.Sprintf("i%d", 2*page+i), State: req.GetStateFilter()})
	}
	if page < 2 {
		resp.NextPageToken = strconv.Itoa(page + 1)
	}
	return resp, nil
}

// takeTaskTokens returns the page tokens ListTasks saw so far and forgets them.
func (s *scripted) takeTaskTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	tokens := s.taskTokens
	s.taskTokens = nil
	return tokens
}

// ListTasks serves five tasks in pages of two.
func (s *scripted) ListTasks(_ context.Context, req *gatewayv1.ListTasksRequest) (*gatewayv1.ListTasksResponse, error) {
	s.mu.Lock()
	s.taskTokens = append(s.taskTokens, req.GetPageToken())
	s.mu.Unlock()
	start := 0
	if req.GetPageToken() != "" {
		start, _ = strconv.Atoi(req.GetPageToken())
	}
	resp := &gatewayv1.ListTasksResponse{}
	for i := start; i < min(start+2, 5); i++ {
		resp.Tasks = append(resp.Tasks, &gatewayv1.Task{Name: fmt.Sprintf("t%d", i), State: gatewayv1.Task_SUCCEEDED})
	}
	if start+2 < 5 {
		resp.NextPageToken = strconv.Itoa(start + 2)
	}
	return resp, nil
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
	running := &gatewayv1.Instance{InstanceId: req.GetInstanceId(), State: gatewayv1.Instance_RUNNING}
	snapshot := &gatewayv1.WatchInstanceResponse{EventType: gatewayv1.WatchInstanceResponse_SNAPSHOT, Sequence: 1, Instance: running}
	if err := stream.Send(snapshot); err != nil {
		return err
	}
	if first {
		return status.Error(codes.Unavailable, "maximum stream age reached")
	}
	done := &gatewayv1.Instance{InstanceId: req.GetInstanceId(), State: gatewayv1.Instance_TERMINATED, Successful: proto.Bool(true)}
	return stream.Send(&gatewayv1.WatchInstanceResponse{EventType: gatewayv1.WatchInstanceResponse_TERMINAL, Sequence: 2, Instance: done})
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
	if err != nil || inst.GetInstanceId() != "i1" {
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
	var types []gatewayv1.WatchInstanceResponse_EventType
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
	want := []gatewayv1.WatchInstanceResponse_EventType{
		gatewayv1.WatchInstanceResponse_SNAPSHOT,
		gatewayv1.WatchInstanceResponse_SNAPSHOT,
		gatewayv1.WatchInstanceResponse_TERMINAL,
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

func TestSubmitSQLRetriesUnavailableWithOneRequestID(t *testing.T) {
	fake, c := startScripted(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	inst, err := c.SubmitSQL(ctx, "", &SQLJob{Query: "select 1", Priority: proto.Int32(3)})
	if err != nil || inst.GetInstanceId() != "2" {
		t.Fatalf("SubmitSQL = %v, %v; want the instance of the second call", inst, err)
	}
	inst, err = c.SubmitSQL(ctx, "", &SQLJob{Query: "select 2"}, WithRequestID("0b4e7e2a-6c1f-4f7e-9d7a-2f0f7f3c9a10"))
	if err != nil || inst.GetInstanceId() != "3" {
		t.Fatalf("SubmitSQL(WithRequestID) = %v, %v", inst, err)
	}
	if _, err := c.SubmitSQL(ctx, "", &SQLJob{}); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("SubmitSQL(empty job) error = %v, want INVALID_ARGUMENT without retries", err)
	}
	fake.mu.Lock()
	ids := append([]string(nil), fake.submitIDs...)
	fake.mu.Unlock()
	if len(ids) != 4 {
		t.Fatalf("%d SubmitSql calls %v, want 4 (one retry after UNAVAILABLE, none after INVALID_ARGUMENT)", len(ids), ids)
	}
	if !uuid4.MatchString(ids[0]) || ids[1] != ids[0] {
		t.Errorf("request ids %v: the retry must repeat the first call's UUID4", ids[:2])
	}
	if ids[2] != "0b4e7e2a-6c1f-4f7e-9d7a-2f0f7f3c9a10" {
		t.Errorf("request id %q, want the one given with WithRequestID", ids[2])
	}
	if !uuid4.MatchString(ids[3]) || ids[3] == ids[0] {
		t.Errorf("request id %q of a new submission must be a new UUID4", ids[3])
	}
}

func TestInstancesWalksEveryPageWithTheSameFilters(t *testing.T) {
	fake, c := startScripted(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	since := timestamppb.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	req := &gatewayv1.ListInstancesRequest{StateFilter: gatewayv1.Instance_TERMINATED, MinStartTime: since, PageSize: 2}
	var ids []string
	for inst, err := range c.Instances(ctx, req) {
		if err != nil {
			t.Fatalf("Instances: %v", err)
		}
		ids = append(ids, inst.GetInstanceId())
	}
	if fmt.Sprint(ids) != "[i0 i1 i2 i3 i4 i5]" {
		t.Errorf("Instances yielded %v, want i0 to i5 from three pages", ids)
	}
	if req.GetPageToken() != "" {
		t.Error("Instances modified the caller's request")
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	for i, r := range fake.listReqs {
		if r.GetStateFilter() != gatewayv1.Instance_TERMINATED || !proto.Equal(r.GetMinStartTime(), since) || r.GetPageSize() != 2 {
			t.Errorf("page %d request %v lost the filters", i, r)
		}
	}
}

func TestTasksWalksEveryPage(t *testing.T) {
	fake, c := startScripted(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var names []string
	for task, err := range c.Tasks(ctx, "", "i1") {
		if err != nil {
			t.Fatalf("Tasks: %v", err)
		}
		names = append(names, task.GetName())
	}
	if fmt.Sprint(names) != "[t0 t1 t2 t3 t4]" {
		t.Errorf("Tasks yielded %v, want t0 to t4", names)
	}
	if tokens := fake.takeTaskTokens(); fmt.Sprint(tokens) != "[ 2 4]" {
		t.Errorf("page tokens %q, want the first page then each next_page_token", tokens)
	}
	// Breaking out of the loop stops fetching.
	for range c.Tasks(ctx, "", "i1") {
		break
	}
	if tokens := fake.takeTaskTokens(); len(tokens) != 1 {
		t.Errorf("%d pages fetched for one task, want 1", len(tokens))
	}
}
