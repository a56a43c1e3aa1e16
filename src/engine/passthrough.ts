import type { ProviderAdapter } from '../../providers/adapter.js';

/**
 * Whether a request in the client's wire format (a surface's `wire`) goes to this adapter's
 * upstream untouched — bytes forwarded, the response only observed — instead of translated.
 * The one place the engine asks (docs/architecture.md §2).
 */
export function passesThrough(adapter: ProviderAdapter, wire: string | undefined): boolean {
  return wire !== undefined && adapter.passThrough !== undefined && adapter.passThrough.includes(wire);
}
