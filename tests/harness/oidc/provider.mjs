#!/usr/bin/env node
// Real OpenID Connect provider (panva/oidc-provider) for Supplier Portal end-to-end tests.
//
//   node provider.mjs [--port P] [--host 127.0.0.1]
//
// Port: --port P, or a bare first argument, or $OIDC_PORT; 0 (the default) picks a free port.
// Prints exactly one line "LISTENING <port>" on stdout once connections are accepted, then runs
// until SIGTERM/SIGINT (exit 0). Everything else (logs, warnings) goes to stderr.
// Issuer: http://<host>:<port> (plain http on loopback; no proxy, no TLS).
//
// Environment (see README.md):
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI   the one confidential client
//   OIDC_ACCOUNTS   JSON [{"sub","email","email_verified","name"?,"password"}]
//
// The login/consent interaction is a plain HTML form (no JavaScript):
//   GET  /interaction/<uid>        -> 200 login form
//   POST /interaction/<uid>/login  (login=<email>&password=<pw>) -> 303 to /auth/<uid> on success,
//                                   401 with the form again on a wrong e-mail/password
//   GET  /interaction/<uid>/abort  -> 303 to /auth/<uid> (ends with error=access_denied)
// Consent for "openid email profile" is granted automatically for the configured client.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import process from 'node:process';

import Provider from 'oidc-provider';

const log = (...args) => console.error('[oidc-provider]', ...args);

function fail(message) {
  console.error(`provider.mjs: ${message}`);
  process.exit(2);
}

// ---- arguments / environment ---------------------------------------------------------------

function parseArgs(argv) {
  const out = { port: process.env.OIDC_PORT ?? '0', host: process.env.OIDC_HOST ?? '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--port') out.port = argv[(i += 1)];
    else if (a.startsWith('--port=')) out.port = a.slice('--port='.length);
    else if (a === '--host') out.host = argv[(i += 1)];
    else if (a.startsWith('--host=')) out.host = a.slice('--host='.length);
    else if (/^\d+$/.test(a)) out.port = a;
    else fail(`unknown argument ${a}`);
  }
  const port = Number(out.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad port ${out.port}`);
  return { port, host: out.host };
}

function requireEnv(name) {
  const v = process.env[name];
  if (!v) fail(`environment variable ${name} is required`);
  return v;
}

const { port: wantedPort, host } = parseArgs(process.argv.slice(2));
const CLIENT_ID = requireEnv('OIDC_CLIENT_ID');
const CLIENT_SECRET = requireEnv('OIDC_CLIENT_SECRET');
const REDIRECT_URIS = requireEnv('OIDC_REDIRECT_URI').split(/\s+/).filter(Boolean);

let accounts;
try {
  accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? '[]');
} catch (err) {
  fail(`OIDC_ACCOUNTS is not valid JSON: ${err.message}`);
}
if (!Array.isArray(accounts)) fail('OIDC_ACCOUNTS must be a JSON array');
for (const a of accounts) {
  if (!a || typeof a.sub !== 'string' || !a.sub || typeof a.email !== 'string' || typeof a.password !== 'string') {
    fail('each OIDC_ACCOUNTS entry needs string "sub", "email" and "password"');
  }
}
const bySub = new Map(accounts.map((a) => [a.sub, a]));
const byEmail = (email) => accounts.find((a) => a.email.toLowerCase() === String(email).trim().toLowerCase());

const GRANTED_SCOPE = 'openid email profile';

// ---- HTML ----------------------------------------------------------------------------------

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
}[c]));

function loginPage(uid, { login = '', error } = {}) {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<h1>Sign in</h1>
${error ? `<p class="error" id="error">${esc(error)}</p>\n` : ''}<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
  <input type="hidden" name="uid" value="${esc(uid)}">
  <label>E-mail <input type="email" name="login" value="${esc(login)}" required autofocus></label>
  <label>Password <input type="password" name="password" required></label>
  <button type="submit">Sign in</button>
</form>
<p><a href="/interaction/${esc(uid)}/abort">Cancel</a></p>
</body>
</html>
`;
}

function send(res, status, body, type = 'text/html; charset=utf-8') {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// ---- provider configuration ----------------------------------------------------------------

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: `rs256-${randomBytes(6).toString('hex')}`, use: 'sig', alg: 'RS256' };
}

function configuration() {
  return {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: REDIRECT_URIS,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // client_secret_post is accepted as well: oidc-provider treats the two as interchangeable.
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    }],
    jwks: { keys: [signingKey()] },
    cookies: {
      keys: [randomBytes(32).toString('hex')],
      // Never "secure": the issuer is plain http on loopback (oidc-provider only forces Secure
      // when the request itself is https).
      long: { httpOnly: true, sameSite: 'lax', signed: true, secure: false },
      short: { httpOnly: true, sameSite: 'lax', signed: true, secure: false },
    },
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Put scope-requested claims (email, email_verified, name) into the ID Token even for
    // response_type=code, so a relying party does not need the userinfo endpoint.
    conformIdTokenClaims: false,
    pkce: {
      methods: ['S256'],
      required: () => true,
    },
    responseTypes: ['code'],
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    interactions: {
      url: (ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    // Automatic consent: the configured (first-party) client always gets "openid email profile".
    async loadExistingGrant(ctx) {
      const { client, session, account } = ctx.oidc;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (grant && grant.accountId !== account.accountId) grant = undefined;
      if (!grant) {
        grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: account.accountId });
      }
      if (client.clientId === CLIENT_ID) {
        grant.addOIDCScope(GRANTED_SCOPE);
        await grant.save();
      }
      return grant;
    },
    async findAccount(ctx, sub) {
      const acc = bySub.get(sub);
      if (!acc) return undefined;
      return {
        accountId: acc.sub,
        async claims() {
          return {
            sub: acc.sub,
            email: acc.email,
            email_verified: acc.email_verified !== undefined ? Boolean(acc.email_verified) : true,
            name: acc.name ?? acc.email,
          };
        },
      };
    },
    clientBasedCORS: () => true,
    // Keep it close to a real deployment; the defaults are fine for tests.
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 600,
      IdToken: 3600,
      Interaction: 3600,
      Session: 86400,
      Grant: 86400,
    },
  };
}

// ---- interaction routes (plain node:http, no JavaScript needed on the client) ---------------

function interactionRoutes(provider) {
  return async function handle(req, res, url) {
    const m = url.pathname.match(/^\/interaction\/([^/]+)(\/login|\/abort)?\/?$/);
    if (!m) return false;
    const [, uid, action] = m;

    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (err) {
      send(res, 400, `<!DOCTYPE html><p>${esc(err.error_description || err.message)}</p>\n`);
      return true;
    }
    if (details.uid !== uid) {
      send(res, 400, '<!DOCTYPE html><p>interaction uid does not match the interaction cookie</p>\n');
      return true;
    }

    if (!action && req.method === 'GET') {
      if (details.prompt.name === 'login') {
        send(res, 200, loginPage(uid, { login: details.params.login_hint || '' }));
      } else {
        // consent (normally already satisfied by loadExistingGrant): grant whatever is missing.
        const { prompt: { details: missing }, params, session, grantId } = details;
        const grant = (grantId && await provider.Grant.find(grantId))
          || new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
          grant.addResourceScope(indicator, scopes.join(' '));
        }
        const newGrantId = await grant.save();
        await provider.interactionFinished(req, res, { consent: { grantId: newGrantId } }, { mergeWithLastSubmission: true });
      }
      return true;
    }

    if (action === '/login' && req.method === 'POST') {
      const form = await readForm(req);
      const login = form.get('login') ?? '';
      const password = form.get('password') ?? '';
      const acc = byEmail(login);
      if (!acc || acc.password !== password) {
        log(`login failed for ${JSON.stringify(login)}`);
        send(res, 401, loginPage(uid, { login, error: 'Invalid e-mail or password.' }));
        return true;
      }
      log(`login ok: ${acc.email} (sub ${acc.sub})`);
      await provider.interactionFinished(req, res, {
        login: { accountId: acc.sub, amr: ['pwd'] },
      }, { mergeWithLastSubmission: false });
      return true;
    }

    if (action === '/abort' && req.method === 'GET') {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'End-User aborted interaction',
      }, { mergeWithLastSubmission: false });
      return true;
    }

    send(res, 405, '<!DOCTYPE html><p>method not allowed</p>\n');
    return true;
  };
}

// ---- start ---------------------------------------------------------------------------------

const server = http.createServer();

server.listen(wantedPort, host, () => {
  const { port } = server.address();
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const provider = new Provider(issuer, configuration());
  provider.on('server_error', (ctx, err) => log('server_error', err));
  provider.on('authorization.error', (ctx, err) => log('authorization.error', err.message, err.error_description || ''));
  provider.on('grant.error', (ctx, err) => log('grant.error', err.message, err.error_description || ''));

  const interactions = interactionRoutes(provider);
  const oidc = provider.callback();

  server.on('request', async (req, res) => {
    try {
      const url = new URL(req.url, issuer);
      if (await interactions(req, res, url)) return;
      oidc(req, res);
    } catch (err) {
      log('interaction error', err);
      if (!res.headersSent) send(res, 500, '<!DOCTYPE html><p>internal error</p>\n');
    }
  });

  log(`issuer ${issuer}, client ${CLIENT_ID}, ${accounts.length} account(s)`);
  process.stdout.write(`LISTENING ${port}\n`);
});

server.on('error', (err) => fail(`cannot listen: ${err.message}`));

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  });
}
