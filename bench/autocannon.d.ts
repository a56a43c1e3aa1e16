// autocannon ships no types; the bench uses a small part of its API.
declare module 'autocannon' {
  interface Histogram { average: number; p50: number; p99: number; total: number }
  interface Result { requests: Histogram; latency: Histogram; non2xx: number; errors: number }
  interface Options { url: string; method?: string; body?: string; headers?: Record<string, string>; connections?: number; duration?: number }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
