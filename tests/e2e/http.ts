/** A signed-up Better Auth user: its id, session cookie and a JWT from `/api/auth/token`. */
export interface SignedInUser {
  id: string;
  name: string;
  email: string;
  cookie: string;
  token: string;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or null when the body is not JSON. */
  json: unknown;
  text: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** Sends one request with a time limit and reads the whole body. */
export async function request(url: string, init: RequestInit = {}): Promise<ApiResponse> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Signs a user up with email and password, then fetches a JWT for it with the session cookie. */
export async function signUp(authUrl: string, user: { name: string; email: string; password: string }): Promise<SignedInUser> {
  const response = await fetch(`${authUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: authUrl },
    body: JSON.stringify(user),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`sign-up of ${user.email} answered ${response.status}: ${text}`);
  const cookie = response.headers
    .getSetCookie()
    .map((value) => value.split(";")[0])
    .join("; ");
  const id = (JSON.parse(text) as { user: { id: string } }).user.id;
  return { id, name: user.name, email: user.email, cookie, token: await fetchToken(authUrl, cookie) };
}

/** `GET /api/auth/token` with a session cookie: the JWT the frontend would send to FastAPI. */
export async function fetchToken(authUrl: string, cookie: string): Promise<string> {
  const response = await request(`${authUrl}/api/auth/token`, { headers: { cookie, origin: authUrl } });
  const token = (response.json as { token?: unknown } | null)?.token;
  if (response.status !== 200 || typeof token !== "string") {
    throw new Error(`GET /api/auth/token answered ${response.status}: ${response.text}`);
  }
  return token;
}

/** A small client for the generated FastAPI routes: `call("GET", "/api/tasks", token)`. */
export function apiClient(apiUrl: string) {
  return (method: string, path: string, token?: string | null, body?: unknown): Promise<ApiResponse> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    return request(`${apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
}

export type ApiCall = ReturnType<typeof apiClient>;
