package mcgw

import (
	"context"
	"crypto/tls"
	_ "embed"
	"errors"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

// ServiceConfig is the gRPC service config of proto/maxcompute/gateway/v1/service_config.json
// (per-method timeouts and retry policies), kept in sync by generate.sh and a test.
//
//go:embed service_config.json
var ServiceConfig string

// Option configures Dial.
type Option func(*dialOptions)

type dialOptions struct {
	token         string
	tlsConfig     *tls.Config
	insecure      bool
	serviceConfig string
	extra         []grpc.DialOption
}

// WithToken sends token as `authorization: Bearer <token>` on every call.
func WithToken(token string) Option {
	return func(o *dialOptions) { o.token = token }
}

// WithTLS uses TLS with the given configuration (nil means the system roots). TLS with the
// system roots is the default unless WithInsecure is given.
func WithTLS(cfg *tls.Config) Option {
	return func(o *dialOptions) {
		if cfg == nil {
			cfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		o.tlsConfig = cfg
		o.insecure = false
	}
}

// WithInsecure uses plaintext, for a gateway on loopback or behind a trusted proxy. A token
// given with WithToken is then sent in the clear, which the caller chose explicitly.
func WithInsecure() Option {
	return func(o *dialOptions) { o.insecure = true }
}

// WithServiceConfig replaces the embedded service config with another JSON document.
func WithServiceConfig(json string) Option {
	return func(o *dialOptions) { o.serviceConfig = json }
}

// WithDialOptions appends raw grpc-go dial options (interceptors, keepalive, ...).
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(o *dialOptions) { o.extra = append(o.extra, opts...) }
}

// Client is a connection to the gateway. It is safe for concurrent use; Close it when done.
type Client struct {
	conn *grpc.ClientConn
	// Service is the generated stub, for RPCs and fields the helper methods do not cover.
	Service gatewayv1.InstanceServiceClient
}

// Dial creates a client for target ("host:port" or any grpc-go target). It does not block:
// the connection is made on the first call.
func Dial(target string, opts ...Option) (*Client, error) {
	o := dialOptions{serviceConfig: ServiceConfig}
	for _, opt := range opts {
		opt(&o)
	}
	if target == "" {
		return nil, errors.New("mcgw: empty target")
	}
	var creds credentials.TransportCredentials
	if o.insecure {
		creds = insecure.NewCredentials()
	} else {
		cfg := o.tlsConfig
		if cfg == nil {
			cfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		creds = credentials.NewTLS(cfg)
	}
	dopts := []grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithDefaultServiceConfig(o.serviceConfig),
	}
	if o.token != "" {
		dopts = append(dopts, grpc.WithPerRPCCredentials(bearer{token: o.token, requireTLS: !o.insecure}))
	}
	dopts = append(dopts, o.extra...)
	conn, err := grpc.NewClient(target, dopts...)
	if err != nil {
		return nil, fmt.Errorf("mcgw: dial %s: %w", target, err)
	}
	return &Client{conn: conn, Service: gatewayv1.NewInstanceServiceClient(conn)}, nil
}

// Close closes the connection; calls in flight fail with CANCELED.
func (c *Client) Close() error { return c.conn.Close() }

// Conn is the underlying connection, for other services on the same gateway (health, reflection).
func (c *Client) Conn() *grpc.ClientConn { return c.conn }

// bearer is the per-call credential that carries the gateway token.
type bearer struct {
	token      string
	requireTLS bool
}

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.token}, nil
}

func (b bearer) RequireTransportSecurity() bool { return b.requireTLS }
