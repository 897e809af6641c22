// Where and how to connect (clients/README.md, "Connecting"): the target's validation, the TLS
// decision and the MCGW_* environment variables, with explicit options winning.
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** The gateway address used when neither `connect`'s target nor MCGW_TARGET gives one. */
export const DEFAULT_TARGET = '127.0.0.1:50051';

/** The environment variables every mcgateway client reads. */
export const ENV = Object.freeze({
  TARGET: 'MCGW_TARGET',
  TOKEN: 'MCGW_TOKEN',
  CA_CERT: 'MCGW_CA_CERT',
  TLS: 'MCGW_TLS',
});

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;

function invalid(given, problem) {
  return new TypeError(`invalid target ${JSON.stringify(given)}: ${problem}`);
}

/**
 * Validates a gateway address, `host:port` (a DNS name or an IPv4 address) or `[v6]:port` with a
 * port from 1 to 65535, and returns `{ host, port }` (the host without brackets). A scheme
 * (`http://...`), a missing port, an unbracketed IPv6 address or a malformed host throws a
 * TypeError whose message says what to type instead.
 */
export function parseTarget(s) {
  const scheme = SCHEME.exec(s);
  if (scheme) {
    const rest = s.slice(scheme[0].length).replace(/\/$/, '');
    throw invalid(
      s,
      `remove the scheme ${JSON.stringify(scheme[0])} and give host:port, for example ${rest} (TLS is chosen by MCGW_TLS, not by the scheme)`,
    );
  }
  let host;
  let port;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) throw invalid(s, '"[" without "]"; give [v6]:port, for example [::1]:50051');
    host = s.slice(1, end);
    const rest = s.slice(end + 1);
    if (rest === '') throw invalid(s, `missing port; give host:port, for example ${s}:443`);
    if (!rest.startsWith(':')) throw invalid(s, 'give [v6]:port, for example [::1]:50051');
    port = rest.slice(1);
    if (net.isIP(host) !== 6) throw invalid(s, `${JSON.stringify(host)} is not an IPv6 address`);
  } else if (s.indexOf(':') !== s.lastIndexOf(':')) {
    throw invalid(s, 'put an IPv6 address in brackets, for example [::1]:50051');
  } else if (!s.includes(':')) {
    if (s === '') throw invalid(s, 'missing host; give host:port, for example 127.0.0.1:50051');
    throw invalid(s, `missing port; give host:port, for example ${s}:443`);
  } else {
    const i = s.lastIndexOf(':');
    host = s.slice(0, i);
    port = s.slice(i + 1);
    if (host === '') throw invalid(s, 'missing host; give host:port, for example 127.0.0.1:50051');
    if (net.isIP(host) !== 4 && !HOSTNAME.test(host)) {
      throw invalid(s, `${JSON.stringify(host)} is not a host name or an IP address`);
    }
  }
  const n = Number(port);
  if (!/^[0-9]{1,5}$/.test(port) || n < 1 || n > 65535) {
    throw invalid(s, 'the port must be a number from 1 to 65535');
  }
  return { host, port: n };
}

/** `host:port`, or `[v6]:port`. */
export function formatTarget({ host, port }) {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Whether a host, as written, is loopback: `localhost` (any case), an IPv4 address in
 * 127.0.0.0/8 or `::1`. Names are never resolved.
 */
export function isLoopback(host) {
  if (host.toLowerCase() === 'localhost') return true;
  if (net.isIP(host) === 4) return host.split('.')[0] === '127';
  if (net.isIP(host) === 6) {
    const list = new net.BlockList();
    list.addAddress('::1', 'ipv6');
    return list.check(host, 'ipv6');
  }
  return false;
}

/** Reads `auto`, `on` or `off` (any case); throws a TypeError otherwise. */
export function parseTlsMode(value) {
  const mode = String(value).trim().toLowerCase();
  if (mode === 'auto' || mode === 'on' || mode === 'off') return mode;
  throw new TypeError(`TLS mode ${JSON.stringify(value)}: want auto, on or off`);
}

/**
 * Resolves `connect`'s target and options against the environment: the validated target, whether
 * to use TLS, the CA (PEM Buffer) to trust and the token. Options win over their variables.
 */
export function resolveConnection(target, options = {}) {
  const env = options.env ?? process.env;
  const read = (name) => (env[name] ? String(env[name]) : undefined);
  const address = target || read(ENV.TARGET) || DEFAULT_TARGET;
  const parsed = parseTarget(address);

  let mode;
  let modeSource;
  if (options.tls !== undefined) {
    mode = typeof options.tls === 'boolean' ? (options.tls ? 'on' : 'off') : parseTlsMode(options.tls);
    modeSource = `tls: '${mode}'`;
  } else if (options.insecure) {
    mode = 'off';
    modeSource = 'insecure: true';
  }
  const explicitOff = mode === 'off';
  if (mode === undefined) {
    const value = read(ENV.TLS);
    if (value === undefined) {
      mode = 'auto';
    } else {
      try {
        mode = parseTlsMode(value);
      } catch {
        throw new TypeError(`${ENV.TLS}=${JSON.stringify(value)}: want auto, on or off`);
      }
      modeSource = `${ENV.TLS}=${value}`;
    }
  }
  let rootCerts = options.rootCerts;
  const caFile = rootCerts === undefined && !explicitOff ? read(ENV.CA_CERT) : undefined;
  if (mode === 'off' && (rootCerts !== undefined || caFile !== undefined)) {
    const caSource = caFile !== undefined ? ENV.CA_CERT : 'rootCerts';
    throw new TypeError(`a CA certificate (${caSource}) means TLS, but TLS is off (${modeSource})`);
  }
  if (caFile !== undefined) {
    try {
      rootCerts = readFileSync(caFile);
    } catch (err) {
      throw new Error(`reading the CA certificate (${ENV.CA_CERT}): ${err.message}`, { cause: err });
    }
  }
  const useTls = mode === 'on' || (mode === 'auto' && (!isLoopback(parsed.host) || rootCerts !== undefined));
  // undefined: not given, so MCGW_TOKEN; '' or null: explicitly none.
  const token = options.token !== undefined ? options.token || undefined : read(ENV.TOKEN);
  return { target: formatTarget(parsed), host: parsed.host, port: parsed.port, useTls, rootCerts, token };
}
