'use strict';
/*
 * One warm instance of a cloud function: a child process of the local cloud running ONE
 * invocation at a time, like an SCF instance. Plain CommonJS so it starts fast and needs no
 * TypeScript loader. Protocol over the IPC channel:
 *   parent -> { type: 'invoke', id, event, context, env, offsetMs, timeLimitMs } | { type: 'reload' }
 *   child  -> { type: 'ready', loadMs } | { type: 'loadError', error } | { type: 'log', id, stream, text }
 *           | { type: 'result', id, ok, json | error } | { type: 'fatal', id, error }
 * argv: functionDir, JSON list of allowed "host:port" endpoints, initial clock offset (ms),
 * `group` when this process leads its own process group.
 */
const path = require('node:path');
const net = require('node:net');

const functionDir = process.argv[2];
const allowedEndpoints = new Set(JSON.parse(process.argv[3] || '[]'));
let offsetMs = Number(process.argv[4] || 0);
const leadsGroup = process.argv[5] === 'group';
let currentId;

// ---------------------------------------------------------------------------------------------
// Logs: console output goes through IPC so it stays ordered with the result of its invocation
// (pipes and the IPC channel are separate streams; the parent could see them out of order).
for (const stream of ['stdout', 'stderr']) {
  const original = process[stream].write.bind(process[stream]);
  process[stream].write = function write(chunk, encoding, callback) {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
    if (process.connected) {
      try {
        process.send({ type: 'log', id: currentId, stream, text });
      } catch {
        return original(chunk, encoding, callback);
      }
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(done);
      return true;
    }
    return original(chunk, encoding, callback);
  };
}

// ---------------------------------------------------------------------------------------------
// Clock: the function sees the emulator clock. Only "now" moves (no-arg constructor, Date(),
// Date.now); explicit dates stay what they say.
const RealDate = Date;
function DuetDate(...args) {
  if (!new.target) return new RealDate(RealDate.now() + offsetMs).toString();
  return Reflect.construct(RealDate, args.length === 0 ? [RealDate.now() + offsetMs] : args, new.target);
}
DuetDate.prototype = RealDate.prototype;
Object.setPrototypeOf(DuetDate, RealDate);
DuetDate.now = () => RealDate.now() + offsetMs;
DuetDate.parse = RealDate.parse;
DuetDate.UTC = RealDate.UTC;
globalThis.Date = DuetDate;

// ---------------------------------------------------------------------------------------------
// Outbound guard: a function may reach the local cloud only. Checked before any DNS lookup or
// connect, so a blocked request sends no packet at all. http, https, http2, tls and fetch
// (undici) all end in net.Socket.prototype.connect.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
function targetOf(args) {
  let options;
  if (Array.isArray(args[0])) options = args[0][0];
  else if (args[0] !== null && typeof args[0] === 'object') options = args[0];
  else if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    options = { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined };
  } else if (typeof args[0] === 'string') options = { path: args[0] };
  if (!options || options.path) return undefined; // a local socket file, not the network
  return { host: options.host || 'localhost', port: Number(options.port) };
}
function isAllowed(target) {
  const host = String(target.host).toLowerCase();
  for (const endpoint of allowedEndpoints) {
    const at = endpoint.lastIndexOf(':');
    const allowedHost = endpoint.slice(0, at).toLowerCase();
    const allowedPort = Number(endpoint.slice(at + 1));
    if (target.port !== allowedPort) continue;
    if (host === allowedHost) return true;
    if (LOOPBACK.has(host) && LOOPBACK.has(allowedHost)) return true;
  }
  return false;
}
const realConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const target = targetOf(args);
  if (target && !isAllowed(target)) {
    const where = `${target.host}:${target.port}`;
    const error = new Error(
      `[duet-local-cloud] blocked outbound connection to ${where}: functions in the local cloud may only reach the emulator ` +
        `(${[...allowedEndpoints].join(', ')})`,
    );
    error.code = 'EDUETBLOCKED';
    error.host = target.host;
    error.port = target.port;
    process.stderr.write(`[duet-local-cloud] blocked outbound ${where}\n`);
    // Look like a socket still resolving its host (writes queue up, a TLS handshake waits for
    // 'connect'), then fail once the caller (http's onSocket runs on a later tick) is listening.
    this.connecting = true;
    setImmediate(() => this.destroy(error));
    return this;
  }
  return realConnect.apply(this, args);
};

// ---------------------------------------------------------------------------------------------
// Frames of this runner and of Node internals say nothing about the function's code.
function cleanStack(stack) {
  if (typeof stack !== 'string') return stack;
  return stack
    .split('\n')
    .filter(
      (line) => !/^\s+at /.test(line) || !(line.includes(__filename) || /node:internal|node:events|new Promise \(<anonymous>\)/.test(line)),
    )
    .join('\n');
}

function serializeError(error) {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: cleanStack(error.stack), code: error.code };
  }
  let text;
  try {
    text = typeof error === 'string' ? error : JSON.stringify(error);
  } catch {
    text = String(error);
  }
  return { name: 'Error', message: text, stack: undefined };
}

function send(message, callback) {
  if (!process.connected) return;
  try {
    process.send(message, callback);
  } catch {
    // The parent went away: nothing left to report to.
  }
}

process.on('uncaughtException', (error) => {
  send({ type: 'fatal', id: currentId, error: serializeError(error) }, () => process.exit(1));
  setTimeout(() => process.exit(1), 500).unref();
});
process.on('unhandledRejection', (reason) => {
  const text = reason instanceof Error ? reason.stack || reason.message : String(reason);
  process.stderr.write(`[duet-local-cloud] unhandled promise rejection: ${text}\n`);
});
// The local cloud is gone (stopped, or killed without a chance to clean up): nobody will kill this
// instance's process group, so it goes itself, taking what the function started with it.
process.on('disconnect', () => endWithGroup());

let handler;
/** Loads the function's module: at start (the cold start) and again on a reset (see `reload`). */
function load() {
  try {
    // Module load alone (the bundle and what it requires, wx-server-sdk included): the part of a
    // cold start a function's own size decides; the parent adds process start-up around it.
    const loadStarted = process.hrtime.bigint();
    const userModule = require(path.join(functionDir, 'index.js'));
    const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;
    handler = userModule?.main;
    if (typeof handler !== 'function') {
      const error = new Error(`index.js of ${path.basename(functionDir)} does not export a function "main"`);
      error.stack = `Error: ${error.message}`;
      throw error;
    }
    send({ type: 'ready', loadMs });
  } catch (error) {
    send({ type: 'loadError', error: serializeError(error) }, () => process.exit(1));
  }
}

// ---------------------------------------------------------------------------------------------
// Reload: what a reset does to an idle instance. A test suite resets before every test, and a
// new process per function per test spends most of its time loading wx-server-sdk again. So the
// instance keeps its process and the SDK's modules, and gets what a new process would have: the
// function's own modules loaded afresh (module-level caches start empty), its pending timers
// gone, the environment it started with.
const startEnv = { ...process.env };
const pendingTimers = new Set();
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
const realClearTimeout = globalThis.clearTimeout;
const realClearInterval = globalThis.clearInterval;
function trackedTimer(real, once) {
  const wrapped = (callback, ...rest) => {
    if (typeof callback !== 'function') return real(callback, ...rest);
    const handle = real(
      function fire(...args) {
        if (once) pendingTimers.delete(handle);
        return callback.apply(this, args);
      },
      ...rest,
    );
    pendingTimers.add(handle);
    return handle;
  };
  for (const key of Reflect.ownKeys(real)) if (!(key in wrapped)) wrapped[key] = real[key];
  return wrapped;
}
globalThis.setTimeout = trackedTimer(realSetTimeout, true);
globalThis.setInterval = trackedTimer(realSetInterval, false);
globalThis.clearTimeout = (handle) => {
  pendingTimers.delete(handle);
  return realClearTimeout(handle);
};
globalThis.clearInterval = (handle) => {
  pendingTimers.delete(handle);
  return realClearInterval(handle);
};

/** wx-server-sdk's modules and everything it loaded itself: kept across a reload. */
function sdkModules() {
  const kept = new Set([__filename]);
  let entry;
  try {
    entry = require.cache[require.resolve('wx-server-sdk', { paths: [functionDir] })];
  } catch {
    return kept;
  }
  const stack = entry ? [entry] : [];
  while (stack.length > 0) {
    const mod = stack.pop();
    if (kept.has(mod.id)) continue;
    kept.add(mod.id);
    for (const child of mod.children ?? []) stack.push(child);
  }
  return kept;
}

// Processes the function started and that still run. A reload cannot take them back, so an instance
// with any goes as a killed one would: with its whole process group.
const liveChildren = new Set();
const { ChildProcess } = require('node:child_process');
const realSpawn = ChildProcess.prototype.spawn;
ChildProcess.prototype.spawn = function trackedSpawn(...args) {
  const result = realSpawn.apply(this, args);
  liveChildren.add(this);
  this.once('exit', () => liveChildren.delete(this));
  return result;
};

function endWithGroup() {
  if (leadsGroup) {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      // Not allowed or already gone: at least this process ends.
    }
  }
  for (const child of liveChildren) child.kill('SIGKILL');
  process.exit(0);
}

function reload() {
  if (liveChildren.size > 0) {
    endWithGroup();
    return;
  }
  for (const handle of pendingTimers) realClearTimeout(handle);
  pendingTimers.clear();
  for (const key of Object.keys(process.env)) if (!(key in startEnv)) delete process.env[key];
  Object.assign(process.env, startEnv);
  invocationEnvKeys.clear();
  const kept = sdkModules();
  for (const id of Object.keys(require.cache)) if (!kept.has(id)) delete require.cache[id];
  handler = undefined;
  load();
}

const invocationEnvKeys = new Set();
function applyEnv(env) {
  for (const key of invocationEnvKeys) delete process.env[key];
  invocationEnvKeys.clear();
  for (const [key, value] of Object.entries(env || {})) {
    process.env[key] = String(value);
    invocationEnvKeys.add(key);
  }
}

function callMain(event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    // Old-style handlers answer through the SCF callback (error first).
    const callback = (error, value) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(value);
    };
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      settled = true;
      reject(error);
      return;
    }
    if (returned && typeof returned.then === 'function') {
      returned.then(
        (value) => callback(null, value),
        (error) => callback(error === undefined || error === null ? new Error(String(error)) : error),
      );
    } else if (returned !== undefined || handler.length < 3) {
      callback(null, returned);
    }
  });
}

process.on('message', async (message) => {
  if (message?.type === 'reload') {
    reload();
    return;
  }
  if (message?.type !== 'invoke') return;
  offsetMs = Number(message.offsetMs) || 0;
  applyEnv(message.env);
  currentId = message.id;
  const deadline = RealDate.now() + Number(message.timeLimitMs || 3000);
  const context = {
    ...message.context,
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - RealDate.now()),
  };
  let reply;
  try {
    const value = await callMain(message.event, context);
    let json;
    try {
      json = JSON.stringify(value === undefined ? null : value);
    } catch (error) {
      throw new Error(`the return value of main is not JSON: ${error.message}`);
    }
    reply = { type: 'result', id: message.id, ok: true, json };
  } catch (error) {
    reply = { type: 'result', id: message.id, ok: false, error: serializeError(error) };
  }
  currentId = undefined;
  send(reply);
});

load();
