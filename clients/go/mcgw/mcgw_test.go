package mcgw

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
)

func TestEmbeddedServiceConfigMatchesProto(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "..", "proto", "maxcompute", "gateway", "v1", "service_config.json"))
	if err != nil {
		t.Fatalf("read proto/ service config: %v", err)
	}
	if !bytes.Equal(want, []byte(ServiceConfig)) {
		t.Fatal("mcgw/service_config.json differs from proto/: run clients/go/generate.sh")
	}
	var doc struct {
		MethodConfig []struct {
			Name []struct{ Service, Method string }
		}
	}
	if err := json.Unmarshal([]byte(ServiceConfig), &doc); err != nil || len(doc.MethodConfig) == 0 {
		t.Fatalf("service config does not parse or has no methodConfig: %v", err)
	}
}

func TestDialRejectsBadServiceConfig(t *testing.T) {
	if _, err := Dial("127.0.0.1:1", WithInsecure(), WithServiceConfig("{not json")); err == nil {
		t.Fatal("Dial accepted a malformed service config")
	}
	if _, err := Dial("127.0.0.1", WithInsecure()); !errors.Is(err, ErrInvalidTarget) {
		t.Fatalf("Dial accepted a target without a port: %v", err)
	}
}

func TestErrorDetailsAreExposed(t *testing.T) {
	st, err := status.New(codes.NotFound, "instance not found").WithDetails(
		&errdetails.ErrorInfo{Reason: ReasonInstanceNotFound, Domain: ErrorDomain, Metadata: map[string]string{
			"instance_id": "x1", MaxComputeCodeKey: "NoSuchObject", RequestIDKey: "5F1A",
		}},
		&errdetails.RetryInfo{RetryDelay: durationpb.New(1500 * time.Millisecond)},
		&errdetails.RequestInfo{RequestId: "gw-42"},
	)
	if err != nil {
		t.Fatal(err)
	}
	e := st.Err()
	if got := ErrorReason(e); got != "INSTANCE_NOT_FOUND" {
		t.Errorf("ErrorReason = %q, want INSTANCE_NOT_FOUND", got)
	}
	if got := MaxComputeCode(e); got != "NoSuchObject" {
		t.Errorf("MaxComputeCode = %q, want NoSuchObject", got)
	}
	if got := ErrorMetadata(e)["instance_id"]; got != "x1" {
		t.Errorf("ErrorMetadata[instance_id] = %q, want x1", got)
	}
	if RequestID(e) != "5F1A" || GatewayRequestID(e) != "gw-42" {
		t.Errorf("RequestID = %q, GatewayRequestID = %q; want 5F1A, gw-42", RequestID(e), GatewayRequestID(e))
	}
	if d, ok := RetryDelay(e); !ok || d != 1500*time.Millisecond {
		t.Errorf("RetryDelay = %v, %v; want 1.5s, true", d, ok)
	}
	if !IsNotFound(e) {
		t.Error("IsNotFound = false for NOT_FOUND")
	}
	if CodeName(codes.NotFound) != "NOT_FOUND" || CodeName(codes.Canceled) != "CANCELLED" || CodeName(codes.Code(99)) != "Code(99)" {
		t.Error("CodeName does not give canonical names")
	}
	plain := status.Error(codes.Internal, "boom")
	if ErrorReason(plain) != "" || MaxComputeCode(plain) != "" || GatewayRequestID(plain) != "" || ErrorInfo(nil) != nil || ErrorReason(os.ErrClosed) != "" {
		t.Error("errors without ErrorInfo must give an empty reason and code")
	}
}

func TestErrorReasonIsScopedToTheGatewayDomain(t *testing.T) {
	st, err := status.New(codes.NotFound, "x").WithDetails(&errdetails.ErrorInfo{Reason: "NoSuchObject", Domain: "mcgateway"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ErrorReason(st.Err()); got != "" {
		t.Errorf("ErrorReason of another domain = %q, want empty", got)
	}
	if ErrorInfo(st.Err()).GetReason() != "NoSuchObject" {
		t.Error("ErrorInfo must still expose the detail of another domain")
	}
}

// uuid4 is the canonical text form of a version 4, variant 10 UUID.
var uuid4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewRequestIDIsARandomUUID4(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewRequestID()
		if !uuid4.MatchString(id) {
			t.Fatalf("NewRequestID() = %q, not a canonical UUID4", id)
		}
		if seen[id] {
			t.Fatalf("NewRequestID() repeated %q", id)
		}
		seen[id] = true
	}
}
