/**
 * The origin allowlist. A browser names the page that makes a request in the Origin header; the
 * server refuses matchmaking and the game socket to pages it does not know, so another site cannot
 * put its visitors into our rooms. Non-browser clients send no Origin (and could forge any), so a
 * request without one is allowed: this protects browsers, it does not authenticate clients.
 * The server's own pages (Origin host = Host header) are always allowed.
 */
import { normalOrigin } from './config';

export class OriginPolicy {
  /** `allowed` undefined: every origin is allowed. */
  constructor(readonly allowed: readonly string[] | undefined) {}

  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined || this.allowed === undefined) return true;
    // Opaque origins ("null": sandboxed frames, file://) and anything unparsable are refused.
    const normal = normalOrigin(origin);
    if (normal === undefined) return false;
    if (this.allowed.includes(normal)) return true;
    return host !== undefined && new URL(normal).host === host.toLowerCase();
  }
}
