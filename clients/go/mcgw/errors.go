package mcgw

import (
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrorDomain is the ErrorInfo domain of the gateway's errors.
const ErrorDomain = "mcgateway.github.io"

// ErrorInfo reasons the gateway sends (docs/api-design.md, "Error reasons"). The reason is the
// gateway's own UPPER_SNAKE_CASE value; when MaxCompute answered with an error its own code
// (such as "NoSuchObject") is in the metadata (MaxComputeCode). New reasons may be added:
// treat an unknown one by its gRPC code.
const (
	// Gateway decisions.
	ReasonInvalidRequest     = "INVALID_REQUEST"
	ReasonInvalidPageToken   = "INVALID_PAGE_TOKEN"
	ReasonUnauthenticated    = "UNAUTHENTICATED"
	ReasonProjectNotAllowed  = "PROJECT_NOT_ALLOWED"
	ReasonTokenRevoked       = "TOKEN_REVOKED"
	ReasonTaskNotFound       = "TASK_NOT_FOUND"
	ReasonNotXflow           = "NOT_XFLOW"
	ReasonDeadlineExceeded   = "DEADLINE_EXCEEDED"
	ReasonShuttingDown       = "SHUTTING_DOWN"
	ReasonMaxStreamAge       = "MAX_STREAM_AGE"
	ReasonCallerLimit        = "CALLER_LIMIT"
	ReasonGatewayLimit       = "GATEWAY_LIMIT"
	ReasonGatewayRateLimited = "GATEWAY_RATE_LIMITED"
	ReasonInternal           = "INTERNAL"

	// MaxCompute's answers.
	ReasonInstanceNotFound            = "INSTANCE_NOT_FOUND"
	ReasonProjectNotFound             = "PROJECT_NOT_FOUND"
	ReasonInstanceNotRunning          = "INSTANCE_NOT_RUNNING"
	ReasonUpstreamNotFound            = "UPSTREAM_NOT_FOUND"
	ReasonUpstreamAlreadyExists       = "UPSTREAM_ALREADY_EXISTS"
	ReasonUpstreamInvalidArgument     = "UPSTREAM_INVALID_ARGUMENT"
	ReasonUpstreamFailedPrecondition  = "UPSTREAM_FAILED_PRECONDITION"
	ReasonUpstreamConflict            = "UPSTREAM_CONFLICT"
	ReasonUpstreamUnsupported         = "UPSTREAM_UNSUPPORTED"
	ReasonUpstreamCredentialsRejected = "UPSTREAM_CREDENTIALS_REJECTED"
	ReasonUpstreamPermissionDenied    = "UPSTREAM_PERMISSION_DENIED"
	ReasonUpstreamUnavailable         = "UPSTREAM_UNAVAILABLE"
	ReasonUpstreamThrottled           = "UPSTREAM_THROTTLED"
	ReasonUpstreamCancelled           = "UPSTREAM_CANCELLED"
	ReasonUpstreamDataLoss            = "UPSTREAM_DATA_LOSS"
	ReasonUpstreamUnknown             = "UPSTREAM_UNKNOWN"
)

// MaxComputeCodeKey is the ErrorInfo metadata key that carries MaxCompute's own error code.
const MaxComputeCodeKey = "maxcompute_code"

// ErrorInfo returns the google.rpc.ErrorInfo detail of a gateway error, or nil when err is not
// a gRPC status error or carries none.
func ErrorInfo(err error) *errdetails.ErrorInfo {
	st, ok := status.FromError(err)
	if !ok || err == nil {
		return nil
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}

// ErrorReason returns the ErrorInfo reason of a gateway error: an UPPER_SNAKE_CASE value of
// the gateway's (the Reason* constants, for example "INSTANCE_NOT_FOUND" or
// "INSTANCE_NOT_RUNNING"). It is "" when the error carries no ErrorInfo or its domain is not
// ErrorDomain, since a reason is only meaningful within its domain.
func ErrorReason(err error) string {
	if info := ErrorInfo(err); info != nil && info.GetDomain() == ErrorDomain {
		return info.GetReason()
	}
	return ""
}

// MaxComputeCode returns MaxCompute's own error code (for example "NoSuchObject",
// "InvalidStateSetting" or "QPSExceeded") when the error is MaxCompute's answer passed on by
// the gateway, and "" otherwise. It is for logs and diagnosis; decide on ErrorReason.
func MaxComputeCode(err error) string {
	return ErrorMetadata(err)[MaxComputeCodeKey]
}

// RequestIDKey is the ErrorInfo metadata key of MaxCompute's request id of the failing upstream
// call.
const RequestIDKey = "upstream_request_id"

// RequestID returns MaxCompute's request id of the upstream call that failed (metadata
// "upstream_request_id"), to quote to Alibaba Cloud support, or "" when MaxCompute did not
// answer or gave none.
func RequestID(err error) string {
	return ErrorMetadata(err)[RequestIDKey]
}

// GatewayRequestID returns the gateway's own id of the failed call (the google.rpc.RequestInfo
// detail), to quote to the gateway's operator, or "" when there is none.
func GatewayRequestID(err error) string {
	st, ok := status.FromError(err)
	if !ok || err == nil {
		return ""
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.RequestInfo); ok {
			return info.GetRequestId()
		}
	}
	return ""
}

// ErrorMetadata returns the ErrorInfo metadata (maxcompute_code, project, instance_id,
// upstream_request_id when known), or nil.
func ErrorMetadata(err error) map[string]string {
	if info := ErrorInfo(err); info != nil {
		return info.GetMetadata()
	}
	return nil
}

// RetryDelay returns the delay from a google.rpc.RetryInfo detail, which the gateway adds when
// it is known when to retry, and whether there was one.
func RetryDelay(err error) (time.Duration, bool) {
	st, ok := status.FromError(err)
	if !ok || err == nil {
		return 0, false
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.RetryInfo); ok && info.GetRetryDelay() != nil {
			return info.GetRetryDelay().AsDuration(), true
		}
	}
	return 0, false
}

// IsNotFound reports whether err is NOT_FOUND (the instance, project or task does not exist;
// ErrorReason tells which).
func IsNotFound(err error) bool { return status.Code(err) == codes.NotFound }

// codeNames are the canonical names of google/rpc/code.proto (grpc-go's Code.String() says
// "NotFound"; logs and other languages say "NOT_FOUND").
var codeNames = map[codes.Code]string{
	codes.OK:                 "OK",
	codes.Canceled:           "CANCELLED",
	codes.Unknown:            "UNKNOWN",
	codes.InvalidArgument:    "INVALID_ARGUMENT",
	codes.DeadlineExceeded:   "DEADLINE_EXCEEDED",
	codes.NotFound:           "NOT_FOUND",
	codes.AlreadyExists:      "ALREADY_EXISTS",
	codes.PermissionDenied:   "PERMISSION_DENIED",
	codes.ResourceExhausted:  "RESOURCE_EXHAUSTED",
	codes.FailedPrecondition: "FAILED_PRECONDITION",
	codes.Aborted:            "ABORTED",
	codes.OutOfRange:         "OUT_OF_RANGE",
	codes.Unimplemented:      "UNIMPLEMENTED",
	codes.Internal:           "INTERNAL",
	codes.Unavailable:        "UNAVAILABLE",
	codes.DataLoss:           "DATA_LOSS",
	codes.Unauthenticated:    "UNAUTHENTICATED",
}

// CodeName is the canonical name of a gRPC code, for example "NOT_FOUND".
func CodeName(code codes.Code) string {
	if name, ok := codeNames[code]; ok {
		return name
	}
	return code.String()
}
