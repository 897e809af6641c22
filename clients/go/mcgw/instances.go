package mcgw

import (
	"context"
	"iter"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

// Instance is a MaxCompute job instance as the gateway reports it.
type Instance = gatewayv1.Instance

// Instances yields every instance that req selects, fetching pages as the loop needs them and
// following next_page_token until it is empty. req.PageToken is the first page to read; req is
// not modified. An error ends the sequence after being yielded once.
func (c *Client) Instances(ctx context.Context, req *gatewayv1.ListInstancesRequest) iter.Seq2[*Instance, error] {
	return func(yield func(*Instance, error) bool) {
		page := &gatewayv1.ListInstancesRequest{
			Project:   req.GetProject(),
			Status:    req.GetStatus(),
			OnlyOwner: req.GetOnlyOwner(),
			StartTime: req.GetStartTime(),
			EndTime:   req.GetEndTime(),
			PageSize:  req.GetPageSize(),
			PageToken: req.GetPageToken(),
		}
		for {
			resp, err := c.Service.ListInstances(ctx, page)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, inst := range resp.GetInstances() {
				if !yield(inst, nil) {
					return
				}
			}
			if resp.GetNextPageToken() == "" {
				return
			}
			page.PageToken = resp.GetNextPageToken()
		}
	}
}

// GetInstance returns one instance with its tasks; NOT_FOUND (reason "NoSuchObject") when absent.
// An empty project means the gateway's default project.
func (c *Client) GetInstance(ctx context.Context, project, id string) (*Instance, error) {
	resp, err := c.Service.GetInstance(ctx, &gatewayv1.GetInstanceRequest{Project: project, InstanceId: id})
	if err != nil {
		return nil, err
	}
	return resp.GetInstance(), nil
}

// StopInstance asks MaxCompute to stop a running instance and returns the state read after
// the request, which may still be running. A terminated instance gives FAILED_PRECONDITION
// (reason "InvalidStateSetting").
func (c *Client) StopInstance(ctx context.Context, project, id string) (*Instance, error) {
	resp, err := c.Service.StopInstance(ctx, &gatewayv1.StopInstanceRequest{Project: project, InstanceId: id})
	if err != nil {
		return nil, err
	}
	return resp.GetInstance(), nil
}

// SubmitSQL submits a SQL query with optional hints and returns the new instance as first read.
// Use WatchUntilDone to follow it. For idempotent retries or a priority, call
// Service.SubmitSql with a request_id.
func (c *Client) SubmitSQL(ctx context.Context, project, query string, hints map[string]string) (*Instance, error) {
	resp, err := c.Service.SubmitSql(ctx, &gatewayv1.SubmitSqlRequest{Project: project, Query: query, Hints: hints})
	if err != nil {
		return nil, err
	}
	return resp.GetInstance(), nil
}
