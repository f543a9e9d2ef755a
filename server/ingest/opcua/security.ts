import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OPCUACertificateManager } from 'node-opcua';
import type { OpcuaSource } from '../../../protocol';

/**
 * Security of the OPC UA client: its own certificate and the list of servers it trusts live in
 * `<dataDir>/pki/opcua` (own/, trusted/, rejected/, issuers/), created on first start. Unknown
 * server certificates are never accepted by themselves: they land in `rejected/` and a person
 * moves them to `trusted/certs/`. Sign and SignAndEncrypt use Basic256Sha256, the policy every
 * current server offers (Basic128Rsa15 and Basic256 are deprecated).
 */

/** The client's PKI folder under the data directory. */
export function pkiDir(dataDir: string): string {
  return join(dataDir, 'pki', 'opcua');
}

/** Opens (and on first start creates) the certificate store of the client. */
export async function openCertificateManager(
  ua: { OPCUACertificateManager: typeof OPCUACertificateManager },
  dir: string,
): Promise<OPCUACertificateManager> {
  mkdirSync(dir, { recursive: true });
  const cm = new ua.OPCUACertificateManager({
    rootFolder: dir,
    automaticallyAcceptUnknownCertificate: false,
  });
  await cm.initialize();
  return cm;
}

/** The security policy URI for a security mode (None only when the file asks for it). */
export function securityPolicyFor(mode: OpcuaSource['securityMode']): string {
  return mode === 'None'
    ? 'http://opcfoundation.org/UA/SecurityPolicy#None'
    : 'http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256';
}

/**
 * The password of a source, from the environment or a file (never from the sources file), read at
 * start so that a missing one stops the server with a clear error.
 */
export function opcuaPassword(
  s: OpcuaSource,
  env: NodeJS.ProcessEnv,
): { ok: true; password: string | undefined } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const at = `source "${s.id}"`;
  if (s.passwordEnv && s.passwordFile) errors.push(`${at}: give passwordEnv or passwordFile, not both`);
  if ((s.passwordEnv || s.passwordFile) && !s.username)
    errors.push(`${at}: passwordEnv/passwordFile need a username`);
  if (s.username && !s.passwordEnv && !s.passwordFile)
    errors.push(`${at}: username needs passwordEnv or passwordFile`);
  let password: string | undefined;
  if (!errors.length && s.passwordEnv) {
    password = env[s.passwordEnv];
    if (password === undefined) errors.push(`${at}: environment variable ${s.passwordEnv} is not set`);
  } else if (!errors.length && s.passwordFile) {
    try {
      password = readFileSync(s.passwordFile, 'utf8').trim();
    } catch (err) {
      errors.push(
        `${at}: passwordFile ${s.passwordFile}: cannot read file (${(err as NodeJS.ErrnoException).code})`,
      );
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, password };
}

/**
 * What a failed connection attempt tells the user. An untrusted server certificate names the folder
 * it was put in and where to move it; the rest keep node-opcua's message (first line).
 */
export function connectErrorText(err: unknown, endpoint: string, dir: string): string {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300);
  if (/BadCertificateUntrusted|BadSecurityChecksFailed.*trust/i.test(msg))
    return (
      `server certificate of ${endpoint} is not trusted: it was saved in ${join(dir, 'rejected')}; ` +
      `if it is your server's, move it to ${join(dir, 'trusted', 'certs')} (the twin retries by itself)`
    );
  if (/BadCertificate/i.test(msg)) return `server certificate of ${endpoint} refused: ${msg}`;
  if (/BadUserAccessDenied|BadIdentityTokenInvalid|BadIdentityTokenRejected/i.test(msg))
    return `${endpoint} refused the user name or password: ${msg}`;
  return `cannot connect to ${endpoint}: ${msg}`;
}
