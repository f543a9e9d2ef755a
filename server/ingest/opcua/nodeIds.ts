import type { NodeId } from 'node-opcua';

/**
 * Node ids of the sources file: `nsu=URI;s=Name` (also `i=`, `g=`, `b=`), always with the
 * namespace URI. A server numbers its namespaces in its NamespaceArray, and that numbering may
 * change when the server is updated or restarted, so the index is looked up after each connection.
 */

/** Identifier types of OPC UA node ids (OPC UA Part 6, 5.3.1.10). */
export type NodeIdKind = 's' | 'i' | 'g' | 'b';

/** A node id of the file, parsed but not yet resolved against a server. */
export interface NsuNodeId {
  /** The text as written in the file (used in messages). */
  text: string;
  uri: string;
  kind: NodeIdKind;
  id: string;
}

const NSU = /^nsu=([^;]+);([sigb])=(.+)$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Largest numeric identifier (UInt32). */
const MAX_NUMERIC_ID = 0xffffffff;

/** Parses `nsu=URI;s=...`; an error names what is wrong. */
export function parseNsuNodeId(text: string): { ok: true; node: NsuNodeId } | { ok: false; error: string } {
  const m = NSU.exec(text);
  if (!m)
    return { ok: false, error: `"${text}" is not a node id nsu=URI;s=... (a namespace URI, never an index)` };
  const [, uri, kind, id] = m;
  if (kind === 'i' && !(/^\d{1,10}$/.test(id) && Number(id) <= MAX_NUMERIC_ID))
    return { ok: false, error: `"${text}": i= expects a whole number 0..${MAX_NUMERIC_ID}` };
  if (kind === 'g' && !GUID.test(id)) return { ok: false, error: `"${text}": g= expects a GUID` };
  if (kind === 'b' && !BASE64.test(id)) return { ok: false, error: `"${text}": b= expects base64` };
  return { ok: true, node: { text, uri, kind: kind as NodeIdKind, id } };
}

/** What building a NodeId needs of node-opcua (passed in: node-opcua is loaded only when used). */
export interface NodeIdFactory {
  NodeId: typeof NodeId;
}

/**
 * The node's NodeId on a server with this NamespaceArray, or null when the server does not know
 * the namespace URI.
 */
export function resolveNodeId(ua: NodeIdFactory, n: NsuNodeId, namespaces: readonly string[]): NodeId | null {
  const ns = namespaces.indexOf(n.uri);
  if (ns < 0) return null;
  const T = ua.NodeId.NodeIdType;
  switch (n.kind) {
    case 's':
      return new ua.NodeId(T.STRING, n.id, ns);
    case 'i':
      return new ua.NodeId(T.NUMERIC, Number(n.id), ns);
    case 'g':
      return new ua.NodeId(T.GUID, n.id, ns);
    case 'b':
      return new ua.NodeId(T.BYTESTRING, Buffer.from(n.id, 'base64'), ns);
  }
}
