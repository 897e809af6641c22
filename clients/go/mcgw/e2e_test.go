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
	"google.golang.org/protobuf/proto"
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
	job := &SQLJob{Query: "select * from pyodps_iris limit 1", Hints: map[string]string{durationHint: seconds}}
	inst, err := c.SubmitSQL(ctx, project(), job)
	if err != nil {
		t.Fatalf("SubmitSQL: %v", err)
	}
	if inst.GetInstanceId() == "" {
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
		if resp.GetInstance().GetState() == gatewayv1.Instance_TERMINATED {
			return resp.GetInstance()
		}
	}
}

func TestE2EListWithPaging(t *testing.T) {
	c, ctx := dialE2E(t)
	want := map[string]bool{}
	for range 3 {
		want[submit(t, c, ctx, "0").GetInstanceId()] = true
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
			if seen[inst.GetInstanceId()] {
				t.Fatalf("instance %s listed twice", inst.GetInstanceId())
			}
			seen[inst.GetInstanceId()] = true
			if inst.Successful != nil || len(inst.GetTasks()) != 0 {
				t.Errorf("listed instance %v carries an outcome or tasks; a list reads neither", inst)
			}
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
		if inst.GetInstanceId() == "" {
			t.Fatal("instance without id")
		}
		n++
	}
	if n < len(seen) {
		t.Errorf("iterator yielded %d instances, pages held %d", n, len(seen))
	}
}

func TestE2EListFiltersByState(t *testing.T) {
	c, ctx := dialE2E(t)
	done := submit(t, c, ctx, "0").GetInstanceId()
	waitTerminated(t, c, ctx, done)
	running := submit(t, c, ctx, "60").GetInstanceId()
	t.Cleanup(func() { _, _ = c.StopInstance(context.Background(), project(), running) })
	seen := map[string]bool{}
	req := &gatewayv1.ListInstancesRequest{Project: project(), StateFilter: gatewayv1.Instance_TERMINATED, PageSize: 2}
	for inst, err := range c.Instances(ctx, req) {
		if err != nil {
			t.Fatalf("Instances(TERMINATED): %v", err)
		}
		if inst.GetState() != gatewayv1.Instance_TERMINATED {
			t.Errorf("state_filter TERMINATED listed %s in state %v", inst.GetInstanceId(), inst.GetState())
		}
		seen[inst.GetInstanceId()] = true
	}
	if !seen[done] || seen[running] {
		t.Errorf("state_filter TERMINATED: terminated %s listed %v, running %s listed %v", done, seen[done], running, seen[running])
	}
}

func TestE2EGetInstance(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "0")
	inst, err := c.GetInstance(ctx, project(), sub.GetInstanceId())
	if err != nil {
		t.Fatalf("GetInstance: %v", err)
	}
	if inst.GetInstanceId() != sub.GetInstanceId() || inst.GetState() == gatewayv1.Instance_STATE_UNSPECIFIED {
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
	if reason := ErrorReason(err); reason != ReasonInstanceNotFound {
		t.Errorf("ErrorReason = %q, want INSTANCE_NOT_FOUND", reason)
	}
	if code := MaxComputeCode(err); code != "NoSuchObject" && code != "NoSuchInstance" {
		t.Errorf("MaxComputeCode = %q, want MaxCompute's not-found code", code)
	}
	if info := ErrorInfo(err); info.GetDomain() != ErrorDomain {
		t.Errorf("ErrorInfo domain = %q, want %q", info.GetDomain(), ErrorDomain)
	}
	if RequestID(err) == "" || GatewayRequestID(err) == "" {
		t.Errorf("RequestID = %q, GatewayRequestID = %q; want MaxCompute's and the gateway's request ids", RequestID(err), GatewayRequestID(err))
	}
}

func TestE2EStopRunningInstance(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "60")
	inst, err := c.GetInstance(ctx, project(), sub.GetInstanceId())
	if err != nil {
		t.Fatalf("GetInstance: %v", err)
	}
	if inst.GetState() != gatewayv1.Instance_RUNNING || inst.Successful != nil {
		t.Errorf("running instance %v: want RUNNING with successful unset", inst)
	}
	if _, err := c.StopInstance(ctx, project(), sub.GetInstanceId()); err != nil {
		t.Fatalf("StopInstance(running): %v", err)
	}
	final := waitTerminated(t, c, ctx, sub.GetInstanceId())
	if final.Successful == nil || final.GetSuccessful() {
		t.Errorf("stopped instance %v: want successful set to false", final)
	}
}

func TestE2EStopTerminatedIsFailedPrecondition(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "0")
	waitTerminated(t, c, ctx, sub.GetInstanceId())
	_, err := c.StopInstance(ctx, project(), sub.GetInstanceId())
	if status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("StopInstance(terminated) error = %v, want FAILED_PRECONDITION", err)
	}
	if reason := ErrorReason(err); reason != ReasonInstanceNotRunning {
		t.Errorf("ErrorReason = %q, want INSTANCE_NOT_RUNNING", reason)
	}
	if code := MaxComputeCode(err); code != "InvalidStateSetting" {
		t.Errorf("MaxComputeCode = %q, want InvalidStateSetting", code)
	}
}

func TestE2ESubmitAndWatchUntilDone(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "3")
	var events []*Event
	progress := 0
	final, err := c.WatchUntilDone(ctx, project(), sub.GetInstanceId(), func(ev *Event) error {
		events = append(events, ev)
		if ev.GetEventType() == gatewayv1.WatchInstanceResponse_PROGRESS {
			progress++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("WatchUntilDone: %v", err)
	}
	if first := events[0].GetEventType(); first != gatewayv1.WatchInstanceResponse_SNAPSHOT {
		t.Errorf("first event %v, want SNAPSHOT", first)
	}
	if last := events[len(events)-1].GetEventType(); last != gatewayv1.WatchInstanceResponse_TERMINAL {
		t.Errorf("last event %v, want TERMINAL", last)
	}
	if final.GetState() != gatewayv1.Instance_TERMINATED || !final.GetSuccessful() {
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

func TestE2EWaitUntilDone(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "2")
	final, err := c.WaitUntilDone(ctx, project(), sub.GetInstanceId())
	if err != nil || final.GetState() != gatewayv1.Instance_TERMINATED || final.Successful == nil || !final.GetSuccessful() {
		t.Fatalf("WaitUntilDone = %v, %v; want terminated and successful", final, err)
	}
	_, err = c.WaitUntilDone(ctx, project(), "20000101000000000nosuchgo3")
	if status.Code(err) != codes.NotFound || ErrorReason(err) != ReasonInstanceNotFound {
		t.Errorf("WaitUntilDone(missing) error = %v, want NOT_FOUND INSTANCE_NOT_FOUND", err)
	}
}

func TestE2EWatchMissingIsNotFound(t *testing.T) {
	c, ctx := dialE2E(t)
	_, err := c.WatchUntilDone(ctx, project(), "20000101000000000nosuchgo2", func(*Event) error { return nil })
	if status.Code(err) != codes.NotFound || ErrorReason(err) != ReasonInstanceNotFound {
		t.Fatalf("WatchUntilDone(missing) error = %v (reason %q), want NOT_FOUND INSTANCE_NOT_FOUND", err, ErrorReason(err))
	}
}

func TestE2ECallDeadlineReachesTheGateway(t *testing.T) {
	c, ctx := dialE2E(t)
	sub := submit(t, c, ctx, "60")
	t.Cleanup(func() { _, _ = c.StopInstance(context.Background(), project(), sub.GetInstanceId()) })
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	resp, err := c.Service.WaitInstance(short, &gatewayv1.WaitInstanceRequest{
		Project: project(), InstanceId: sub.GetInstanceId(), Timeout: durationpb.New(20 * time.Second),
	})
	elapsed := time.Since(start)
	// The gateway waits min(request timeout, call deadline): it answers with the running
	// instance just before the deadline, or the deadline passes first on a slow machine.
	switch {
	case err == nil && resp.GetInstance().GetState() != gatewayv1.Instance_RUNNING:
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
	final, err := c.WatchUntilDone(ctx, project(), sub.GetInstanceId(), func(ev *Event) error {
		if len(ev.GetProgress()) != 0 {
			return fmt.Errorf("event %v carries progress despite OmitProgress", ev.GetEventType())
		}
		if ev.GetEventType() == gatewayv1.WatchInstanceResponse_HEARTBEAT {
			heartbeats++
		}
		return nil
	}, OmitProgress(), WithHeartbeat(time.Second))
	if err != nil {
		t.Fatalf("WatchUntilDone: %v", err)
	}
	if final.GetState() != gatewayv1.Instance_TERMINATED {
		t.Errorf("final %v", final)
	}
	if heartbeats == 0 {
		t.Error("no HEARTBEAT event in a 3 s watch with a 1 s heartbeat and no progress")
	}
}

func TestE2ETasksResultsProgressAndLogview(t *testing.T) {
	c, ctx := dialE2E(t)
	id := submit(t, c, ctx, "0").GetInstanceId()
	waitTerminated(t, c, ctx, id)
	var tasks []*Task
	for task, err := range c.Tasks(ctx, project(), id) {
		if err != nil {
			t.Fatalf("Tasks: %v", err)
		}
		tasks = append(tasks, task)
	}
	if len(tasks) == 0 || tasks[0].GetName() == "" || tasks[0].GetState() != gatewayv1.Task_SUCCEEDED {
		t.Fatalf("Tasks = %v, want a named SUCCEEDED task", tasks)
	}
	name := tasks[0].GetName()
	var results []*TaskResult
	for result, err := range c.TaskResults(ctx, project(), id) {
		if err != nil {
			t.Fatalf("TaskResults: %v", err)
		}
		results = append(results, result)
	}
	if len(results) != len(tasks) || results[0].GetTaskName() != name || results[0].GetContent() == "" {
		t.Fatalf("TaskResults = %v, want one result with content per task", results)
	}
	one, err := c.Service.GetTaskResult(ctx, &gatewayv1.GetTaskResultRequest{Project: project(), InstanceId: id, TaskName: name})
	if err != nil || one.GetContent() != results[0].GetContent() {
		t.Errorf("GetTaskResult = %v, %v; want the listed result", one, err)
	}
	for _, task := range []string{name, ""} {
		if text, err := c.GetTaskResult(ctx, project(), id, task); err != nil || text != results[0].GetContent() {
			t.Errorf("Client.GetTaskResult(%q) = %q, %v; want the listed result's text", task, text, err)
		}
	}
	_, err = c.Service.GetTaskResult(ctx, &gatewayv1.GetTaskResultRequest{Project: project(), InstanceId: id, TaskName: "NoSuchTask"})
	if status.Code(err) != codes.NotFound || ErrorReason(err) != ReasonTaskNotFound {
		t.Errorf("GetTaskResult(missing task) error = %v (reason %q), want NOT_FOUND TASK_NOT_FOUND", err, ErrorReason(err))
	}
	if _, err := c.Service.GetTaskProgress(ctx, &gatewayv1.GetTaskProgressRequest{Project: project(), InstanceId: id, TaskName: name}); err != nil {
		t.Errorf("GetTaskProgress: %v", err)
	}
	before := time.Now()
	logview, err := c.Service.GenerateLogviewAddress(ctx, &gatewayv1.GenerateLogviewAddressRequest{
		Project: project(), InstanceId: id, Ttl: durationpb.New(2 * time.Hour),
	})
	if err != nil {
		t.Fatalf("GenerateLogviewAddress: %v", err)
	}
	expire := logview.GetExpireTime().AsTime()
	if logview.GetUrl() == "" || expire.Before(before.Add(2*time.Hour-time.Minute)) || expire.After(time.Now().Add(2*time.Hour+time.Minute)) {
		t.Errorf("GenerateLogviewAddress(2h) = %v, want a URL that expires in 2 hours", logview)
	}
	_, err = c.Service.GenerateLogviewAddress(ctx, &gatewayv1.GenerateLogviewAddressRequest{
		Project: project(), InstanceId: id, Ttl: durationpb.New(90 * time.Minute),
	})
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("GenerateLogviewAddress(90min) error = %v, want INVALID_ARGUMENT (whole hours only)", err)
	}
}

func TestE2ESubmitIsIdempotentPerRequestID(t *testing.T) {
	c, ctx := dialE2E(t)
	job := &SQLJob{Query: "select * from pyodps_iris limit 1", Hints: map[string]string{durationHint: "0"}, Priority: proto.Int32(5)}
	requestID := NewRequestID()
	first, err := c.SubmitSQL(ctx, project(), job, WithRequestID(requestID))
	if err != nil {
		t.Fatalf("SubmitSQL: %v", err)
	}
	again, err := c.SubmitSQL(ctx, project(), job, WithRequestID(requestID))
	if err != nil || again.GetInstanceId() != first.GetInstanceId() {
		t.Fatalf("SubmitSQL with the same request id = %v, %v; want instance %s again", again, err, first.GetInstanceId())
	}
	other, err := c.SubmitSQL(ctx, project(), job)
	if err != nil || other.GetInstanceId() == first.GetInstanceId() {
		t.Fatalf("SubmitSQL with a new request id = %v, %v; want a new instance", other, err)
	}
	_, err = c.SubmitSQL(ctx, project(), job, WithRequestID("not-a-uuid"))
	if status.Code(err) != codes.InvalidArgument || ErrorReason(err) != ReasonInvalidRequest {
		t.Errorf("SubmitSQL(request id not a UUID4) error = %v (reason %q), want INVALID_ARGUMENT INVALID_REQUEST", err, ErrorReason(err))
	}
}

func TestE2EExecuteSQLReachesTerminalWithResult(t *testing.T) {
	c, ctx := dialE2E(t)
	job := &SQLJob{Query: "select * from pyodps_iris limit 1", Hints: map[string]string{durationHint: "0"}}
	var events []*ExecuteEvent
	final, err := c.ExecuteSQL(ctx, project(), job, func(ev *ExecuteEvent) error {
		events = append(events, ev)
		return nil
	})
	if err != nil {
		t.Fatalf("ExecuteSQL: %v", err)
	}
	if len(events) == 0 || events[0].GetInstance().GetInstanceId() == "" || events[0].GetReattached() {
		t.Fatalf("first event %v: want one naming a new instance", events)
	}
	last := events[len(events)-1]
	if last.GetEventType() != gatewayv1.WatchInstanceResponse_TERMINAL || final.GetState() != gatewayv1.Instance_TERMINATED || !final.GetSuccessful() {
		t.Fatalf("last event %v, final %v: want TERMINAL, TERMINATED, successful", last.GetEventType(), final)
	}
	result, err := c.GetTaskResult(ctx, project(), final.GetInstanceId(), "")
	if err != nil || result == "" {
		t.Fatalf("GetTaskResult = %q, %v; want the result text", result, err)
	}
}

func TestE2EExecuteSQLStopOnCancel(t *testing.T) {
	c, ctx := dialE2E(t)
	job := &SQLJob{Query: "select * from pyodps_iris limit 1", Hints: map[string]string{durationHint: "60"}}
	call, cancel := context.WithCancel(ctx)
	defer cancel()
	var id string
	_, err := c.ExecuteSQL(call, project(), job, func(ev *ExecuteEvent) error {
		id = ev.GetInstance().GetInstanceId()
		if ev.GetInstance().GetState() == gatewayv1.Instance_RUNNING {
			cancel() // mid-run
		}
		return nil
	}, StopOnCancel())
	if status.Code(err) != codes.Canceled {
		t.Fatalf("ExecuteSQL after cancel: %v, want CANCELLED", err)
	}
	if id == "" {
		t.Fatal("no event named the instance")
	}
	t.Cleanup(func() { _, _ = c.StopInstance(context.Background(), project(), id) })
	final, err := c.WaitUntilDone(ctx, project(), id)
	if err != nil {
		t.Fatalf("WaitUntilDone: %v", err)
	}
	inst, err := c.GetInstance(ctx, project(), final.GetInstanceId())
	if err != nil {
		t.Fatalf("GetInstance: %v", err)
	}
	if inst.GetState() != gatewayv1.Instance_TERMINATED || len(inst.GetTasks()) == 0 || inst.GetTasks()[0].GetState() != gatewayv1.Task_CANCELLED {
		t.Fatalf("instance after cancel %v: want TERMINATED with its task CANCELLED", inst)
	}
}

func TestE2EGetTaskSummaryOfAFinishedTask(t *testing.T) {
	c, ctx := dialE2E(t)
	id := submit(t, c, ctx, "0").GetInstanceId()
	waitTerminated(t, c, ctx, id)
	summary, err := c.GetTaskSummary(ctx, project(), id, "AnonymousSQLTask")
	if err != nil {
		t.Fatalf("GetTaskSummary: %v", err)
	}
	if summary.GetSummaryText() == "" || summary.GetCost() == nil || summary.GetTaskName() != "AnonymousSQLTask" {
		t.Fatalf("summary %v: want text and cost of AnonymousSQLTask", summary)
	}
	first, err := c.GetTaskSummary(ctx, project(), id, "")
	if err != nil || first.GetTaskName() != "AnonymousSQLTask" {
		t.Fatalf("GetTaskSummary of the first task = %v, %v", first, err)
	}
	if _, err := c.GetTaskSummary(ctx, project(), id, "NoSuchTask"); ErrorReason(err) != "TASK_NOT_FOUND" {
		t.Fatalf("GetTaskSummary(NoSuchTask) error %v, want TASK_NOT_FOUND", err)
	}
}

func TestE2EGetQueueingInfoOfARunningInstance(t *testing.T) {
	c, ctx := dialE2E(t)
	job := &SQLJob{Query: "select * from pyodps_iris limit 1", Hints: map[string]string{durationHint: "60"}, Priority: proto.Int32(3)}
	inst, err := c.SubmitSQL(ctx, project(), job)
	if err != nil {
		t.Fatalf("SubmitSQL: %v", err)
	}
	id := inst.GetInstanceId()
	t.Cleanup(func() { _, _ = c.StopInstance(context.Background(), project(), id) })
	info, err := c.GetQueueingInfo(ctx, project(), id)
	if err != nil {
		t.Fatalf("GetQueueingInfo: %v", err)
	}
	if info.GetInstanceId() != id || info.Priority == nil || info.GetPriority() != 3 {
		t.Fatalf("queueing info %v: want instance %s with priority 3", info, id)
	}
}
