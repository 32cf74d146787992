// A full garbage collection in another Node process, through its inspector: V8 collects
// lazily, so the heap a service reports while idle is mostly garbage; after a forced
// collection it is the live set, the number that grows with the cluster. The process runs
// with `--inspect-port=<port>` (inspector not active); SIGUSR1 activates it, and one
// HeapProfiler.collectGarbage call over the DevTools protocol's WebSocket does the rest.
// A minimal WebSocket client (one masked text frame out, unmasked frames in) keeps this
// free of a dependency.
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import type { Socket } from "node:net";

/** Activates the inspector of `pid` (listening on `port`) and runs a full GC; resolves when done. */
export async function collectGarbage(pid: number, port: number, timeoutMs = 60_000): Promise<void> {
  process.kill(pid, "SIGUSR1");
  const deadline = Date.now() + timeoutMs;
  let target: string | undefined;
  while (!target) {
    try {
      const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl?: string }[];
      target = list[0]?.webSocketDebuggerUrl;
    } catch {
      // not listening yet
    }
    if (!target) {
      if (Date.now() > deadline) throw new Error(`inspector of ${pid} not up on port ${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const socket = await upgrade(target, timeoutMs);
  try {
    await call(socket, { id: 1, method: "HeapProfiler.collectGarbage" }, deadline);
  } finally {
    socket.destroy();
  }
}

function upgrade(url: string, timeoutMs: number): Promise<Socket> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      timeout: timeoutMs,
      headers: { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": randomBytes(16).toString("base64") },
    });
    req.once("upgrade", (_res, socket) => resolve(socket));
    req.once("response", (res) => reject(new Error(`inspector refused the WebSocket upgrade: ${res.statusCode}`)));
    req.once("error", reject);
    req.end();
  });
}

/** Sends one request and waits for the reply with its id (events in between are skipped). */
function call(socket: Socket, message: { id: number; method: string }, deadline: number): Promise<void> {
  const payload = Buffer.from(JSON.stringify(message));
  const mask = randomBytes(4);
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 255]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  socket.write(Buffer.concat([header, mask, masked]));
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error(`no reply to ${message.method}`)), Math.max(0, deadline - Date.now()));
    socket.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const frame = readFrame(buf);
        if (!frame) return;
        buf = buf.subarray(frame.size);
        if ((JSON.parse(frame.text) as { id?: number }).id === message.id) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    socket.once("error", reject);
  });
}

/** One complete unmasked server frame at the start of `buf`, or undefined when more bytes are needed. */
function readFrame(buf: Buffer): { text: string; size: number } | undefined {
  if (buf.length < 2) return undefined;
  let len = buf[1] & 127;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  if (buf.length < offset + len) return undefined;
  return { text: buf.subarray(offset, offset + len).toString("utf8"), size: offset + len };
}
