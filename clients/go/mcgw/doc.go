// Package mcgw is a small Go client for the mcgateway InstanceService, the gRPC gateway in
// front of MaxCompute (ODPS) job instances.
//
// Dial opens a connection with the project's service config (per-method timeouts and retries of
// idempotent reads, embedded from proto/), an optional bearer token and TLS. The generated stubs
// stay reachable through Client.Service for every RPC; the Client methods cover the common
// paths: iterating over every instance, task, task result or sub-instance (walking all pages),
// reading, stopping and submitting (with a random UUID4 request id, so a submission retried
// after UNAVAILABLE never runs twice), and WatchUntilDone, which follows one instance to its
// terminal state and resumes the stream when the gateway asks clients to reconnect.
//
// Errors are plain gRPC status errors: use status.Code(err) for the code, ErrorReason(err) for
// the gateway's UPPER_SNAKE_CASE reason of the google.rpc.ErrorInfo detail (for example
// ReasonInstanceNotFound or ReasonInstanceNotRunning) and MaxComputeCode(err) for MaxCompute's
// own error code when MaxCompute answered (for example "NoSuchObject").
//
// Enums may gain values in later versions of the contract: treat a value this package does not
// name (Instance.State, Task.State, the watch event types) as unspecified.
package mcgw
