package mcgw

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// DefaultTarget is the gateway address used when neither Dial's target nor MCGW_TARGET gives one.
const DefaultTarget = "127.0.0.1:50051"

// The environment variables every mcgateway client reads (clients/README.md).
const (
	EnvTarget = "MCGW_TARGET"  // host:port of the gateway
	EnvToken  = "MCGW_TOKEN"   // bearer token
	EnvCACert = "MCGW_CA_CERT" // PEM file of the CA(s) to trust; implies TLS
	EnvTLS    = "MCGW_TLS"     // auto (default), on or off
)

// ErrInvalidTarget is the error (under errors.Is) of a target that is not host:port or
// [v6]:port.
var ErrInvalidTarget = errors.New("invalid target")

// Target is a validated gateway address.
type Target struct {
	Host string // a DNS name, an IPv4 address or an IPv6 address (without brackets)
	Port int
}

// String is the target as grpc-go dials it: host:port, or [v6]:port.
func (t Target) String() string {
	return net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
}

// IsLoopback reports whether the host, as written, is loopback: "localhost" (any case), an IPv4
// address in 127.0.0.0/8 or ::1. Names are never resolved.
func (t Target) IsLoopback() bool {
	if strings.EqualFold(t.Host, "localhost") {
		return true
	}
	ip := net.ParseIP(t.Host)
	if ip == nil {
		return false
	}
	if strings.Contains(t.Host, ":") {
		return ip.Equal(net.IPv6loopback)
	}
	return ip.To4()[0] == 127
}

var (
	schemeRE   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)
	hostnameRE = regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$`)
)

func targetError(given, problem string) error {
	return fmt.Errorf("mcgw: %w %q: %s", ErrInvalidTarget, given, problem)
}

// ParseTarget validates a gateway address: host:port (a DNS name or an IPv4 address) or
// [v6]:port, with a port from 1 to 65535. A scheme ("http://..."), a missing port, an
// unbracketed IPv6 address or a malformed host give an error that says what to type instead.
func ParseTarget(s string) (Target, error) {
	if m := schemeRE.FindString(s); m != "" {
		rest := strings.TrimSuffix(s[len(m):], "/")
		return Target{}, targetError(s, fmt.Sprintf(
			"remove the scheme %q and give host:port, for example %s (TLS is chosen by MCGW_TLS, not by the scheme)",
			m, rest))
	}
	var host, port string
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.Index(s, "]")
		if end < 0 {
			return Target{}, targetError(s, `"[" without "]"; give [v6]:port, for example [::1]:50051`)
		}
		host = s[1:end]
		rest := s[end+1:]
		if rest == "" {
			return Target{}, targetError(s, "missing port; give host:port, for example "+s+":443")
		}
		if !strings.HasPrefix(rest, ":") {
			return Target{}, targetError(s, "give [v6]:port, for example [::1]:50051")
		}
		port = rest[1:]
		if ip := net.ParseIP(host); ip == nil || !strings.Contains(host, ":") {
			return Target{}, targetError(s, fmt.Sprintf("%q is not an IPv6 address", host))
		}
	case strings.Count(s, ":") > 1:
		return Target{}, targetError(s, "put an IPv6 address in brackets, for example [::1]:50051")
	case !strings.Contains(s, ":"):
		if s == "" {
			return Target{}, targetError(s, "missing host; give host:port, for example 127.0.0.1:50051")
		}
		return Target{}, targetError(s, "missing port; give host:port, for example "+s+":443")
	default:
		i := strings.LastIndex(s, ":")
		host, port = s[:i], s[i+1:]
		if host == "" {
			return Target{}, targetError(s, "missing host; give host:port, for example 127.0.0.1:50051")
		}
		if net.ParseIP(host) == nil && !hostnameRE.MatchString(host) {
			return Target{}, targetError(s, fmt.Sprintf("%q is not a host name or an IP address", host))
		}
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || strings.TrimLeft(port, "0123456789") != "" {
		return Target{}, targetError(s, "the port must be a number from 1 to 65535")
	}
	return Target{Host: host, Port: n}, nil
}

// TLSMode says when Dial uses TLS.
type TLSMode int

const (
	// TLSAuto (the default) uses plaintext only when the target's host is loopback
	// (Target.IsLoopback) and no CA was given, and TLS otherwise.
	TLSAuto TLSMode = iota
	// TLSOn always uses TLS.
	TLSOn
	// TLSOff always uses plaintext.
	TLSOff
)

// String is the mode as MCGW_TLS spells it: auto, on or off.
func (m TLSMode) String() string {
	switch m {
	case TLSAuto:
		return "auto"
	case TLSOn:
		return "on"
	case TLSOff:
		return "off"
	}
	return fmt.Sprintf("TLSMode(%d)", int(m))
}

// ParseTLSMode reads auto, on or off (any case).
func ParseTLSMode(s string) (TLSMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "auto":
		return TLSAuto, nil
	case "on":
		return TLSOn, nil
	case "off":
		return TLSOff, nil
	}
	return TLSAuto, fmt.Errorf("mcgw: TLS mode %q: want auto, on or off", s)
}
