// Tests share the benchmarks' Redis helpers (scripts/lib/redis.ts).
export * from '../../scripts/lib/redis.ts';
