/**
 * The node names of a GLB file (binary glTF 2.0), read from its JSON chunk without decoding
 * anything else; [] when the bytes are not a readable GLB (the server says what is wrong).
 */
export function glbNodeNames(bytes: ArrayBuffer): string[] {
  if (bytes.byteLength < 20) return [];
  const v = new DataView(bytes);
  // 'glTF' magic, then version, length; the first chunk must be JSON ('JSON' = 0x4e4f534a).
  if (v.getUint32(0, true) !== 0x46546c67 || v.getUint32(16, true) !== 0x4e4f534a) return [];
  const length = v.getUint32(12, true);
  if (20 + length > bytes.byteLength) return [];
  try {
    const json = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes, 20, length))) as {
      nodes?: { name?: unknown }[];
    };
    const names = (Array.isArray(json.nodes) ? json.nodes : [])
      .map((n) => n?.name)
      .filter((n): n is string => typeof n === 'string' && n.length > 0);
    return [...new Set(names)];
  } catch {
    return [];
  }
}
