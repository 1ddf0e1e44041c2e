// Drives the acr-emulator console in headless Chromium through the portal steps of the
// documentation's Chinese edition (shared/seeds/003_*), in their order, stopping after each
// one so that the Rust test (tests/integration/console/) can check it with `acr` and a
// registry client. axe-core and the 320-pixel reflow check run on every page; some steps are
// done with the keyboard alone. Inputs (environment): CONSOLE_URL (the one-time sign-in link),
// SERVER_CERT (the emulator's server.pem), REGISTRY, SHOTS (screenshot directory).

import {
  audit, auditCanary, audits, check, endProtocol, finish, isoDate, launch, log, settledContent, shot, step, tabTo,
} from "./lib.mjs";

const { CONSOLE_URL, SERVER_CERT, REGISTRY, SHOTS } = process.env;
check(CONSOLE_URL && SERVER_CERT && REGISTRY && SHOTS, "CONSOLE_URL, SERVER_CERT, REGISTRY and SHOTS are required");
const origin = new URL(CONSOLE_URL).origin;

const { context, close } = await launch(SERVER_CERT);
const page = context.pages()[0] || (await context.newPage());
page.on("pageerror", (e) => log(`page error: ${e.message}`));
// Script errors and CSP refusals show as console errors; a document answered with an error
// status (401, 404, ...) is expected here and only logs "Failed to load resource".
const consoleErrors = [];
page.on("console", (m) => {
  if (m.type() === "error" && !m.text().startsWith("Failed to load resource: the server responded with a status of")) {
    consoleErrors.push(m.text());
  }
});
page.on("response", (resp) => {
  if (resp.url().includes("/portal/static/") && resp.status() !== 200) consoleErrors.push(`${resp.url()}: ${resp.status()}`);
});

const main = page.locator("main");
const group = (name) => page.getByRole("group", { name, exact: true });
const heading = async (text) => check((await page.locator("h1").innerText()) === text, `expected page "${text}", got "${await page.locator("h1").innerText()}"`);

try {
  await auditCanary(page);
  // Signed out, every page is the sign-in notice.
  let r = await page.goto(`${origin}/portal/`);
  check(r.status() === 401, `signed out: ${r.status()}`);
  await audit(page, "sign-in required (401)");

  // The one-time link: a session cookie, and the link is spent.
  r = await page.goto(CONSOLE_URL);
  check(r.status() === 200 && new URL(page.url()).pathname === "/portal/", `sign-in landed on ${page.url()} (${r.status()})`);
  check(await page.evaluate(() => window.isSecureContext), "not a secure context");
  const cookies = await context.cookies(`${origin}/portal/`);
  const session = cookies.find((c) => c.name === "acr_console");
  check(session, `no session cookie: ${JSON.stringify(cookies)}`);
  check(session.secure && session.httpOnly && session.sameSite === "Strict" && session.path === "/portal/",
    `cookie attributes: ${JSON.stringify({ ...session, value: "…" })}`);
  check(!(await page.evaluate(() => document.cookie)).includes("acr_console"), "the session cookie is visible to scripts");
  await heading("Container registries");
  await audit(page, "registries");
  await shot(page, SHOTS, "registries");
  await step("signed-in", { usedLink: CONSOLE_URL });

  // 1. Navigate to the registry.  2. Repository permissions > Tokens > + Add.
  await page.getByRole("link", { name: REGISTRY, exact: true }).click();
  await heading(REGISTRY);
  await audit(page, "registry overview");
  await page.getByRole("navigation", { name: `Registry ${REGISTRY}` }).getByRole("link", { name: "Tokens" }).click();
  await heading("Tokens");
  await audit(page, "tokens (empty)");
  await page.getByRole("link", { name: "+ Add" }).click();
  await heading("Create token");
  await audit(page, "create token");

  // 3. The token name.  4. Scope map: Create new.  5.1 Its name and description.
  await page.getByLabel("Token name").fill("MyToken");
  await page.getByLabel("Create new").check();
  await page.getByLabel("Scope map name").fill("MyScopeMap");
  await page.getByLabel("Description").fill("Sample scope map");
  // 5.2 samples/hello-world with content/read and content/write, then "+ Add".
  const fresh = group("New repository");
  await fresh.getByLabel("Repository").fill("samples/hello-world");
  await fresh.getByLabel("content/read").check();
  await fresh.getByLabel("content/write").check();
  await page.getByRole("button", { name: "+ Add" }).click();
  const hello = group("Repository samples/hello-world");
  check(await hello.getByLabel("content/read").isChecked(), "content/read not kept after + Add");
  check(await hello.getByLabel("content/write").isChecked(), "content/write not kept after + Add");
  check(!(await hello.getByLabel("metadata/read").isChecked()), "metadata/read ticked by itself");
  check((await page.getByLabel("Token name").inputValue()) === "MyToken", "token name lost after + Add");
  await audit(page, "create token (repository added)");
  await shot(page, SHOTS, "token-create");
  // 6. Accept the default status (Enabled) and Create.
  check(await page.getByLabel("Enabled").isChecked(), "Enabled is not the default status");
  await page.getByRole("button", { name: "Create" }).click();
  await heading("MyToken");
  check((await main.innerText()).includes("Token created."), "no creation notice");
  await audit(page, "token");
  await step("token-created", { token: "MyToken", scopeMap: "MyScopeMap" });

  // Add a token password: Tokens > the token > password1 > Generate, with an expiry date.
  await page.getByRole("navigation", { name: `Registry ${REGISTRY}` }).getByRole("link", { name: "Tokens" }).click();
  await audit(page, "tokens");
  await page.getByRole("link", { name: "MyToken", exact: true }).click();
  const expiry = isoDate(30);
  await page.getByLabel(/Expiry date of password1/).fill(expiry);
  await page.getByRole("button", { name: "Generate password1" }).click();
  await heading("New password1 for MyToken");
  const password1 = (await page.locator("#password-value").innerText()).trim();
  check(/^[A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5}$/.test(password1), `password shape: ${password1.length} characters`);
  await page.getByRole("button", { name: "Copy password" }).click();
  await page.getByText("Copied to the clipboard.").waitFor();
  check((await page.evaluate(() => navigator.clipboard.readText())) === password1, "the clipboard does not hold the password");
  await audit(page, "password generated");
  await shot(page, SHOTS, "password-generated", [page.locator("#password-value")]);
  await step("password1-generated", { password: password1, expiryDate: expiry });

  // Shown once: neither a reload (which re-sends the POST) nor back/forward shows it again.
  await page.reload().catch((e) => log(`reload: ${e.message}`));
  check(!(await settledContent(page)).includes(password1), "the password came back on reload");
  await audit(page, "password form sent twice (409)");
  await page.goto(`${origin}/portal/registries/${REGISTRY}/tokens/MyToken`);
  check(!(await settledContent(page)).includes(password1), "the token page shows the password");
  await page.goBack().catch((e) => log(`back: ${e.message}`));
  check(!(await settledContent(page)).includes(password1), "the password came back with Back");
  await page.goForward().catch((e) => log(`forward: ${e.message}`));
  await page.goBack().catch((e) => log(`back: ${e.message}`));
  check(!(await settledContent(page)).includes(password1), "the password came back with Back/Forward");
  await step("password-not-shown-again", { password: password1 });

  // Update the scope map, with the keyboard alone: Scope maps > MyScopeMap; samples/nginx
  // with content/read and content/write, + Add; untick content/write of samples/hello-world;
  // Save.
  await page.goto(`${origin}/portal/registries/${REGISTRY}`);
  await tabTo(page, page.getByRole("navigation", { name: `Registry ${REGISTRY}` }).getByRole("link", { name: "Scope maps" }));
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/scope-maps$/);
  await heading("Scope maps");
  const names = await page.locator("table tbody th").allInnerTexts();
  await audit(page, "scope maps");
  await shot(page, SHOTS, "scope-maps");
  await step("scope-maps-listed", { names });
  await tabTo(page, page.getByRole("link", { name: "MyScopeMap", exact: true }));
  await page.keyboard.press("Enter");
  await heading("MyScopeMap");
  await audit(page, "scope map");
  await tabTo(page, group("New repository").getByLabel("Repository"));
  await page.keyboard.type("samples/nginx");
  await tabTo(page, group("New repository").getByLabel("content/read"));
  await page.keyboard.press("Space");
  await tabTo(page, group("New repository").getByLabel("content/write"));
  await page.keyboard.press("Space");
  await tabTo(page, page.getByRole("button", { name: "+ Add" }));
  await page.keyboard.press("Enter");
  await group("Repository samples/nginx").waitFor();
  await tabTo(page, group("Repository samples/hello-world").getByLabel("content/write"));
  await page.keyboard.press("Space");
  check(!(await group("Repository samples/hello-world").getByLabel("content/write").isChecked()), "content/write still ticked");
  await tabTo(page, page.getByRole("button", { name: "Save" }));
  await page.keyboard.press("Enter");
  await page.getByText("Scope map saved.").waitFor();
  await audit(page, "scope map (saved)");
  await shot(page, SHOTS, "scope-map");
  await step("scope-map-updated");

  // Delete images: add content/delete to samples/nginx.
  await group("Repository samples/nginx").getByLabel("content/delete").check();
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("Scope map saved.").waitFor();
  await step("nginx-delete-added", { password: password1 });

  // Show repository tags: add metadata/read to samples/hello-world.
  await group("Repository samples/hello-world").getByLabel("metadata/read").check();
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("Scope map saved.").waitFor();
  await step("hello-world-metadata-read-added", { password: password1 });

  // Repositories and tags, with what each token may do there.
  await page.getByRole("navigation", { name: `Registry ${REGISTRY}` }).getByRole("link", { name: "Repositories" }).click();
  await heading("Repositories");
  await audit(page, "repositories");
  await page.getByRole("link", { name: "samples/hello-world", exact: true }).click();
  await heading("samples/hello-world");
  const tags = await page.getByRole("table", { name: "Tags" }).locator("tbody th").allInnerTexts();
  const row = page.getByRole("table", { name: "Token permissions" }).getByRole("row", { name: /MyToken/ });
  const cells = await row.locator("th, td").allInnerTexts();
  await audit(page, "repository");
  await shot(page, SHOTS, "repository");
  await step("repository-shown", { tags, cells });

  // List tokens: the columns of `acr token list -o table`.
  await page.getByRole("navigation", { name: `Registry ${REGISTRY}` }).getByRole("link", { name: "Tokens" }).click();
  const tokenRows = await page.getByRole("table", { name: "Tokens" }).locator("tbody tr").evaluateAll(
    (trs) => trs.map((tr) => [...tr.children].map((c) => c.innerText.trim())),
  );
  const tokenHeaders = await page.getByRole("table", { name: "Tokens" }).locator("thead th").allInnerTexts();
  await shot(page, SHOTS, "tokens");
  await step("tokens-listed", { headers: tokenHeaders, rows: tokenRows });

  // A new scope map with wildcards (and a description that needs escaping); a bad
  // repository name is refused with the API's message.
  const description = `Team <b>"A"</b> & 'B'`;
  await page.getByRole("navigation", { name: `Registry ${REGISTRY}` }).getByRole("link", { name: "Scope maps" }).click();
  await page.getByRole("link", { name: "+ Add" }).click();
  await heading("Create scope map");
  await page.getByLabel("Scope map name").fill("MyNewScopeMap");
  await page.getByLabel("Description").fill(description);
  await group("New repository").getByLabel("Repository").fill("Samples/Bad");
  await group("New repository").getByLabel("content/read").check();
  await page.getByRole("button", { name: "Create" }).click();
  const refusal = await page.getByRole("alert").innerText();
  check(refusal.includes("repository names may contain only lower-case letters"), `refusal: ${refusal}`);
  check((await page.getByLabel("Description").inputValue()) === description, "description lost on refusal");
  await audit(page, "create scope map (refused)");
  await group("Repository Samples/Bad").getByLabel("Repository").fill("samples/*");
  await page.getByRole("button", { name: "+ Add" }).click();
  await group("New repository").getByLabel("Repository").fill("*");
  await group("New repository").getByLabel("metadata/read").check();
  await page.getByRole("button", { name: "Create" }).click();
  await heading("MyNewScopeMap");
  check((await page.getByLabel("Description").inputValue()) === description, "description not kept verbatim");
  check((await main.locator("b").count()) === 0, "the description was rendered as markup");
  await step("wildcard-scope-map-created", { scopeMap: "MyNewScopeMap", description });

  // Update the token with the new scope map (token page > Scope map).
  await page.goto(`${origin}/portal/registries/${REGISTRY}/tokens/MyToken`);
  await page.getByLabel("Scope map").selectOption("MyNewScopeMap");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("Token settings saved.").waitFor();
  await shot(page, SHOTS, "token", []);
  await step("token-scope-map-changed", { scopeMap: "MyNewScopeMap", password: password1 });

  // A scope map in use cannot be deleted.
  await page.goto(`${origin}/portal/registries/${REGISTRY}/scope-maps/MyNewScopeMap`);
  await page.getByRole("button", { name: "Delete scope map" }).click();
  const inUse = await page.getByRole("alert").innerText();
  check(inUse.includes("MyToken"), `delete refusal: ${inUse}`);
  await audit(page, "scope map (delete refused)");
  // A system map is read-only.
  await page.goto(`${origin}/portal/registries/${REGISTRY}/scope-maps/_repositories_pull`);
  check((await page.getByRole("button", { name: "Save" }).count()) === 0, "a system map has a Save button");
  await audit(page, "system scope map");

  // After a scope-map change, a new password (password2, no expiry), then delete password1.
  await page.goto(`${origin}/portal/registries/${REGISTRY}/tokens/MyToken`);
  await page.getByRole("button", { name: "Generate password2" }).click();
  const password2 = (await page.locator("#password-value").innerText()).trim();
  check(password2 !== password1 && password2.length === 52, "password2");
  await step("password2-generated", { password: password2 });
  await page.getByRole("link", { name: "Done" }).click();
  await page.getByRole("button", { name: "Delete password1" }).click();
  await page.getByText("password1 deleted.").waitFor();
  await step("password1-deleted", { oldPassword: password1, password: password2 });

  // Disable the token (Status > Disabled), with the keyboard alone.
  // Tab reaches the checked radio button of the group; an arrow key moves to the next.
  await tabTo(page, page.getByLabel("Enabled"));
  await page.keyboard.press("ArrowDown");
  check(await page.getByLabel("Disabled").isChecked(), "the arrow key did not choose Disabled");
  await tabTo(page, page.getByRole("button", { name: "Save" }));
  await page.keyboard.press("Enter");
  await page.getByText("Token settings saved.").waitFor();
  await audit(page, "token (disabled)");
  await step("token-disabled", { password: password2 });

  // Delete the token.
  await page.getByLabel(/Delete token MyToken/).check();
  await page.getByRole("button", { name: "Delete token" }).click();
  await page.getByText("Token deleted.").waitFor();
  await step("token-deleted", { token: "MyToken" });

  // An invalid token name is refused and shown back escaped.
  await page.getByRole("link", { name: "+ Add" }).click();
  const badName = `<b>"x'&</b>`;
  await page.getByLabel("Token name").fill(badName);
  await page.getByLabel("Use existing").check();
  await page.getByRole("button", { name: "Create" }).click();
  check((await page.getByRole("alert").innerText()).includes(`The token name '${badName}' is invalid.`), "token name refusal");
  check((await page.getByLabel("Token name").inputValue()) === badName, "token name not shown back verbatim");
  check((await main.locator("b").count()) === 0, "the token name was rendered as markup");
  await audit(page, "create token (refused)");

  // Unknown pages, then sign out: the cookie no longer opens anything.
  r = await page.goto(`${origin}/portal/registries/${REGISTRY}/tokens/NoSuchToken`);
  check(r.status() === 404, `unknown token: ${r.status()}`);
  await audit(page, "not found (404)");
  await page.goto(`${origin}/portal/`);
  await page.getByRole("button", { name: "Sign out" }).click();
  await heading("Signed out");
  await audit(page, "signed out");
  r = await page.goto(`${origin}/portal/`);
  check(r.status() === 401, `after sign-out: ${r.status()}`);
  r = await page.goto(CONSOLE_URL);
  check(r.status() === 403, `a used link: ${r.status()}`);
  await audit(page, "used sign-in link (403)");
  check(consoleErrors.length === 0, `console errors: ${consoleErrors.join("; ")}`);
  finish({ audits });
} catch (e) {
  log(e.stack || String(e));
  await shot(page, SHOTS, "failure").catch(() => {});
  process.stdout.write(`FAIL ${JSON.stringify({ error: String(e.message || e), url: page.url(), audits })}\n`);
  process.exitCode = 1;
} finally {
  await close();
  endProtocol();
}
