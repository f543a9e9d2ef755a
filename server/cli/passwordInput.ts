/** Reading a password without showing it. */

/** Most bytes read from standard input for a password (the rule allows 200 characters). */
const MAX_STDIN_BYTES = 4096;

/**
 * The password on standard input (`--password-stdin`): all of it, less one trailing newline
 * (`echo` adds one), so a password may still end in spaces.
 */
export async function readPasswordStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > MAX_STDIN_BYTES)
      throw new Error(`the password on standard input is over ${MAX_STDIN_BYTES} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * Asks for a password on the terminal with echo off (raw mode: each key is read here and nothing is
 * printed back). Enter ends it, Backspace deletes, Ctrl-C or Ctrl-D gives up. The prompt goes to
 * stderr so that stdout stays clean for scripts.
 */
export function readPasswordTty(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    // Echo off before the prompt shows, so nothing typed after it is ever echoed.
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    let value = '';
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new Error('cancelled; nothing changed'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}
