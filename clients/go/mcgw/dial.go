package mcgw

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	_ "embed"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

// ServiceConfig is the gRPC service config of proto/maxcompute/gateway/v1/service_config.json
// (per-method timeouts and retry policies), kept in sync by generate.sh and a test.
//
//go:embed service_config.json
var ServiceConfig string

// Option configures Dial. An option given to Dial overrides the environment variable of the same
// setting (clients/README.md).
type Option func(*dialOptions)

type dialOptions struct {
	token         string
	tokenSet      bool
	mode          TLSMode
	modeSet       bool
	modeSource    string
	tlsConfig     *tls.Config
	caFile        string
	env           func(string) string
	serviceConfig string
	extra         []grpc.DialOption
}

// WithToken sends token as `authorization: Bearer <token>` on every call, instead of
// $MCGW_TOKEN. WithToken("") sends none.
func WithToken(token string) Option {
	return func(o *dialOptions) { o.token, o.tokenSet = token, true }
}

// WithTLSMode sets when to use TLS instead of $MCGW_TLS: TLSAuto (plaintext only on loopback),
// TLSOn or TLSOff.
func WithTLSMode(mode TLSMode) Option {
	return func(o *dialOptions) { o.mode, o.modeSet, o.modeSource = mode, true, "WithTLSMode("+mode.String()+")" }
}

// WithInsecure uses plaintext whatever the target (WithTLSMode(TLSOff)), for a gateway behind a
// trusted proxy. A token is then sent in the clear, which the caller chose explicitly.
// $MCGW_CA_CERT is not read.
func WithInsecure() Option {
	return func(o *dialOptions) { o.mode, o.modeSet, o.modeSource = TLSOff, true, "WithInsecure()" }
}

// WithTLS uses TLS with the given configuration (nil: the system roots), whatever the target;
// $MCGW_CA_CERT is not read.
func WithTLS(cfg *tls.Config) Option {
	return func(o *dialOptions) {
		if cfg == nil {
			cfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		o.tlsConfig = cfg
	}
}

// WithCACert trusts the CA certificates of a PEM file instead of the system's roots, instead of
// $MCGW_CA_CERT. A CA means TLS, also on loopback.
func WithCACert(pemFile string) Option {
	return func(o *dialOptions) { o.caFile = pemFile }
}

// WithEnvironment makes Dial read MCGW_TARGET, MCGW_TOKEN, MCGW_CA_CERT and MCGW_TLS from env
// instead of the process environment; WithEnvironment(nil) reads none of them.
func WithEnvironment(env map[string]string) Option {
	return func(o *dialOptions) { o.env = func(name string) string { return env[name] } }
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
	conn   *grpc.ClientConn
	target Target
	tls    bool
	// Service is the generated stub, for RPCs and fields the helper methods do not cover.
	Service gatewayv1.InstanceServiceClient
}

// Dial creates a client of the gateway at target, "host:port" or "[v6]:port"; an empty target
// means $MCGW_TARGET, or DefaultTarget (127.0.0.1:50051) when that is unset. A target with a
// scheme or without a port is an error (ErrInvalidTarget) that says what to type instead.
//
// Settings not given as options come from the environment: the token from $MCGW_TOKEN, the CA
// from $MCGW_CA_CERT (a PEM file; it means TLS) and the TLS mode from $MCGW_TLS (auto, on or off;
// default auto: plaintext only when the target's host is loopback, TLS otherwise). The embedded
// service config gives per-method timeouts and retries of idempotent reads. Dial does not
// block: the connection is made on the first call.
func Dial(target string, opts ...Option) (*Client, error) {
	o := dialOptions{serviceConfig: ServiceConfig, env: os.Getenv}
	for _, opt := range opts {
		opt(&o)
	}
	if target == "" {
		target = o.env(EnvTarget)
	}
	if target == "" {
		target = DefaultTarget
	}
	t, err := ParseTarget(target)
	if err != nil {
		return nil, err
	}
	creds, useTLS, err := o.transport(t)
	if err != nil {
		return nil, err
	}
	token := o.token
	if !o.tokenSet {
		token = o.env(EnvToken)
	}
	dopts := []grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithDefaultServiceConfig(o.serviceConfig),
		// grpc-go waits up to 120 s between connection attempts by default; the helpers'
		// reconnects back off to 5 s, and a gateway that is back should be found as quickly.
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff:           backoff.Config{BaseDelay: time.Second, Multiplier: 1.6, Jitter: 0.2, MaxDelay: 5 * time.Second},
			MinConnectTimeout: 20 * time.Second,
		}),
	}
	if token != "" {
		dopts = append(dopts, grpc.WithPerRPCCredentials(bearer{token: token, requireTLS: useTLS}))
	}
	dopts = append(dopts, o.extra...)
	conn, err := grpc.NewClient(t.String(), dopts...)
	if err != nil {
		return nil, fmt.Errorf("mcgw: dial %s: %w", t, err)
	}
	return &Client{conn: conn, target: t, tls: useTLS, Service: gatewayv1.NewInstanceServiceClient(conn)}, nil
}

// transport decides TLS or plaintext for t (clients/README.md, "TLS: auto by default").
func (o *dialOptions) transport(t Target) (credentials.TransportCredentials, bool, error) {
	mode, modeSource := o.mode, o.modeSource
	explicitOff := o.modeSet && o.mode == TLSOff
	if !o.modeSet {
		if v := o.env(EnvTLS); v != "" {
			m, err := ParseTLSMode(v)
			if err != nil {
				return nil, false, fmt.Errorf("mcgw: %s=%q: want auto, on or off", EnvTLS, v)
			}
			mode, modeSource = m, EnvTLS+"="+v
		}
	}
	caFile, caSource := o.caFile, "WithCACert"
	if caFile == "" && o.tlsConfig == nil && !explicitOff {
		caFile, caSource = o.env(EnvCACert), EnvCACert
	}
	if mode == TLSOff && (caFile != "" || o.tlsConfig != nil) {
		if o.tlsConfig != nil {
			caSource = "WithTLS"
		}
		return nil, false, fmt.Errorf("mcgw: a CA certificate (%s) means TLS, but TLS is off (%s)", caSource, modeSource)
	}
	useTLS := mode == TLSOn || (mode == TLSAuto && (!t.IsLoopback() || caFile != "" || o.tlsConfig != nil))
	if !useTLS {
		return insecure.NewCredentials(), false, nil
	}
	cfg := o.tlsConfig
	if cfg == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
		if caFile != "" {
			pool, err := readCAFile(caFile, caSource)
			if err != nil {
				return nil, false, err
			}
			cfg.RootCAs = pool
		}
	}
	return credentials.NewTLS(cfg), true, nil
}

func readCAFile(path, source string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mcgw: reading the CA certificate (%s): %w", source, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("mcgw: no PEM certificate in %s (%s)", path, source)
	}
	return pool, nil
}

// Close closes the connection; calls in flight fail with CANCELED.
func (c *Client) Close() error { return c.conn.Close() }

// Conn is the underlying connection, for other services on the same gateway (health, reflection).
func (c *Client) Conn() *grpc.ClientConn { return c.conn }

// Target is the validated address the client dials.
func (c *Client) Target() Target { return c.target }

// TLS reports whether the client uses TLS (false: plaintext).
func (c *Client) TLS() bool { return c.tls }

// bearer is the per-call credential that carries the gateway token.
type bearer struct {
	token      string
	requireTLS bool
}

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.token}, nil
}

func (b bearer) RequireTransportSecurity() bool { return b.requireTLS }
