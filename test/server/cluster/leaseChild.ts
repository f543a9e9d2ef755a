/**
 * A plant owner in a process of its own, for lease.test.ts to pause (SIGSTOP) and resume.
 * argv: redisUrl plant nodeId ttlMs renewEveryMs. Prints one JSON line per event:
 * acquired/lost (from the lease loop), published/refused (each publish attempt, every 20 ms,
 * while it believes it owns the plant: it publishes only when stillOwner() says yes).
 */
import { Redis } from 'ioredis';
import { runLease } from '../../../server/cluster/lease';

const [url, plant, nodeId, ttl, every] = process.argv.slice(2);
const emit = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const redis = new Redis(url);
redis.on('error', () => {}); // reconnects on its own; the lease loop reports what matters
let believesOwner = false;
const runner = runLease({
  redis,
  plant,
  nodeId,
  ttlMs: Number(ttl),
  renewEveryMs: Number(every),
  onAcquired: (token) => {
    believesOwner = true;
    emit({ event: 'acquired', token });
  },
  onLost: (reason) => {
    believesOwner = false;
    emit({ event: 'lost', reason });
  },
});
let n = 0;
setInterval(() => {
  if (!believesOwner) return;
  const token = runner.lease.token;
  if (!runner.lease.stillOwner()) {
    emit({ event: 'refused', token });
    return;
  }
  n++;
  redis.publish(`plant-twin:${plant}:test-publish`, `${token}:${n}`).catch(() => {});
  emit({ event: 'published', token, n });
}, 20);
