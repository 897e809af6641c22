package mcgw

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
	"google.golang.org/grpc/status"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

func TestParseTargetAcceptsHostPortAndBracketedIPv6(t *testing.T) {
	for given, want := range map[string]Target{
		"127.0.0.1:50051":    {"127.0.0.1", 50051},
		"localhost:1":        {"localhost", 1},
		"gw.example.com:443": {"gw.example.com", 443},
		"gw_1:65535":         {"gw_1", 65535},
		"[::1]:50051":        {"::1", 50051},
		"[fd00::2]:443":      {"fd00::2", 443},
	} {
		got, err := ParseTarget(given)
		if err != nil || got != want {
			t.Errorf("ParseTarget(%q) = %v, %v; want %v", given, got, err, want)
		}
		if got.String() != given {
			t.Errorf("ParseTarget(%q).String() = %q", given, got.String())
		}
	}
}

// docTargetRow is a row of the target validation table of clients/README.md: `given` values
// (the message is the first one's) and the message.
var docTargetRow = regexp.MustCompile("^\\| (`[^|]+`) \\| `(invalid target [^|]+)` \\|$")

// TestParseTargetRefusesWithTheDocumentedMessages checks every row of the table in
// clients/README.md: the first given value gives exactly the documented message, the others
// are refused too.
func TestParseTargetRefusesWithTheDocumentedMessages(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := 0
	for scanner := bufio.NewScanner(f); scanner.Scan(); {
		m := docTargetRow.FindStringSubmatch(scanner.Text())
		if m == nil {
			continue
		}
		rows++
		var given []string
		for _, g := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(m[1], -1) {
			given = append(given, g[1])
		}
		for i, g := range given {
			_, err := ParseTarget(g)
			if !errors.Is(err, ErrInvalidTarget) {
				t.Errorf("ParseTarget(%q) = %v, want ErrInvalidTarget", g, err)
				continue
			}
			if want := "mcgw: " + m[2]; i == 0 && err.Error() != want {
				t.Errorf("ParseTarget(%q):\n got %s\nwant %s", g, err, want)
			}
		}
	}
	if rows < 6 {
		t.Fatalf("found %d rows of the target table in clients/README.md", rows)
	}
}

func TestTargetIsLoopbackAsWritten(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.255.0.9": true, "::1": true,
		"vm": false, "10.0.0.1": false, "128.0.0.1": false, "fd00::2": false, "localhost.example.com": false,
	} {
		if got := (Target{Host: host, Port: 1}).IsLoopback(); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

// writeCA writes a self-signed CA certificate as PEM and returns its path.
func writeCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDialChoosesTLSByTheConventions(t *testing.T) {
	ca := writeCA(t)
	cases := []struct {
		name   string
		target string
		env    map[string]string
		opts   []Option
		tls    bool
	}{
		{"auto: loopback IPv4 is plaintext", "127.0.0.1:1", nil, nil, false},
		{"auto: 127/8 is plaintext", "127.9.9.9:1", nil, nil, false},
		{"auto: localhost is plaintext", "localhost:1", nil, nil, false},
		{"auto: ::1 is plaintext", "[::1]:1", nil, nil, false},
		{"auto: a name is TLS", "gw.example.com:443", nil, nil, true},
		{"auto: a host name that resolves to loopback is still TLS", "vm:1", nil, nil, true},
		{"auto: another address is TLS", "10.0.0.1:1", nil, nil, true},
		{"MCGW_TLS=on forces TLS on loopback", "127.0.0.1:1", map[string]string{EnvTLS: "on"}, nil, true},
		{"MCGW_TLS=OFF forces plaintext", "gw.example.com:1", map[string]string{EnvTLS: "OFF"}, nil, false},
		{"MCGW_TLS=auto", "gw.example.com:1", map[string]string{EnvTLS: "auto"}, nil, true},
		{"MCGW_CA_CERT means TLS on loopback", "127.0.0.1:1", map[string]string{EnvCACert: ca}, nil, true},
		{"WithCACert means TLS on loopback", "127.0.0.1:1", nil, []Option{WithCACert(ca)}, true},
		{"WithTLSMode beats MCGW_TLS", "127.0.0.1:1", map[string]string{EnvTLS: "off"}, []Option{WithTLSMode(TLSOn)}, true},
		{"WithInsecure does not read MCGW_CA_CERT", "gw:1", map[string]string{EnvCACert: ca}, []Option{WithInsecure()}, false},
		{"WithTLS", "127.0.0.1:1", nil, []Option{WithTLS(nil)}, true},
	}
	for _, tc := range cases {
		c, err := Dial(tc.target, append([]Option{WithEnvironment(tc.env)}, tc.opts...)...)
		if err != nil {
			t.Errorf("%s: Dial: %v", tc.name, err)
			continue
		}
		if c.TLS() != tc.tls {
			t.Errorf("%s: TLS() = %v, want %v", tc.name, c.TLS(), tc.tls)
		}
		c.Close()
	}
}

func TestDialRefusesContradictoryOrBrokenSettings(t *testing.T) {
	ca := writeCA(t)
	cases := []struct {
		name string
		env  map[string]string
		opts []Option
		want string
	}{
		{"bad MCGW_TLS", map[string]string{EnvTLS: "yes"}, nil, `MCGW_TLS="yes": want auto, on or off`},
		{"MCGW_CA_CERT with MCGW_TLS=off", map[string]string{EnvTLS: "off", EnvCACert: ca}, nil, "a CA certificate (MCGW_CA_CERT) means TLS, but TLS is off (MCGW_TLS=off)"},
		{"WithCACert with WithInsecure", nil, []Option{WithInsecure(), WithCACert(ca)}, "a CA certificate (WithCACert) means TLS, but TLS is off (WithInsecure())"},
		{"missing CA file", map[string]string{EnvCACert: ca + ".missing"}, nil, "reading the CA certificate (MCGW_CA_CERT)"},
		{"invalid MCGW_TARGET", map[string]string{EnvTarget: "https://gw:443"}, nil, `invalid target "https://gw:443": remove the scheme`},
	}
	for _, tc := range cases {
		_, err := Dial("", append([]Option{WithEnvironment(tc.env)}, tc.opts...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Dial error = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestDialTakesTheTargetFromTheEnvironment(t *testing.T) {
	c, err := Dial("", WithEnvironment(map[string]string{EnvTarget: "[::1]:7"}))
	if err != nil || c.Target().String() != "[::1]:7" {
		t.Fatalf("Dial(\"\") with MCGW_TARGET = %v, %v", c, err)
	}
	c.Close()
	c, err = Dial("", WithEnvironment(nil))
	if err != nil || c.Target().String() != DefaultTarget {
		t.Fatalf("Dial(\"\") without MCGW_TARGET = %v, %v; want %s", c, err, DefaultTarget)
	}
	c.Close()
	c, err = Dial("127.0.0.1:9", WithEnvironment(map[string]string{EnvTarget: "[::1]:7"}))
	if err != nil || c.Target().String() != "127.0.0.1:9" {
		t.Fatalf("an explicit target must beat MCGW_TARGET: %v, %v", c, err)
	}
	c.Close()
}

// authServer answers GetInstance with the authorization header it received as the instance id.
type authServer struct {
	gatewayv1.UnimplementedInstanceServiceServer
}

func (authServer) GetInstance(ctx context.Context, _ *gatewayv1.GetInstanceRequest) (*gatewayv1.Instance, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	return &gatewayv1.Instance{InstanceId: strings.Join(md.Get("authorization"), ",")}, nil
}

func serve(t *testing.T, srv gatewayv1.InstanceServiceServer) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	gatewayv1.RegisterInstanceServiceServer(s, srv)
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	return lis.Addr().String()
}

func TestTokenComesFromTheEnvironmentUnlessGiven(t *testing.T) {
	addr := serve(t, authServer{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, tc := range []struct {
		opts []Option
		want string
	}{
		{[]Option{WithEnvironment(map[string]string{EnvToken: "from-env"})}, "Bearer from-env"},
		{[]Option{WithEnvironment(map[string]string{EnvToken: "from-env"}), WithToken("given")}, "Bearer given"},
		{[]Option{WithEnvironment(map[string]string{EnvToken: "from-env"}), WithToken("")}, ""},
	} {
		c, err := Dial(addr, tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := c.GetInstance(ctx, "", "x")
		c.Close()
		if err != nil || inst.GetInstanceId() != tc.want {
			t.Errorf("authorization = %q, %v; want %q", inst.GetInstanceId(), err, tc.want)
		}
	}
}

// TestAutoUsesTLSForANonLoopbackName dials a name that is not loopback but reaches a plaintext
// server on loopback (a resolver of this test maps it there): auto chooses TLS, whose handshake
// the plaintext server cannot answer; MCGW_TLS=off gets through.
func TestAutoUsesTLSForANonLoopbackName(t *testing.T) {
	addr := serve(t, authServer{})
	_, port, _ := net.SplitHostPort(addr)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, tc := range []struct {
		env  map[string]string
		code codes.Code
	}{{nil, codes.Unavailable}, {map[string]string{EnvTLS: "off"}, codes.OK}} {
		r := manual.NewBuilderWithScheme("dns")
		r.InitialState(resolver.State{Addresses: []resolver.Address{{Addr: addr}}})
		c, err := Dial("gateway.test:"+port, WithEnvironment(tc.env), WithDialOptions(grpc.WithResolvers(r)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetInstance(ctx, "", "x")
		c.Close()
		if status.Code(err) != tc.code {
			t.Errorf("env %v: GetInstance error %v, want code %v", tc.env, err, tc.code)
		}
	}
}
