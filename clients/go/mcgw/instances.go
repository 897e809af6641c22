package mcgw

import (
	"context"
	"crypto/rand"
	"fmt"
	"iter"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

// Instance is a MaxCompute job instance as the gateway reports it. Its Successful and Priority
// fields are optional: nil while the outcome is unknown (a running instance, or any instance
// in a list) and when MaxCompute did not report a priority.
type Instance = gatewayv1.Instance

// Task is one task of an instance, for example its AnonymousSQLTask.
type Task = gatewayv1.Task

// TaskResult is the result of one task (CSV text for a SQL select).
type TaskResult = gatewayv1.TaskResult

// SubInstance is one sub-instance of an XFlow (PAI) instance.
type SubInstance = gatewayv1.SubInstance

// SQLJob is a SQL job: the query, optional hints and an optional priority.
type SQLJob = gatewayv1.SqlJob

// pages yields the items of every page that fetch returns, starting at the page token first
// and following next page tokens until one is empty. An error ends the sequence after being
// yielded once.
func pages[T any](first string, fetch func(pageToken string) ([]T, string, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		token := first
		for {
			items, next, err := fetch(token)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			token = next
		}
	}
}

// Instances yields every instance that req selects (state_filter, only_owner,
// min_start_time, max_start_time), fetching pages of req.PageSize as the loop needs them and
// following next_page_token until it is empty. req.PageToken is the first page to read; req is
// not modified. An error ends the sequence after being yielded once. Listed instances carry no
// tasks and no outcome (Successful is nil): call GetInstance for those.
func (c *Client) Instances(ctx context.Context, req *gatewayv1.ListInstancesRequest) iter.Seq2[*Instance, error] {
	if req == nil {
		req = &gatewayv1.ListInstancesRequest{}
	}
	base := proto.CloneOf(req)
	return pages(base.GetPageToken(), func(token string) ([]*Instance, string, error) {
		page := proto.CloneOf(base)
		page.PageToken = token
		resp, err := c.Service.ListInstances(ctx, page)
		return resp.GetInstances(), resp.GetNextPageToken(), err
	})
}

// Tasks yields every task of an instance in submission order, walking all pages of ListTasks.
func (c *Client) Tasks(ctx context.Context, project, id string) iter.Seq2[*Task, error] {
	return pages("", func(token string) ([]*Task, string, error) {
		resp, err := c.Service.ListTasks(ctx, &gatewayv1.ListTasksRequest{Project: project, InstanceId: id, PageToken: token})
		return resp.GetTasks(), resp.GetNextPageToken(), err
	})
}

// TaskResults yields the result of every task of an instance in task order, walking all pages
// of ListTaskResults. For the text of one task's result, call GetTaskResult.
func (c *Client) TaskResults(ctx context.Context, project, id string) iter.Seq2[*TaskResult, error] {
	return pages("", func(token string) ([]*TaskResult, string, error) {
		resp, err := c.Service.ListTaskResults(ctx, &gatewayv1.ListTaskResultsRequest{Project: project, InstanceId: id, PageToken: token})
		return resp.GetTaskResults(), resp.GetNextPageToken(), err
	})
}

// SubInstances yields every sub-instance of an XFlow instance, walking all pages of
// ListSubInstances. An instance that is not an XFlow gives FAILED_PRECONDITION (reason
// "NOT_XFLOW").
func (c *Client) SubInstances(ctx context.Context, project, id string) iter.Seq2[*SubInstance, error] {
	return pages("", func(token string) ([]*SubInstance, string, error) {
		resp, err := c.Service.ListSubInstances(ctx, &gatewayv1.ListSubInstancesRequest{Project: project, InstanceId: id, PageToken: token})
		return resp.GetSubInstances(), resp.GetNextPageToken(), err
	})
}

// GetInstance returns one instance with its tasks; NOT_FOUND (reason "INSTANCE_NOT_FOUND") when
// absent. An empty project means the gateway's default project.
func (c *Client) GetInstance(ctx context.Context, project, id string) (*Instance, error) {
	return c.Service.GetInstance(ctx, &gatewayv1.GetInstanceRequest{Project: project, InstanceId: id})
}

// StopInstance asks MaxCompute to stop a running instance and returns the state read after
// the request, which may still be running. An instance that is not running gives
// FAILED_PRECONDITION (reason "INSTANCE_NOT_RUNNING").
func (c *Client) StopInstance(ctx context.Context, project, id string) (*Instance, error) {
	resp, err := c.Service.StopInstance(ctx, &gatewayv1.StopInstanceRequest{Project: project, InstanceId: id})
	if err != nil {
		return nil, err
	}
	return resp.GetInstance(), nil
}

// WaitUntilDone waits until an instance terminates and returns it (Successful set), calling
// WaitInstance (which the gateway holds up to about 30 s) as often as needed. It rides out
// UNAVAILABLE like WatchUntilDone: it calls again after a jittered backoff (0.1 s doubling to
// 5 s) until ctx ends, when the error is a *GaveUpError. Any other error ends the wait.
func (c *Client) WaitUntilDone(ctx context.Context, project, id string) (*Instance, error) {
	var r reconnector
	for {
		resp, err := c.Service.WaitInstance(ctx, &gatewayv1.WaitInstanceRequest{Project: project, InstanceId: id})
		if err == nil {
			r.reset()
			if inst := resp.GetInstance(); inst.GetState() == gatewayv1.Instance_TERMINATED {
				return inst, nil
			}
			continue
		}
		if status.Code(err) != codes.Unavailable {
			return nil, err
		}
		if err := r.pause(ctx, err); err != nil {
			return nil, err
		}
	}
}

// GetTaskResult returns the result text of one task of an instance (TaskResult.Content: CSV
// with a header row for a SQL select, the error message for a failed task). An empty task
// means the instance's first task (AnonymousSQLTask for SQL). An unknown task is NOT_FOUND
// (reason "TASK_NOT_FOUND").
func (c *Client) GetTaskResult(ctx context.Context, project, id, task string) (string, error) {
	if task != "" {
		resp, err := c.Service.GetTaskResult(ctx, &gatewayv1.GetTaskResultRequest{Project: project, InstanceId: id, TaskName: task})
		return resp.GetContent(), err
	}
	resp, err := c.Service.ListTaskResults(ctx, &gatewayv1.ListTaskResultsRequest{Project: project, InstanceId: id, PageSize: 1})
	if err != nil {
		return "", err
	}
	if len(resp.GetTaskResults()) == 0 {
		return "", status.Errorf(codes.NotFound, "instance %s has no task results", id)
	}
	return resp.GetTaskResults()[0].GetContent(), nil
}

// SubmitOption configures SubmitSQL.
type SubmitOption func(*gatewayv1.SubmitSqlRequest)

// WithRequestID makes SubmitSQL send id (a UUID4 in canonical text form, such as NewRequestID
// makes) as the request id, so that the caller's own retries of the submission with the same
// id return the instance the first call created.
func WithRequestID(id string) SubmitOption {
	return func(r *gatewayv1.SubmitSqlRequest) { r.RequestId = id }
}

// submitAttempts bounds SubmitSQL's calls for one submission.
const submitAttempts = 4

// SubmitSQL submits a SQL job and returns the new instance as first read; use WatchUntilDone
// to follow it. Every submission carries a request id (a new random UUID4 unless WithRequestID
// gives one), so SubmitSQL retries it after UNAVAILABLE, with backoff, without risking a
// duplicate job: the gateway answers a retried id with the instance the first call created.
func (c *Client) SubmitSQL(ctx context.Context, project string, job *SQLJob, opts ...SubmitOption) (*Instance, error) {
	req := &gatewayv1.SubmitSqlRequest{Project: project, Job: job, RequestId: NewRequestID()}
	for _, opt := range opts {
		opt(req)
	}
	backoff := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		resp, err := c.Service.SubmitSql(ctx, req)
		if err == nil {
			return resp.GetInstance(), nil
		}
		if status.Code(err) != codes.Unavailable || attempt >= submitAttempts {
			return nil, err
		}
		delay := backoff
		if d, ok := RetryDelay(err); ok {
			delay = max(delay, min(d, 5*time.Second))
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(delay):
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// NewRequestID returns a new random UUID (version 4, RFC 9562) in canonical 36-character form,
// as request_id of SubmitSql and SubmitXflow requires.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])  // crypto/rand.Read never fails (Go 1.24+ crashes instead)
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // variant 10 (RFC 9562)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
