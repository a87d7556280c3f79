// A minimal OpenID Connect provider for the end-to-end tests: discovery, an authorization
// endpoint that signs the configured user in at once, a token endpoint issuing an RS256 ID
// token, JWKS and userinfo. It checks the client credentials, the redirect URI and PKCE.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import http from "node:http";

export type FakeOidcUser = { sub: string; email: string; name: string };
export type FakeOidcProvider = { issuer: string; close: () => Promise<void> };

type PendingCode = { clientId: string; redirectUri: string; codeChallenge: string | null; nonce: string | null };

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

export async function startFakeOidcProvider(options: { port: number; clientId: string; clientSecret: string; user: FakeOidcUser }): Promise<FakeOidcProvider> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyId = randomBytes(8).toString("hex");
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Set<string>();

  const signIdToken = (audience: string, nonce: string | null) => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: keyId }));
    const payload = base64url(
      JSON.stringify({
        iss: issuer,
        aud: audience,
        sub: options.user.sub,
        email: options.user.email,
        email_verified: true,
        name: options.user.name,
        iat: now,
        exp: now + 300,
        ...(nonce ? { nonce } : {}),
      }),
    );
    const signature = sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  };

  const json = (response: http.ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    response.end(JSON.stringify(body));
  };

  const readForm = (request: http.IncomingMessage) =>
    new Promise<URLSearchParams>((resolve) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => resolve(new URLSearchParams(body)));
    });

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", issuer);
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(response, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        code_challenge_methods_supported: ["S256"],
        scopes_supported: ["openid", "email", "profile"],
      });
    }
    if (url.pathname === "/jwks") {
      return json(response, 200, { keys: [{ ...publicKey.export({ format: "jwk" }), kid: keyId, use: "sig", alg: "RS256" }] });
    }
    if (url.pathname === "/authorize") {
      const clientId = url.searchParams.get("client_id");
      const redirectUri = url.searchParams.get("redirect_uri");
      if (clientId !== options.clientId || !redirectUri) return json(response, 400, { error: "invalid_request" });
      const code = randomBytes(16).toString("hex");
      codes.set(code, {
        clientId,
        redirectUri,
        codeChallenge: url.searchParams.get("code_challenge"),
        nonce: url.searchParams.get("nonce"),
      });
      const target = new URL(redirectUri);
      target.searchParams.set("code", code);
      const state = url.searchParams.get("state");
      if (state) target.searchParams.set("state", state);
      response.writeHead(302, { location: target.toString() });
      return response.end();
    }
    if (url.pathname === "/token" && request.method === "POST") {
      const form = await readForm(request);
      const basic = request.headers.authorization?.startsWith("Basic ")
        ? Buffer.from(request.headers.authorization.slice(6), "base64").toString().split(":").map(decodeURIComponent)
        : [];
      const clientId = basic[0] ?? form.get("client_id");
      const clientSecret = basic[1] ?? form.get("client_secret");
      if (clientId !== options.clientId || clientSecret !== options.clientSecret) return json(response, 401, { error: "invalid_client" });
      const pending = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      if (!pending || pending.redirectUri !== form.get("redirect_uri")) return json(response, 400, { error: "invalid_grant" });
      if (pending.codeChallenge) {
        const verifier = form.get("code_verifier") ?? "";
        if (base64url(createHash("sha256").update(verifier).digest()) !== pending.codeChallenge) {
          return json(response, 400, { error: "invalid_grant", error_description: "PKCE verification failed" });
        }
      }
      const accessToken = randomBytes(16).toString("hex");
      accessTokens.add(accessToken);
      return json(response, 200, {
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: 300,
        id_token: signIdToken(pending.clientId, pending.nonce),
      });
    }
    if (url.pathname === "/userinfo") {
      const token = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
      if (!accessTokens.has(token)) return json(response, 401, { error: "invalid_token" });
      return json(response, 200, { sub: options.user.sub, email: options.user.email, name: options.user.name });
    }
    return json(response, 404, { error: "not_found" });
  });

  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
