// A certified OpenID Connect provider (node-oidc-provider) for the SSO tests.
// Usage: node oidc-provider.mjs CONFIG.json  — prints "listening <port>" when ready.
// CONFIG: {"port", "issuer", "client": {client metadata}, "jwk": private signing
// key, "accounts": {"<sub>": {claims}}}. The development interactions (a login
// form that accepts any password, a consent form) stand in for a person.
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const provider = new Provider(config.issuer, {
  clients: [config.client],
  jwks: { keys: [config.jwk] },
  cookies: { keys: ['portal-sinergi-test-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const claims = config.accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});
provider.proxy = false;

const server = provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
