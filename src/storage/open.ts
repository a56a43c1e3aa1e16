/**
 * Opening the store named by the storage URL, and the usage ledger over it: the one place the
 * server picks a dialect. Only SQLite is implemented (./sqlite/); `postgres://` is refused there.
 */
export { openStorage, type Storage } from './sqlite/open.js';
export { createLedger, type Ledger, type LedgerOptions } from './sqlite/ledger.js';
