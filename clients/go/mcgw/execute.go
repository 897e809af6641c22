package mcgw

import (
	"context"
	"errors"
	"io"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

// ExecuteEvent is one message of an ExecuteSQL stream: the fields of a watch Event plus
// Reattached (the request id matched an instance an earlier call created).
type ExecuteEvent = gatewayv1.ExecuteSqlResponse

// TaskSummary is the summary of one task, with its cost (PyODPS get_task_summary).
type TaskSummary = gatewayv1.TaskSummary

// QueueingInfo is where an instance stands in MaxCompute's job queue (PyODPS
// get_queueing_info).
type QueueingInfo = gatewayv1.QueueingInfo

// ExecuteOption configures ExecuteSQL.
type ExecuteOption func(*gatewayv1.ExecuteSqlRequest)

// StopOnCancel makes the gateway stop the instance the call created when ctx is cancelled or
// its deadline passes before the instance terminates (Airflow's cancel_on_kill). It applies to
// the ExecuteSql stream only: after a resume through WatchInstance, cancelling no longer stops
// the instance.
func StopOnCancel() ExecuteOption {
	return func(r *gatewayv1.ExecuteSqlRequest) { r.StopOnCancel = true }
}

// ExecuteWithRequestID sends id (a UUID4, such as NewRequestID makes) as the request id instead
// of a new random one, so that a call with the id of an earlier one follows that call's
// instance (its events say Reattached).
func ExecuteWithRequestID(id string) ExecuteOption {
	return func(r *gatewayv1.ExecuteSqlRequest) { r.RequestId = id }
}

// ExecuteOmitProgress asks for state and task state changes only, without stage progress.
func ExecuteOmitProgress() ExecuteOption {
	return func(r *gatewayv1.ExecuteSqlRequest) { r.OmitProgress = true }
}

// ExecuteWithHeartbeat asks for a HEARTBEAT event after every interval without another event
// (1s to 10min).
func ExecuteWithHeartbeat(interval time.Duration) ExecuteOption {
	return func(r *gatewayv1.ExecuteSqlRequest) { r.HeartbeatInterval = durationpb.New(interval) }
}

// ExecuteSQL submits a SQL job and follows it to its TERMINAL event, calling fn for every
// event, and returns the final instance. The call carries a request id (a new random UUID4
// unless ExecuteWithRequestID gives one). When the stream fails with UNAVAILABLE or ends
// without TERMINAL, ExecuteSQL never submits again: after the first event it follows the
// instance that event named with WatchInstance (as WatchUntilDone does; fn then sees a fresh
// SNAPSHOT, with Reattached as the first event said), and before any event it calls ExecuteSql
// again with the same request id, which the gateway answers with the same instance. Reconnects
// use WatchUntilDone's jittered backoff and are bounded only by ctx (a *GaveUpError when it
// ends). The first error from fn is returned as is; any other gRPC error ends the call.
func (c *Client) ExecuteSQL(ctx context.Context, project string, job *SQLJob, fn func(*ExecuteEvent) error, opts ...ExecuteOption) (*Instance, error) {
	req := &gatewayv1.ExecuteSqlRequest{Project: project, Job: job, RequestId: NewRequestID()}
	for _, opt := range opts {
		opt(req)
	}
	if fn == nil {
		fn = func(*ExecuteEvent) error { return nil }
	}
	var r reconnector
	var first *ExecuteEvent
	for {
		var final *Instance
		var progressed bool
		var err error
		if first == nil {
			final, first, err = c.executeOnce(ctx, req, fn)
			progressed = first != nil
		} else {
			watch := &gatewayv1.WatchInstanceRequest{
				Project: project, InstanceId: first.GetInstance().GetInstanceId(),
				OmitProgress: req.GetOmitProgress(), HeartbeatInterval: req.GetHeartbeatInterval(),
			}
			reattached := first.GetReattached()
			final, progressed, err = c.watchOnce(ctx, watch, func(ev *Event) error {
				return fn(executeEvent(ev, reattached))
			})
		}
		if err == nil {
			return final, nil
		}
		if err := r.retry(ctx, err, progressed); err != nil {
			return nil, err
		}
	}
}

// executeOnce runs one ExecuteSql stream. It returns the final instance on TERMINAL, the first
// event of the stream when one arrived, and the error that ended the stream otherwise.
func (c *Client) executeOnce(ctx context.Context, req *gatewayv1.ExecuteSqlRequest, fn func(*ExecuteEvent) error) (*Instance, *ExecuteEvent, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.Service.ExecuteSql(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	var first *ExecuteEvent
	for {
		ev, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil, first, ErrStreamEnded
		}
		if err != nil {
			return nil, first, err
		}
		if first == nil {
			first = ev
		}
		if err := fn(ev); err != nil {
			return nil, first, &callbackError{err}
		}
		if ev.GetEventType() == gatewayv1.WatchInstanceResponse_TERMINAL {
			return ev.GetInstance(), first, nil
		}
	}
}

// executeEvent gives a WatchInstance event of a resumed ExecuteSQL as an ExecuteEvent.
func executeEvent(ev *Event, reattached bool) *ExecuteEvent {
	return &ExecuteEvent{
		EventType: ev.GetEventType(), Sequence: ev.GetSequence(), ObserveTime: ev.GetObserveTime(),
		Instance: ev.GetInstance(), Progress: ev.GetProgress(), Stale: ev.GetStale(), Reattached: reattached,
	}
}

// GetTaskSummary returns the summary of one task of an instance: its text, its JSON and what it
// cost (Cost is nil when the summary has none). An empty task means the instance's first task
// (AnonymousSQLTask for SQL). An unknown task is NOT_FOUND (reason "TASK_NOT_FOUND").
func (c *Client) GetTaskSummary(ctx context.Context, project, id, task string) (*TaskSummary, error) {
	if task == "" {
		first, err := c.firstTask(ctx, project, id)
		if err != nil {
			return nil, err
		}
		task = first
	}
	return c.Service.GetTaskSummary(ctx, &gatewayv1.GetTaskSummaryRequest{Project: project, InstanceId: id, TaskName: task})
}

// GetQueueingInfo returns where an instance stands in MaxCompute's job queue: its priority,
// its position while it waits, its state and progress. NOT_FOUND (reason
// "INSTANCE_NOT_FOUND") when absent.
func (c *Client) GetQueueingInfo(ctx context.Context, project, id string) (*QueueingInfo, error) {
	return c.Service.GetQueueingInfo(ctx, &gatewayv1.GetQueueingInfoRequest{Project: project, InstanceId: id})
}

// firstTask names the first task of an instance.
func (c *Client) firstTask(ctx context.Context, project, id string) (string, error) {
	resp, err := c.Service.ListTasks(ctx, &gatewayv1.ListTasksRequest{Project: project, InstanceId: id, PageSize: 1})
	if err != nil {
		return "", err
	}
	if len(resp.GetTasks()) == 0 {
		return "", statusNoTasks(id)
	}
	return resp.GetTasks()[0].GetName(), nil
}

func statusNoTasks(id string) error {
	return status.Errorf(codes.NotFound, "instance %s has no tasks", id)
}
