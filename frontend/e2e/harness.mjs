// The server the browser tests talk to. Three modes:
//
//   direct    (default when `wwkit serve` exists): the browser talks to a
//             real `wwkit serve` on the in-process emulator and nothing else:
//             the page is the one embedded in the binary (frontend.H5()),
//             and /api/sim/* are the dev server's own endpoints.
//   serve     serves dist/h5 from disk and proxies
//             the dev-server endpoints (/api/jssdk/*, /api/media/fetch,
//             /media/*, /api/session, /api/oauth/*) to a real
//             `wwkit serve` on the in-process emulator; only /api/sim/*,
//             which the dev server does not have yet, is answered here.
//   emulator  a stand-in for `wwkit serve` backed by a `wwkit emulator`
//             process: it signs like the dev server (corp jsapi_ticket for
//             config, agent_config ticket for agentConfig, debug fields as
//             on the emulator profile) and stores media like it.
//
// In both, /api/sim/jssdk/verify is proxied to the emulator's
// /__emulator/jssdk/verify and /api/sim/media/upload to its media/upload,
// the shapes the dev server will serve.
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";

const gzipCache = new Map();

const MIME = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
  ".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".json": "application/json",
  ".ts": "text/plain",
};

/** startEmulator runs `wwkit emulator --json` and resolves its description. */
export function startEmulator(bin) {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ["emulator", "--addr", "127.0.0.1:0", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
    let buf = "";
    let err = "";
    p.stderr.on("data", (d) => { err += d; });
    p.on("exit", (code) => reject(new Error(`harness: wwkit emulator exited with ${code}: ${err}`)));
    p.stdout.on("data", (d) => {
      buf += d;
      try {
        const info = JSON.parse(buf);
        resolve({ info, proc: p });
      } catch { /* not complete yet */ }
    });
  });
}

/** startServe runs `wwkit serve --json` on a free port with a temp data dir. */
export function startServe(bin) {
  return new Promise((resolve, reject) => {
    const data = mkdtempSync(join(tmpdir(), "wwkit-h5-serve-"));
    const p = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--data", data, "--json", "--no-qr", "--log-level", "warn"], { stdio: ["ignore", "pipe", "pipe"] });
    let buf = "";
    let err = "";
    p.stderr.on("data", (d) => { err += d; });
    p.on("exit", (code) => reject(new Error(`harness: wwkit serve exited with ${code}: ${err}`)));
    p.stdout.on("data", (d) => {
      buf += d;
      try {
        resolve({ info: JSON.parse(buf), proc: p });
      } catch { /* not complete yet */ }
    });
  });
}

/** hasServe: whether this wwkit binary has the serve command. */
export function hasServe(bin) {
  try {
    execFileSync(bin, ["serve", "--help"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export async function startHarness({ bin, dist, mode = hasServe(bin) ? "direct" : "emulator" }) {
  let serve = null;
  let info, proc;
  if (mode === "direct") {
    serve = await startServe(bin);
    return {
      url: serve.info.url.replace(/\/$/, ""),
      mode,
      emulator: serve.info.emulator,
      close() { serve.proc.kill("SIGTERM"); },
    };
  }
  if (mode === "serve") {
    serve = await startServe(bin);
    info = serve.info.emulator;
    proc = serve.proc;
  } else {
    ({ info, proc } = await startEmulator(bin));
  }
  const corpId = info.wecom.corpId;
  const app = info.wecom.apps[0];
  const wecom = info.wecomBaseURL;
  const mediaDir = mkdtempSync(join(tmpdir(), "wwkit-h5-media-"));
  let token = null;

  async function api(path, init) {
    const r = await fetch(wecom + path, init);
    const j = await r.json();
    if (j.errcode) throw new Error(`harness: ${path.split("?")[0]}: ${j.errcode} ${j.errmsg}`);
    return j;
  }
  async function accessToken() {
    if (!token) token = (await api(`/cgi-bin/gettoken?corpid=${corpId}&corpsecret=${encodeURIComponent(app.secret)}`)).access_token;
    return token;
  }
  async function ticket(agent) {
    const t = await accessToken();
    return agent
      ? (await api(`/cgi-bin/ticket/get?access_token=${t}&type=agent_config`)).ticket
      : (await api(`/cgi-bin/get_jsapi_ticket?access_token=${t}`)).ticket;
  }
  async function sign(pageUrl, agent) {
    const url = pageUrl.split("#")[0];
    const tk = await ticket(agent);
    const nonceStr = randomBytes(8).toString("hex");
    const timestamp = Math.floor(Date.now() / 1000);
    const stringToSign = `jsapi_ticket=${tk}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`;
    const signature = createHash("sha1").update(stringToSign).digest("hex");
    const base = { ok: true, timestamp, nonceStr, signature, url, stringToSign };
    return agent ? { ...base, corpId, agentId: app.agentId } : { ...base, appId: corpId };
  }

  const send = (res, status, body, type = "application/json; charset=utf-8") => {
    res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
    res.end(typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  };
  const readBody = (req) => new Promise((resolve) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });

  const server = createServer(async (req, res) => {
    const u = new URL(req.url, "http://x");
    try {
      if (serve && /^\/(api\/(jssdk|media|session|oauth)|media\/)/.test(u.pathname)) {
        const hasBody = req.method !== "GET" && req.method !== "HEAD";
        const headers = {};
        for (const k of ["content-type", "cookie", "accept"]) if (req.headers[k]) headers[k] = req.headers[k];
        const r = await fetch(serve.info.url + req.url, { method: req.method, headers, body: hasBody ? await readBody(req) : undefined, redirect: "manual" });
        const out = {};
        for (const k of ["content-type", "location", "set-cookie", "cache-control"]) if (r.headers.get(k)) out[k] = r.headers.get(k);
        res.writeHead(r.status, out);
        return res.end(Buffer.from(await r.arrayBuffer()));
      }
      if (u.pathname === "/api/jssdk/config" || u.pathname === "/api/jssdk/agent-config") {
        return send(res, 200, await sign(u.searchParams.get("url") ?? "", u.pathname.endsWith("agent-config")));
      }
      if (u.pathname === "/api/sim/jssdk/verify" && req.method === "POST") {
        const r = await fetch(info.url + "/__emulator/jssdk/verify", { method: "POST", headers: { "Content-Type": "application/json" }, body: await readBody(req) });
        return send(res, r.status, await r.text());
      }
      if (u.pathname === "/api/sim/media/upload" && req.method === "POST") {
        const r = await fetch(`${wecom}/cgi-bin/media/upload?access_token=${await accessToken()}&type=image`, {
          method: "POST", headers: { "Content-Type": req.headers["content-type"] }, body: await readBody(req),
        });
        const j = await r.json();
        return send(res, j.errcode ? 502 : 200, j.errcode ? { ok: false, error: `media/upload: ${j.errcode} ${j.errmsg}` } : { ok: true, media_id: j.media_id });
      }
      if (u.pathname === "/api/media/fetch" && req.method === "POST") {
        const { serverId } = JSON.parse((await readBody(req)).toString() || "{}");
        const r = await fetch(`${wecom}/cgi-bin/media/get?access_token=${await accessToken()}&media_id=${encodeURIComponent(serverId ?? "")}`);
        const type = (r.headers.get("content-type") ?? "").split(";")[0];
        if (!r.ok || type === "application/json") return send(res, 502, { ok: false, error: `media/get: ${await r.text()}` });
        const body = Buffer.from(await r.arrayBuffer());
        const sha256 = createHash("sha256").update(body).digest("hex");
        const name = sha256.slice(0, 32) + (type === "image/png" ? ".png" : ".jpg");
        writeFileSync(join(mediaDir, name), body);
        return send(res, 200, { ok: true, url: "/media/" + name, contentType: type, size: body.length, sha256 });
      }
      if (u.pathname.startsWith("/media/")) {
        const f = join(mediaDir, u.pathname.slice(7).replace(/[^0-9a-f.a-z]/g, ""));
        if (!existsSync(f)) return send(res, 404, "not found", "text/plain");
        return send(res, 200, readFileSync(f), MIME[extname(f)] ?? "application/octet-stream");
      }
      if (u.pathname === "/api/session" || u.pathname === "/api/oauth/me") {
        return send(res, 401, { ok: false, error: "harness: no session" });
      }
      // Static files of the built page.
      const rel = normalize(decodeURIComponent(u.pathname === "/" ? "/index.html" : u.pathname)).replace(/^(\.\.[/\\])+/, "");
      const f = join(dist, rel);
      if (!f.startsWith(dist) || !existsSync(f) || statSync(f).isDirectory()) return send(res, 404, "not found", "text/plain");
      // Serve like the dev server should: gzip when accepted, hashed assets
      // immutable, the rest revalidated.
      let body = readFileSync(f);
      const headers = { "Content-Type": MIME[extname(f)] ?? "application/octet-stream", Vary: "Accept-Encoding",
        "Cache-Control": rel.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache" };
      if (/\bgzip\b/.test(req.headers["accept-encoding"] ?? "") && /\.(wasm|js|mjs|css|html|svg)$/.test(f)) {
        body = gzipCache.get(f) ?? gzipCache.set(f, gzipSync(body, { level: 6 })).get(f);
        headers["Content-Encoding"] = "gzip";
      }
      res.writeHead(200, headers);
      return res.end(body);
    } catch (e) {
      return send(res, 500, { ok: false, error: String(e?.message ?? e) });
    }
  });
  // Compress ahead, like an embedded build would, so timings measure the page, not the harness.
  const pre = (dir) => {
    for (const n of readdirSync(dir)) {
      const f = join(dir, n);
      if (statSync(f).isDirectory()) pre(f);
      else if (/\.(wasm|js|mjs|css|html|svg)$/.test(f)) gzipCache.set(f, gzipSync(readFileSync(f), { level: 6 }));
    }
  };
  pre(dist);
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    mode,
    emulator: info,
    close() {
      server.close();
      proc.kill("SIGTERM");
    },
  };
}
