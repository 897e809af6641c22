package mcgw

// End-to-end tests against a running gateway on the embedded emulator. tests/polyglot starts
// one and sets MCGW_TARGET (plaintext loopback, no token); without it these tests skip.

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

const durationHint = "mcemulator.duration_seconds"

func dialE2E(t *testing.T) (*Client, context.Context) {
	t.Helper()
	target := os.Getenv("MCGW_TARGET")
	if target == "" {
		t.Skip("MCGW_TARGET is not set: no gateway to test against")
	}
	opts := []Option{WithInsecure()}
	if token := os.Getenv("MCGW_TOKEN"); token != "" {
		opts = append(opts, WithToken(token))
	}
	c, err := Dial(target, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return c, ctx
}

func project() string { return os.Getenv("MCGW_PROJECT") }

func submit(t *testing.T, c *Client, ctx context.Context, seconds string) *Instance {
	t.Helper()
	inst, err := c.SubmitSQL(ctx, project(), "select * from pyodps_iris limit 1", map[string]string{durationHint: seconds})
	if err != nil {
		t.Fatalf("SubmitSQL: %v", err)
	}
	if inst.GetId() == "" {
		t.Fatal("SubmitSQL returned an instance without id")
	}
	return inst
}

// waitTerminated uses WaitInstance until the instance terminates.
func waitTerminated(t *testing.T, c *Client, ctx context.Context, id string) *Instance {
	t.Helper()
	for {
		resp, err := c.Service.WaitInstance(ctx, &gatewayv1.WaitInstanceRequest{
			Project: project(), InstanceId: id, Timeout: durationpb.New(10 * time.Second),
		})
		if err != nil {
			t.Fatalf("WaitInstance: %v", err)
		}
		if resp.GetInstance().GetStatus() == gatewayv1.Status_STATUS_TERMINATED {
			return resp.GetInstance()
		}
	}
}

func TestE2EListWithPaging(t *testing.T) {
	c, ctx := dialE2E(t)
	want := map[string]bool{}
	for range 3 {
		want[submit(t, c, ctx, "0").GetId()] = true
	}
	seen := map[string]bool{}
	pages := 0
	req := &gatewayv1.ListInstancesRequest{Project: project(), PageSize: 2}
	for {
		resp, err := c.Service.ListInstances(ctx, req)
		if err != nil {
			t.Fatalf("ListInstances: %v", err)
		}
		pages++
		if len(resp.GetInstances()) > 2 {
			t.Fatalf("page of %d instances for page_size 2", len(resp.GetInstances()))
		}
		for _, inst := range resp.GetInstances() {
			if seen[inst.GetId()] {
				t.Fatalf("instance %s listed twice", inst.GetId())
			}
			seen[inst.GetId()] = true
		}
		if resp.GetNextPageToken() == "" {
			break
		}
		req.PageToken = resp.GetNextPageToken()
	}
	if pages < 2 {
		t.Errorf("listed %d instances in %d page(s); want at least 2 pages", len(seen), pages)
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("submitted instance %s not listed", id)
		}
	}
	// The iterator walks the same pages.
	n := 0
	for inst, err := range c.Instances(ctx, &gatewayv1.ListInstancesRequest{Project: project(), PageSize: 2}) {
		if err != nil {
			t.Fatalf("Instances: %v", err)
		}
		if inst.GetId() == "" {
			t.Fatal("instance without id")
		}
		n++
	}
	if n < len(seen) {
		t.Errorf("iterator yielded %d instances, pages held %d", n, len(seen))
	}
}

func TestE2EGetInstance(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "0")
	inst, err := c.GetInstance(ctx, project(), sub.GetId())
	if err != nil {
		t.Fatalf("GetInstance: %v", err)
	}
	if inst.GetId() != sub.GetId() || inst.GetStatus() == gatewayv1.Status_STATUS_UNSPECIFIED {
		t.Fatalf("GetInstance = %v", inst)
	}
	if len(inst.GetTasks()) == 0 || inst.GetTasks()[0].GetName() == "" {
		t.Errorf("GetInstance returned no named task: %v", inst.GetTasks())
	}
}

func TestE2ENotFoundExposesReason(t *testing.T) {
	c, ctx := dialE2E(t)
	_, err := c.GetInstance(ctx, project(), "20000101000000000nosuchgo1")
	if status.Code(err) != codes.NotFound {
		t.Fatalf("GetInstance(missing) error = %v, want NOT_FOUND", err)
	}
	if reason := ErrorReason(err); reason != "NoSuchObject" {
		t.Errorf("ErrorReason = %q, want NoSuchObject", reason)
	}
}

func TestE2EStopRunningInstance(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "60")
	if _, err := c.StopInstance(ctx, project(), sub.GetId()); err != nil {
		t.Fatalf("StopInstance(running): %v", err)
	}
	final := waitTerminated(t, c, ctx, sub.GetId())
	if final.GetSuccessful() {
		t.Errorf("stopped instance reports success: %v", final)
	}
}

func TestE2EStopTerminatedIsFailedPrecondition(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "0")
	waitTerminated(t, c, ctx, sub.GetId())
	_, err := c.StopInstance(ctx, project(), sub.GetId())
	if status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("StopInstance(terminated) error = %v, want FAILED_PRECONDITION", err)
	}
	if reason := ErrorReason(err); reason != "InvalidStateSetting" {
		t.Errorf("ErrorReason = %q, want InvalidStateSetting", reason)
	}
}

func TestE2ESubmitAndWatchUntilDone(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "3")
	var events []*Event
	progress := 0
	final, err := c.WatchUntilDone(ctx, project(), sub.GetId(), func(ev *Event) error {
		events = append(events, ev)
		if ev.GetEventType() == gatewayv1.WatchEventType_WATCH_EVENT_TYPE_PROGRESS {
			progress++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("WatchUntilDone: %v", err)
	}
	if first := events[0].GetEventType(); first != gatewayv1.WatchEventType_WATCH_EVENT_TYPE_SNAPSHOT {
		t.Errorf("first event %v, want SNAPSHOT", first)
	}
	if last := events[len(events)-1].GetEventType(); last != gatewayv1.WatchEventType_WATCH_EVENT_TYPE_TERMINAL {
		t.Errorf("last event %v, want TERMINAL", last)
	}
	if final.GetStatus() != gatewayv1.Status_STATUS_TERMINATED || !final.GetSuccessful() {
		t.Errorf("final instance %v, want terminated and successful", final)
	}
	if progress == 0 {
		t.Errorf("no PROGRESS event among %d events", len(events))
	}
	for i := 1; i < len(events); i++ {
		if events[i].GetSequence() < events[i-1].GetSequence() {
			t.Errorf("sequence went back: %d after %d", events[i].GetSequence(), events[i-1].GetSequence())
		}
	}
}

func TestE2EWatchMissingIsNotFound(t *testing.T) {
	c, ctx := dialE2E(t)
	_, err := c.WatchUntilDone(ctx, project(), "20000101000000000nosuchgo2", func(*Event) error { return nil })
	if status.Code(err) != codes.NotFound || ErrorReason(err) != "NoSuchObject" {
		t.Fatalf("WatchUntilDone(missing) error = %v (reason %q), want NOT_FOUND NoSuchObject", err, ErrorReason(err))
	}
}

func TestE2ECallDeadlineReachesTheGateway(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "60")
	t.Cleanup(func() { _, _ = c.StopInstance(context.Background(), project(), sub.GetId()) })
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	resp, err := c.Service.WaitInstance(short, &gatewayv1.WaitInstanceRequest{
		Project: project(), InstanceId: sub.GetId(), Timeout: durationpb.New(20 * time.Second),
	})
	elapsed := time.Since(start)
	// The gateway waits min(request timeout, call deadline): it answers with the running
	// instance just before the deadline, or the deadline passes first on a slow machine.
	switch {
	case err == nil && resp.GetInstance().GetStatus() != gatewayv1.Status_STATUS_RUNNING:
		t.Errorf("WaitInstance returned %v, want the still running instance", resp.GetInstance())
	case err != nil && status.Code(err) != codes.DeadlineExceeded:
		t.Errorf("WaitInstance error = %v, want OK or DEADLINE_EXCEEDED", err)
	}
	if elapsed > 5*time.Second {
		t.Errorf("WaitInstance took %v with a 500ms deadline and a 20s wait: deadline not honoured", elapsed)
	}
}

func TestE2EWatchWithHeartbeatsAndNoProgress(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "3")
	heartbeats := 0
	final, err := c.WatchUntilDone(ctx, project(), sub.GetId(), func(ev *Event) error {
		if len(ev.GetProgress()) != 0 {
			return fmt.Errorf("event %v carries progress despite OmitProgress", ev.GetEventType())
		}
		if ev.GetEventType() == gatewayv1.WatchEventType_WATCH_EVENT_TYPE_HEARTBEAT {
			heartbeats++
		}
		return nil
	}, OmitProgress(), WithHeartbeat(time.Second))
	if err != nil {
		t.Fatalf("WatchUntilDone: %v", err)
	}
	if final.GetStatus() != gatewayv1.Status_STATUS_TERMINATED {
		t.Errorf("final %v", final)
	}
	if heartbeats == 0 {
		t.Error("no HEARTBEAT event in a 3 s watch with a 1 s heartbeat and no progress")
	}
}
