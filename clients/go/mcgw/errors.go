package mcgw

import (
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrorDomain is the ErrorInfo domain of the gateway's errors.
const ErrorDomain = "mcgateway"

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

// ErrorReason returns the ErrorInfo reason of a gateway error: the MaxCompute error code (for
// example "NoSuchObject" or "InvalidStateSetting") or a gateway reason such as
// "INVALID_REQUEST". It is "" when the error carries no ErrorInfo.
func ErrorReason(err error) string {
	if info := ErrorInfo(err); info != nil {
		return info.GetReason()
	}
	return ""
}

// ErrorMetadata returns the ErrorInfo metadata (project, instance_id, upstream_request_id when
// known), or nil.
func ErrorMetadata(err error) map[string]string {
	if info := ErrorInfo(err); info != nil {
		return info.GetMetadata()
	}
	return nil
}

// RetryDelay returns the delay from a google.rpc.RetryInfo detail, which the gateway adds when
// MaxCompute said when to retry, and whether there was one.
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

// IsNotFound reports whether err is NOT_FOUND (the instance or task does not exist).
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
