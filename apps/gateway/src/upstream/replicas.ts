import { Pool } from "undici";

/** One process of a service and its keep-alive connection pool. */
export interface Replica {
  readonly origin: string;
  readonly pool: Pool;
  /** Epoch ms until which the replica is left out of the rotation; 0 when healthy. */
  downUntil: number;
}

/** Options of {@link createReplicaSet}. */
export interface ReplicaSetOptions {
  connections: number;
  connectTimeoutMs: number;
  ejectMs: number;
  now?: () => number;
}

/**
 * The replicas of one service behind the gateway, picked round-robin. A replica
 * that failed to connect or answer in time is skipped for `ejectMs`; when every
 * replica is out, the one due back first is tried anyway, so a recovered
 * service is noticed without waiting out the whole period.
 */
export interface ReplicaSet {
  readonly name: string;
  readonly replicas: readonly Replica[];
  pick(): Replica;
  /** Takes a replica out of the rotation for a while. */
  eject(replica: Replica): void;
  /** Puts a replica back after a successful exchange. */
  restore(replica: Replica): void;
  close(): Promise<void>;
}

export function createReplicaSet(
  name: string,
  urls: readonly string[],
  options: ReplicaSetOptions,
): ReplicaSet {
  if (urls.length === 0) throw new Error(`${name}: no upstream URL`);
  const now = options.now ?? Date.now;
  const replicas: Replica[] = urls.map((url) => {
    const origin = new URL(url).origin;
    return {
      origin,
      // Idle sockets close before the services' 30 s keep-alive timeout, so the
      // pool never writes on a socket the server has just dropped.
      pool: new Pool(origin, {
        connections: options.connections,
        pipelining: 1,
        keepAliveTimeout: 10_000,
        keepAliveMaxTimeout: 20_000,
        connect: { timeout: options.connectTimeoutMs },
      }),
      downUntil: 0,
    };
  });
  let next = 0;

  function pick(): Replica {
    if (replicas.length === 1) return replicas[0]!;
    const at = now();
    let soonest = replicas[0]!;
    for (let i = 0; i < replicas.length; i++) {
      const replica = replicas[(next + i) % replicas.length]!;
      if (replica.downUntil <= at) {
        next = (next + i + 1) % replicas.length;
        return replica;
      }
      if (replica.downUntil < soonest.downUntil) soonest = replica;
    }
    return soonest;
  }

  return {
    name,
    replicas,
    pick,
    eject(replica) {
      replica.downUntil = now() + options.ejectMs;
    },
    restore(replica) {
      if (replica.downUntil !== 0) replica.downUntil = 0;
    },
    async close() {
      await Promise.all(replicas.map((replica) => replica.pool.destroy()));
    },
  };
}
