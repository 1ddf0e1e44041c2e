// Helpers of the console driver (driver.mjs): the line protocol with the Rust test that
// started us, Chromium with the emulator's certificate trusted by its key, axe-core and the
// 320-CSS-pixel check on every page, keyboard-only navigation, and screenshots.
//
// Protocol: we print `STEP {json}` on stdout when a step is done and wait for one line on
// stdin, `{"ok":true,...}` (go on) or `{"ok":false,"error":"..."}` (stop). At the end we print
// `DONE {json}` with the per-page accessibility results. Diagnostics go to stderr.

import { X509Certificate, createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";

import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const protocol = readline.createInterface({ input: process.stdin });
const replies = protocol[Symbol.asyncIterator]();

export function log(...args) {
  process.stderr.write(`driver: ${args.join(" ")}\n`);
}

/** Reports a finished step and waits for the Rust side to verify it. */
export async function step(name, data = {}) {
  log(`step ${name}`);
  process.stdout.write(`STEP ${JSON.stringify({ name, ...data })}\n`);
  const { value, done } = await replies.next();
  if (done) throw new Error(`the test runner went away after step ${name}`);
  const reply = JSON.parse(value);
  if (!reply.ok) throw new Error(`step ${name} failed its checks: ${reply.error}`);
  return reply;
}

export function finish(summary) {
  process.stdout.write(`DONE ${JSON.stringify(summary)}\n`);
}

/** Stops reading stdin, so that node can exit. */
export function endProtocol() {
  protocol.close();
  process.stdin.destroy();
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** base64(SHA-256(SubjectPublicKeyInfo)) of a PEM certificate: Chromium's SPKI pin. */
function spkiPin(certPath) {
  const cert = new X509Certificate(readFileSync(certPath));
  const spki = cert.publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

/**
 * Debian's Chromium, headless, in a fresh profile. TLS: the emulator's server key is trusted
 * through --ignore-certificate-errors-spki-list (which Chromium honours only with its own
 * --user-data-dir), so pages are a real secure context with a valid certificate; nothing else
 * is trusted and Playwright's ignoreHTTPSErrors stays off.
 */
export async function launch(serverCert) {
  const profile = mkdtempSync(path.join(tmpdir(), "acr-console-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--ignore-certificate-errors-spki-list=${spkiPin(serverCert)}`,
    ],
    viewport: { width: 1280, height: 900 },
    permissions: ["clipboard-read", "clipboard-write"],
    locale: "en-US",
    timezoneId: "UTC",
  });
  context.setDefaultTimeout(20_000);
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

export const audits = {};

/**
 * axe-core (every rule of its default set) on the page as it is, then the reflow check:
 * at 320 CSS pixels wide (1280 px at 400 % zoom) the page must not scroll sideways.
 * axe is evaluated through the DevTools protocol, so the console's CSP need not allow it.
 */
export async function audit(page, label) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  await page.setViewportSize(size);
  const entry = audits[label] || { path: new URL(page.url()).pathname, runs: 0, violations: [], overflow320: 0 };
  entry.runs += 1;
  entry.violations.push(...violations);
  entry.overflow320 = Math.max(entry.overflow320, overflow);
  audits[label] = entry;
  if (violations.length) log(`axe on ${label}: ${JSON.stringify(violations)}`);
  if (overflow > 0) log(`${label} scrolls sideways by ${overflow}px at 320px`);
}

/**
 * Proves the checks can fail: axe must report an unlabelled field and the reflow check a
 * 2000-pixel-wide block on a scratch page (not counted among the console's pages).
 */
export async function auditCanary(page) {
  await page.setContent('<!doctype html><html lang="en"><title>canary</title><main><input type="text"><div style="width:2000px">wide</div></main></html>');
  await audit(page, "canary");
  const canary = audits.canary;
  delete audits.canary;
  check(canary.violations.some((v) => v.id === "label"), `axe missed an unlabelled field: ${JSON.stringify(canary)}`);
  check(canary.overflow320 > 1000, `the reflow check missed a wide block: ${canary.overflow320}`);
}

/** Moves the focus with Tab only until `locator` has it (proving it is reachable). */
export async function tabTo(page, locator, max = 150) {
  const handle = await locator.elementHandle();
  check(handle, `no element for ${locator}`);
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await handle.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${locator} is not reachable with the Tab key`);
}

/**
 * The document's HTML once a navigation (or a browser error page after a refused history
 * navigation) has settled; polls until the deadline.
 */
export async function settledContent(page, deadlineMs = 10_000) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      await page.waitForLoadState("load");
      return await page.content();
    } catch (e) {
      if (Date.now() > end) throw e;
      await page.waitForTimeout(50);
    }
  }
}

/** Full-page screenshot; `mask` paints over secrets. */
export async function shot(page, dir, name, mask = []) {
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true, mask, animations: "disabled" });
}

/** Today + `days` in UTC, as an <input type=date> value. */
export function isoDate(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}
