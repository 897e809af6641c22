// Package mcgw is a small Go client for the mcgateway InstanceService, the gRPC gateway in
// front of MaxCompute (ODPS) job instances. It follows the conventions every mcgateway client
// shares (clients/README.md in the repository).
//
// Dial opens a connection with the project's service config (per-method timeouts and retries of
// idempotent reads, embedded from proto/). What Dial is not told comes from the environment:
// MCGW_TARGET (host:port, default 127.0.0.1:50051), MCGW_TOKEN (bearer token), MCGW_CA_CERT (PEM
// file of the CA to trust; implies TLS) and MCGW_TLS (auto, the default: plaintext only when the
// target's host is loopback; on; off). The target is validated first: a scheme ("http://") or a
// missing port is an error that says what to type instead.
//
// The generated stubs stay reachable through Client.Service for every RPC; the Client methods
// are the helper set of every mcgateway client: Instances (every page of ListInstances),
// GetInstance, StopInstance, SubmitSQL (with a random UUID4 request id, so a submission retried
// after UNAVAILABLE never runs twice), WaitUntilDone, WatchUntilDone (follows one instance to
// its terminal state and reconnects after UNAVAILABLE until the context ends) and
// GetTaskResult (a task's result text), ExecuteSQL, GetTaskSummary, GetQueueingInfo and
// ReadInstanceResult (a SELECT's result as typed rows through the instance tunnel, resumed at
// the next row after UNAVAILABLE); also Tasks, TaskResults and SubInstances.
//
// Errors are plain gRPC status errors: use status.Code(err) for the code, ErrorReason(err) for
// the gateway's UPPER_SNAKE_CASE reason of the google.rpc.ErrorInfo detail (for example
// ReasonInstanceNotFound or ReasonInstanceNotRunning), MaxComputeCode(err) for MaxCompute's
// own error code when MaxCompute answered (for example "NoSuchObject"), RequestID(err) for
// MaxCompute's request id and GatewayRequestID(err) for the gateway's.
//
// Enums print their proto value names (SNAPSHOT, RUNNING, SUCCEEDED). They may gain values in
// later versions of the contract: treat a value this package does not name (Instance.State,
// Task.State, the watch event types) as unspecified.
package mcgw
