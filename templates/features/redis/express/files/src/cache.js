import { Redis } from "ioredis";

/**
 * A small key-value cache of JSON values with a time to live: Redis when
 * REDIS_URL is set, else an in-memory Map (one process only; fine for
 * development and tests). Both have the same methods, every one async.
 */
export function createCache(config, logger) {
  if (config.redisUrl) return new RedisCache(config.redisUrl, config.cache, logger);
  return new MemoryCache(config.cache);
}

/** The in-memory cache: a Map with expiry times, holding at most maxEntries. */
export class MemoryCache {
  constructor({ ttl = 60, prefix = "" } = {}, { maxEntries = 10_000, now = Date.now } = {}) {
    this.kind = "memory";
    this.ttl = ttl;
    this.prefix = prefix;
    this.maxEntries = maxEntries;
    this.now = now;
    this.entries = new Map();
  }

  async ready() {}

  async get(key) {
    const entry = this.entries.get(this.prefix + key);
    if (!entry) return null;
    if (entry.expires <= this.now()) {
      this.entries.delete(this.prefix + key);
      return null;
    }
    return JSON.parse(entry.value);
  }

  async set(key, value, ttl = this.ttl) {
    this.entries.delete(this.prefix + key);
    // Maps keep insertion order: the first key is the oldest one.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value);
    this.entries.set(this.prefix + key, { value: JSON.stringify(value), expires: this.now() + ttl * 1000 });
  }

  async del(...keys) {
    for (const key of keys) this.entries.delete(this.prefix + key);
  }

  /** Adds 1 to an integer key (0 when missing) and returns the new value; it never expires. */
  async incr(key) {
    const value = ((await this.get(key)) ?? 0) + 1;
    this.entries.set(this.prefix + key, { value: JSON.stringify(value), expires: Infinity });
    return value;
  }

  async ping() {
    return "PONG";
  }

  async close() {
    this.entries.clear();
  }
}

/** The Redis cache (ioredis). Every key starts with the prefix (CACHE_PREFIX). */
export class RedisCache {
  constructor(url, { ttl = 60, prefix = "" } = {}, logger = undefined) {
    this.kind = "redis";
    this.ttl = ttl;
    this.prefix = prefix;
    this.client = new Redis(url, {
      // Fail fast while Redis is down instead of queueing commands: a cache
      // miss is better than a request waiting for a reconnection.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
    });
    // ioredis reconnects on its own; log the errors instead of crashing on them.
    this.client.on("error", (err) => logger?.warn({ err }, "redis error"));
  }

  /** Resolves once connected; rejects after timeoutMs. */
  ready(timeoutMs = 5_000) {
    if (this.client.status === "ready") return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off("ready", onReady);
        reject(new Error(`Redis not ready after ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once("ready", onReady);
    });
  }

  async get(key) {
    const value = await this.client.get(this.prefix + key);
    return value == null ? null : JSON.parse(value);
  }

  async set(key, value, ttl = this.ttl) {
    await this.client.set(this.prefix + key, JSON.stringify(value), "EX", ttl);
  }

  async del(...keys) {
    if (keys.length > 0) await this.client.del(...keys.map((key) => this.prefix + key));
  }

  async incr(key) {
    return this.client.incr(this.prefix + key);
  }

  async ping() {
    return this.client.ping();
  }

  async close() {
    if (this.client.status === "ready") await this.client.quit();
    else this.client.disconnect();
  }
}

/**
 * Read-through caching of one resource: `item(id, load)` and
 * `list(limit, offset, load)` answer from the cache or call `load` and keep
 * its result for the cache's TTL; `invalidate(id)` runs after every write.
 * The list pages share a generation number: a write bumps it, so every cached
 * page is left behind at once (to expire) without listing keys. A cache that
 * fails (Redis down) is logged and skipped: the database answers instead.
 */
export function resourceCache(cache, name, logger = undefined) {
  const itemKey = (id) => `${name}:item:${id}`;
  const generationKey = `${name}:list:generation`;

  async function cached(key, load) {
    try {
      const hit = await cache.get(key);
      if (hit != null) return { value: hit, hit: true };
    } catch (err) {
      logger?.warn({ err, key }, "cache read failed");
    }
    const value = await load();
    if (value != null) {
      try {
        await cache.set(key, value);
      } catch (err) {
        logger?.warn({ err, key }, "cache write failed");
      }
    }
    return { value, hit: false };
  }

  return {
    item: (id, load) => cached(itemKey(id), load),
    async list(limit, offset, load) {
      let generation;
      try {
        generation = (await cache.get(generationKey)) ?? 0;
      } catch (err) {
        logger?.warn({ err }, "cache read failed");
        return { value: await load(), hit: false };
      }
      return cached(`${name}:list:${generation}:${limit}:${offset}`, load);
    },
    /** Forgets one record (when id is given) and every cached list page. */
    async invalidate(id = undefined) {
      try {
        if (id != null) await cache.del(itemKey(id));
        await cache.incr(generationKey);
      } catch (err) {
        logger?.warn({ err, id }, "cache invalidation failed: entries expire after the TTL");
      }
    },
  };
}
