// Package mcgw is a small Go client for the mcgateway InstanceService, the gRPC gateway in
// front of MaxCompute (ODPS) job instances.
//
// Dial opens a connection with the project's service config (per-method timeouts and retries of
// idempotent reads, embedded from proto/), an optional bearer token and TLS. The generated stubs
// stay reachable through Client.Service for every RPC; the Client methods cover the common
// paths: paging through instances, reading, stopping and submitting, and WatchUntilDone, which
// follows one instance to its terminal state and resumes the stream when the gateway asks
// clients to reconnect.
//
// Errors are plain gRPC status errors: use status.Code(err) for the code and ErrorReason(err)
// for the machine-readable reason of the google.rpc.ErrorInfo detail (for example
// "NoSuchObject" or "InvalidStateSetting").
package mcgw
