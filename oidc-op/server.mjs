// A real OpenID Connect provider (panva/oidc-provider, certified) for the end-to-end sign-in test
// accounts/tests/test_oidc_e2e.py. Not a mock: authorization endpoint with its own login and consent
// pages (devInteractions), token, userinfo and JWKS endpoints, RS256-signed ID tokens.
//
// Environment: OP_PORT (127.0.0.1 only), OP_CLIENTS (JSON list of {client_id, client_secret,
// redirect_uris}), OP_ACCOUNTS (path of a JSON file {sub: {name, id_number, email}}, read at each
// login so that a test can change an account's claims).
import fs from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.OP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OP_CLIENTS).map((client) => ({
  ...client,
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
}));

const provider = new Provider(issuer, {
  clients,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    idcard: ['id_number'],
  },
  scopes: ['openid', 'email', 'profile', 'idcard'],
  pkce: { required: () => false },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['oidc-e2e-test-only'] },
  async findAccount(ctx, sub) {
    const accounts = JSON.parse(fs.readFileSync(process.env.OP_ACCOUNTS, 'utf8'));
    if (!accounts[sub]) return undefined;
    return { accountId: sub, async claims() { return { sub, email_verified: true, ...accounts[sub] }; } };
  },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
