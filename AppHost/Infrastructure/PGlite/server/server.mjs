// PGlite (PostgreSQL 18 compiled to WASM) + pgvector, served over TCP with the
// PostgreSQL v3 wire protocol, safe for pooled clients such as Npgsql.
//
//   PGLITE_PORT=5433 PGLITE_DATA_DIR=./.data/pglite node server.mjs
//
// Environment:
//   PGLITE_PORT                   TCP port (required)
//   PGLITE_HOST                   bind address (default 127.0.0.1)
//   PGLITE_DATA_DIR               database directory, created if missing (required)
//   PGLITE_MAX_CONNECTIONS        concurrent client connections (default 64)
//   PGLITE_IDLE_TIMEOUT_MS        how long a connection may hold the engine while
//                                 idle in a transaction or mid-sequence (default 15000)
//
// Why not the stock `pglite-server` from @electric-sql/pglite-socket: PGlite is ONE
// PostgreSQL session. The stock multiplexer forwards each connection's messages as
// they arrive, so the Parse/Bind/Execute...Sync sequences of two pooled connections
// interleave and a client can get protocol errors or another connection's rows.
// Here one connection gets exclusive use of the engine for a whole unit of work:
//   * from the first message of an extended-protocol sequence up to the
//     ReadyForQuery that answers its Sync (a simple Query is a unit on its own);
//   * and, while ReadyForQuery says 'T' or 'E' (open or failed transaction), until
//     a ReadyForQuery says 'I' again.
// Other connections queue FIFO meanwhile. If the owner disconnects, errors or idles
// too long, the engine is put back to idle (Sync, ROLLBACK) and the next one runs.
// Named prepared statements and portals of the extended protocol are per connection:
// the server renames them (Parse/Bind/Describe/Close/Execute) with a prefix unique to the
// connection and closes a connection's statements when it goes away, so clients that
// prepare (JDBC, pgbench -M prepared, Npgsql Prepare()) never collide.
// What stays shared (documented limits): session SETs, SQL-level PREPARE/DEALLOCATE ALL/
// DISCARD ALL, the unnamed statement between two units of work, temp tables and
// cancellation (ignored) - so use Npgsql with `No Reset On Close=true` and
// `Maximum Pool Size=` summed below PGLITE_MAX_CONNECTIONS.

import { spawnSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- configuration
function fail(message) {
  console.error(`pglite-server: ${message}`);
  process.exit(2);
}
function intFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) fail(`${name} must be a non-negative integer, got '${raw}'`);
  return value;
}
const PORT = intFromEnv('PGLITE_PORT', undefined);
if (PORT === undefined || PORT > 65535) fail('PGLITE_PORT (TCP port) is required');
const HOST = process.env.PGLITE_HOST || '127.0.0.1';
if (!process.env.PGLITE_DATA_DIR) fail('PGLITE_DATA_DIR (database directory) is required');
const DATA_DIR = path.resolve(process.env.PGLITE_DATA_DIR);
const MAX_CONNECTIONS = intFromEnv('PGLITE_MAX_CONNECTIONS', 64);
const IDLE_TIMEOUT_MS = intFromEnv('PGLITE_IDLE_TIMEOUT_MS', 15000);

// ------------------------------------------------- self-bootstrap of node_modules
// A fresh clone has no node_modules: install the pinned lock file before importing,
// and again whenever package-lock.json is newer than the last install (git pull).
// Several servers may start at once (parallel test fixtures): `npm ci` first deletes
// node_modules, so installs are serialised with a lock directory in the temp folder.
function dependenciesStale() {
  const lockFile = path.join(here, 'package-lock.json');
  const installedLock = path.join(here, 'node_modules', '.package-lock.json');
  const pglite = path.join(here, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  return !fs.existsSync(pglite) || !fs.existsSync(installedLock) ||
    fs.statSync(installedLock).mtimeMs + 1000 < fs.statSync(lockFile).mtimeMs;
}
async function ensureDependencies() {
  if (!dependenciesStale()) return;
  const key = createHash('sha1').update(here).digest('hex').slice(0, 12);
  const installLock = path.join(os.tmpdir(), `pglite-server-npm-ci-${key}.lock`);
  for (;;) {
    try { fs.mkdirSync(installLock); break; } catch (err) { if (err.code !== 'EEXIST') throw err; }
    // Someone else is installing; a lock older than 5 minutes is left over from a crash.
    try { if (Date.now() - fs.statSync(installLock).mtimeMs > 300000) fs.rmSync(installLock, { recursive: true, force: true }); } catch { /* gone */ }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  let failure = null;
  try {
    if (!dependenciesStale()) return; // installed by the instance we waited for
    console.log(`pglite-server: installing dependencies (npm ci) in ${here}`);
    const isWindows = process.platform === 'win32';
    const result = spawnSync(isWindows ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund'],
      { cwd: here, stdio: 'inherit', shell: isWindows });
    if (result.status !== 0) failure = `npm ci failed (${result.error?.message ?? `exit code ${result.status}`})`;
  } finally {
    fs.rmSync(installLock, { recursive: true, force: true });
  }
  if (failure) fail(failure);
}
await ensureDependencies();
const { PGlite } = await import('@electric-sql/pglite');
const { vector } = await import('@electric-sql/pglite-pgvector');
const { SSL_REQUEST_CODE, CANCEL_REQUEST_CODE } = await import('@electric-sql/pglite-socket');
const GSSENC_REQUEST_CODE = 80877104;
const PROTOCOL_3_0 = 196608;

// ------------------------------------------------------------------- the engine
fs.mkdirSync(DATA_DIR, { recursive: true });
const db = await PGlite.create({ dataDir: DATA_DIR, extensions: { vector } });
await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
// Values announced to every client as ParameterStatus after authentication.
const settings = (await db.query(`SELECT current_setting('server_version') AS server_version,
  current_setting('server_encoding') AS server_encoding, current_setting('DateStyle') AS "DateStyle",
  current_setting('IntervalStyle') AS "IntervalStyle", current_setting('TimeZone') AS "TimeZone",
  current_setting('integer_datetimes') AS integer_datetimes,
  current_setting('standard_conforming_strings') AS standard_conforming_strings,
  (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector`)).rows[0];
const pgvectorVersion = settings.pgvector;
delete settings.pgvector;
// From here on the engine is only driven through runEngine(): execProtocolRawStream
// leaves its data callback installed, so db.query() must not be used any more.

let sinkChunks = null;
const onRawData = (chunk) => sinkChunks?.push(Buffer.from(chunk)); // copy: WASM memory is reused
let engineBroken = false;

/** Feed raw frontend messages to the engine; returns all backend bytes it produced. */
async function runEngine(bytes) {
  // runExclusive is PGlite's own mutex: db.close() waits for a run in flight.
  return db.runExclusive(async () => {
    sinkChunks = [];
    try {
      await db.execProtocolRawStream(bytes, { onRawData });
      return Buffer.concat(sinkChunks);
    } finally {
      sinkChunks = null;
    }
  });
}

/** Transaction status of the last ReadyForQuery in a backend byte stream, or null. */
function lastReadyStatus(out) {
  let status = null;
  for (let i = 0; i + 5 <= out.length; i += 1 + out.readInt32BE(i + 1)) {
    if (out[i] === 0x5a /* Z */) status = String.fromCharCode(out[i + 5]);
  }
  return status;
}

// ------------------------------------------------------------ message builders
function message(type, body = Buffer.alloc(0)) {
  const buf = Buffer.alloc(5 + body.length);
  buf.write(type, 0, 'latin1');
  buf.writeInt32BE(4 + body.length, 1);
  body.copy(buf, 5);
  return buf;
}
const cstring = (s) => Buffer.from(`${s}\0`, 'utf8');
const int32 = (n) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const SYNC = message('S');
const ROLLBACK = message('Q', cstring('ROLLBACK'));
function errorResponse(severity, code, text) {
  return message('E', Buffer.concat([cstring(`S${severity}`), cstring(`V${severity}`),
    cstring(`C${code}`), cstring(`M${text}`), Buffer.from([0])]));
}

// COPY ... FROM STDIN hangs the WASM engine (it waits for input that never comes
// through execProtocolRaw). Cheap guard: swap a COPY statement for one that raises a
// proper error, so the engine reports it and transaction state stays correct.
const COPY_ERROR_SQL = "DO $$BEGIN RAISE EXCEPTION 'COPY is not supported by the PGlite server; use INSERT ... SELECT unnest(...)' USING ERRCODE = 'feature_not_supported'; END$$";
function guardCopy(msg) {
  const type = String.fromCharCode(msg[0]);
  if (type === 'Q') {
    const sql = msg.toString('utf8', 5, msg.length - 1);
    if (/(^|;)\s*copy\b/i.test(sql)) return message('Q', cstring(COPY_ERROR_SQL));
  } else if (type === 'P') {
    const nameEnd = msg.indexOf(0, 5);
    const sqlEnd = msg.indexOf(0, nameEnd + 1);
    if (/^\s*copy\b/i.test(msg.toString('utf8', nameEnd + 1, sqlEnd))) {
      return message('P', Buffer.concat([msg.subarray(5, nameEnd + 1), cstring(COPY_ERROR_SQL), msg.subarray(sqlEnd + 1)]));
    }
  }
  return msg;
}

// ------------------------------------------------ per-connection statement names
// Frontend messages that carry a statement or portal name. The empty name (the unnamed
// statement/portal) is left alone: PostgreSQL replaces it on every Parse/Bind anyway.
function scopedName(c, name) {
  return name.length === 0 ? name : Buffer.concat([c.namePrefix, name]);
}
/** Rewrites the statement/portal names of one frontend message into the connection's own namespace. */
function scopeNames(c, type, bytes) {
  switch (type) {
    case 'P': { // Parse: statement name, query, parameter types
      const nameEnd = bytes.indexOf(0, 5);
      const name = bytes.subarray(5, nameEnd);
      if (name.length === 0) return bytes;
      c.statements.add(name.toString('latin1'));
      return message('P', Buffer.concat([scopedName(c, name), bytes.subarray(nameEnd)]));
    }
    case 'B': { // Bind: portal name, statement name, the rest
      const portalEnd = bytes.indexOf(0, 5);
      const statementEnd = bytes.indexOf(0, portalEnd + 1);
      const portal = bytes.subarray(5, portalEnd);
      const statement = bytes.subarray(portalEnd + 1, statementEnd);
      if (portal.length === 0 && statement.length === 0) return bytes;
      return message('B', Buffer.concat([scopedName(c, portal), Buffer.from([0]),
        scopedName(c, statement), bytes.subarray(statementEnd)]));
    }
    case 'D': case 'C': { // Describe / Close: 'S' or 'P', then the name
      const nameEnd = bytes.indexOf(0, 6);
      const name = bytes.subarray(6, nameEnd);
      if (name.length === 0) return bytes;
      // A closed statement stays in c.statements: the Close may never run (connection gone first), and closing a
      // statement that does not exist is not an error, so the final cleanup may close it again.
      return message(type, Buffer.concat([bytes.subarray(5, 6), scopedName(c, name), bytes.subarray(nameEnd)]));
    }
    case 'E': { // Execute: portal name, row limit
      const nameEnd = bytes.indexOf(0, 5);
      const name = bytes.subarray(5, nameEnd);
      if (name.length === 0) return bytes;
      return message('E', Buffer.concat([scopedName(c, name), bytes.subarray(nameEnd)]));
    }
    default:
      return bytes;
  }
}
/** Close messages (plus Sync) for every named statement a connection left behind. */
function closeStatementsMessage(c) {
  const closes = [...c.statements].map((name) =>
    message('C', Buffer.concat([Buffer.from('S', 'latin1'), c.namePrefix, Buffer.from(name, 'latin1'), Buffer.from([0])])));
  return Buffer.concat([...closes, SYNC]);
}

// ------------------------------------------------------------------- the lock
// owner: the connection with exclusive use of the engine (null = free).
// waiting: FIFO of other connections that have a unit of work ready.
let owner = null;
const waiting = [];
let pumping = false;
let shuttingDown = false;
const clients = new Set();
let nextClientId = 1;

const UNIT_END = new Set(['S', 'Q', 'F']); // Sync, Query, FunctionCall: answered by ReadyForQuery

/** Ready to take the lock: has a complete unit (or a Flush that expects an answer). */
function hasRunnableWork(c) {
  if (c.closed) return c.statements.size > 0; // still has statements to deallocate
  return c.pending.some((m) => UNIT_END.has(m.type) || m.type === 'H' || m.type === 'X');
}

function schedule(c) {
  if (c !== owner && !c.queued && hasRunnableWork(c)) {
    c.queued = true;
    waiting.push(c);
  }
  pump();
}

/** Runs queued work one unit at a time until nothing can proceed. */
async function pump() {
  if (pumping || shuttingDown || engineBroken) return;
  pumping = true;
  try {
    for (;;) {
      if (shuttingDown || engineBroken) return;
      if (!owner) {
        let next;
        while ((next = waiting.shift())) {
          next.queued = false;
          if (hasRunnableWork(next)) break;
        }
        if (!next) return;
        owner = next;
      }
      const c = owner;
      clearTimeout(c.idleTimer);
      if (c.pending.length === 0) {
        if (c.closed) { await recover(c); continue; }
        // Owner is mid-sequence or inside a transaction and has sent nothing more yet:
        // everyone else waits, but not forever.
        if (IDLE_TIMEOUT_MS > 0) c.idleTimer = setTimeout(() => idleTimeout(c), IDLE_TIMEOUT_MS);
        return;
      }
      if (c.pending[0].type === 'X') { // Terminate: end the session like a backend would
        c.pending.length = 0;
        closeClient(c);
        await recover(c);
        continue;
      }
      // Take the messages up to and including the next Sync/Query (or all there is).
      const batch = [];
      let complete = false;
      while (c.pending.length && c.pending[0].type !== 'X') {
        const m = c.pending.shift();
        if (m.type === 'd' || m.type === 'c' || m.type === 'f') continue; // stray COPY data: no COPY can run
        batch.push(guardCopy(m.bytes));
        if (UNIT_END.has(m.type)) { complete = true; break; }
      }
      if (batch.length === 0) continue;
      let out;
      try {
        out = await runEngine(Buffer.concat(batch));
      } catch (err) {
        engineFailure(c, err);
        return;
      }
      send(c, out);
      const status = lastReadyStatus(out);
      if (status) c.txStatus = status;
      c.inSequence = !complete;
      if (!c.inSequence && c.txStatus === 'I') {
        owner = null; // unit done, no transaction: let the next connection in
        if (c.closed) { // gone: start no new unit for it, but deallocate its statements
          c.pending.length = 0;
          if (c.statements.size > 0 && !c.queued) { c.queued = true; waiting.push(c); }
        } else if (hasRunnableWork(c)) { c.queued = true; waiting.push(c); } // back of the queue (fair)
      }
    }
  } finally {
    pumping = false;
  }
}

/** Put the engine back to idle after its owner went away, then release the lock. */
async function recover(c) {
  try {
    if (c.inSequence) {
      c.txStatus = lastReadyStatus(await runEngine(SYNC)) ?? c.txStatus;
    }
    if (c.txStatus !== 'I') {
      const status = lastReadyStatus(await runEngine(ROLLBACK));
      console.log(`pglite-server: connection #${c.id} ended inside a transaction: rolled back (${status === 'I' ? 'ok' : `status ${status}`})`);
    }
    if (c.closed && c.statements.size > 0) { // its prepared statements die with it, as in a real backend
      await runEngine(closeStatementsMessage(c));
      c.statements.clear();
    }
  } catch (err) {
    engineFailure(c, err);
    return;
  }
  c.inSequence = false;
  c.txStatus = 'I';
  if (owner === c) owner = null;
}

function engineFailure(c, err) {
  // A WASM trap leaves the single engine unusable: fail loudly, let the host restart us.
  console.error(`pglite-server: engine failure while serving connection #${c.id}:`, err);
  engineBroken = true;
  for (const client of clients) {
    send(client, errorResponse('FATAL', 'XX000', `PGlite engine failure: ${err?.message ?? err}`));
    closeClient(client);
  }
  shutdown('engine failure', 1);
}

function idleTimeout(c) {
  if (owner !== c || c.pending.length || c.closed) return;
  console.error(`pglite-server: connection #${c.id} held the engine idle for ${IDLE_TIMEOUT_MS} ms ` +
    `(${c.inSequence ? 'mid-sequence' : 'in a transaction'}): terminating it`);
  send(c, errorResponse('FATAL', '25P03', 'terminating connection due to idle-in-transaction timeout (PGlite is a single shared session)'));
  closeClient(c);
  pump();
}

// ----------------------------------------------------------- client connections
function send(c, bytes) {
  if (bytes.length && !c.closed && c.socket.writable) c.socket.write(bytes);
}

function closeClient(c) {
  if (c.closed) return;
  c.closed = true;
  clearTimeout(c.idleTimer);
  clients.delete(c);
  c.socket.end();
  setTimeout(() => c.socket.destroy(), 1000).unref();
  // A connection that does not hold the lock has started nothing: drop its work.
  // The owner's already-received messages still run (e.g. a pipelined COMMIT
  // before Terminate), then recover() releases the engine.
  if (owner !== c) c.pending.length = 0;
}

function onConnection(socket) {
  const c = {
    id: nextClientId++, socket, buf: Buffer.alloc(0), started: false, pending: [],
    queued: false, inSequence: false, txStatus: 'I', closed: false, idleTimer: null,
    // Names of the client's named prepared statements (as the client spells them), and the
    // prefix that makes them the connection's own inside the shared session.
    statements: new Set(), namePrefix: null,
  };
  c.namePrefix = Buffer.from(`c${c.id}_`, 'latin1');
  clients.add(c);
  socket.setNoDelay(true);
  socket.on('data', (chunk) => {
    if (c.closed) return;
    c.buf = c.buf.length ? Buffer.concat([c.buf, chunk]) : chunk;
    try {
      readMessages(c);
    } catch (err) {
      console.error(`pglite-server: connection #${c.id}: ${err.message}`);
      send(c, errorResponse('FATAL', '08P01', err.message));
      closeClient(c);
    }
    schedule(c);
  });
  socket.on('error', () => {}); // ECONNRESET etc.: 'close' follows and does the cleanup
  socket.on('close', () => { closeClient(c); schedule(c); }); // schedule: deallocate its statements
}

/** Frame the byte stream: startup packets (int32 length first), then 1-byte type + int32 length. */
function readMessages(c) {
  let offset = 0;
  for (;;) {
    const headerSize = c.started ? 5 : 4;
    if (c.buf.length - offset < headerSize) break;
    const length = c.buf.readInt32BE(offset + headerSize - 4);
    if (length < 4 || length > 0x40000000) throw new Error(`invalid message length ${length}`);
    const total = length + headerSize - 4;
    if (c.buf.length - offset < total) break;
    const bytes = c.buf.subarray(offset, offset + total);
    offset += total;
    if (c.started) {
      const type = String.fromCharCode(bytes[0]);
      c.pending.push({ type, bytes: scopeNames(c, type, bytes) });
    } else {
      handleStartupPacket(c, bytes);
      if (c.closed) return;
    }
  }
  c.buf = offset === c.buf.length ? Buffer.alloc(0) : Buffer.from(c.buf.subarray(offset));
}

function handleStartupPacket(c, packet) {
  const code = packet.length >= 8 ? packet.readInt32BE(4) : 0;
  if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
    c.socket.write('N'); // no encryption: the client continues in plain text
    return;
  }
  if (code === CANCEL_REQUEST_CODE) { closeClient(c); return; } // cancellation is not supported
  if (code >> 16 !== 3) throw new Error(`unsupported frontend protocol ${code >> 16}.${code & 0xffff}`);
  if (clients.size > MAX_CONNECTIONS) {
    send(c, errorResponse('FATAL', '53300', 'sorry, too many clients already'));
    closeClient(c);
    return;
  }
  const params = {};
  const fields = packet.toString('utf8', 8).split('\0');
  for (let i = 0; i + 1 < fields.length && fields[i]; i += 2) params[fields[i]] = fields[i + 1];
  const replies = [];
  const extensions = Object.keys(params).filter((k) => k.startsWith('_pq_.'));
  if ((code & 0xffff) !== 0 || extensions.length) { // newer minor version: settle on 3.0
    replies.push(message('v', Buffer.concat([int32(PROTOCOL_3_0), int32(extensions.length), ...extensions.map(cstring)])));
  }
  // Any user/password is accepted (the server binds to loopback by default).
  replies.push(message('R', int32(0))); // AuthenticationOk
  const status = {
    ...settings, client_encoding: 'UTF8', application_name: params.application_name ?? '',
    is_superuser: 'on', session_authorization: params.user ?? 'postgres',
    default_transaction_read_only: 'off', in_hot_standby: 'off',
  };
  for (const [name, value] of Object.entries(status)) {
    replies.push(message('S', Buffer.concat([cstring(name), cstring(value)])));
  }
  replies.push(message('K', Buffer.concat([int32(c.id), int32(randomInt(0x7fffffff))]))); // BackendKeyData
  replies.push(message('Z', Buffer.from('I'))); // ReadyForQuery
  c.socket.write(Buffer.concat(replies));
  c.started = true;
}

// ------------------------------------------------------------- start and stop
const server = net.createServer(onConnection);
server.on('error', (err) => {
  console.error(`pglite-server: ${err.message}`);
  shutdown('listen error', 1);
});
server.listen(PORT, HOST, () => {
  console.log(`PGlite (PostgreSQL ${settings.server_version} + pgvector ${pgvectorVersion}) ` +
    `listening on ${HOST}:${server.address().port}, data in ${DATA_DIR}`);
});

let stopping = null;
function shutdown(reason, exitCode = 0) {
  if (stopping) return stopping;
  shuttingDown = true;
  stopping = (async () => {
    setTimeout(() => { console.error('pglite-server: forced exit after 15 s'); process.exit(exitCode || 1); }, 15000).unref();
    server.close();
    for (const c of clients) closeClient(c);
    while (pumping) await new Promise((r) => setTimeout(r, 10)); // let the unit in flight finish
    try {
      if (!engineBroken) {
        if (owner) await recover(owner); // an open transaction is rolled back, as a real server would
        await db.close(); // flushes and closes the data directory cleanly
      }
    } catch (err) {
      console.error('pglite-server: error while closing PGlite:', err);
      exitCode ||= 1;
    }
    console.log(`pglite-server: stopped (${reason})`);
    process.exit(exitCode);
  })();
  return stopping;
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => shutdown(signal));
process.on('unhandledRejection', (err) => console.error('pglite-server: unhandled rejection:', err));
