import { UserInputError } from "../errors.js";
import type { Answers } from "../types.js";

/** A Better Auth social provider the generated config, env examples and pages name. */
export interface SocialProvider {
  /** Better Auth's key in `socialProviders` and `signIn.social({ provider })`. */
  id: string;
  /** The button's text: "Continue with <label>". */
  label: string;
  /** `<envPrefix>_CLIENT_ID` and `<envPrefix>_CLIENT_SECRET` hold its credentials. */
  envPrefix: string;
  /** Where its OAuth app (client id and secret) is created. */
  console: string;
  /** What else its setup needs, for the next step. */
  note?: string;
}

const PROVIDERS: Record<string, Omit<SocialProvider, "id" | "envPrefix">> = {
  google: { label: "Google", console: "https://console.cloud.google.com/apis/credentials (OAuth client ID, Web application)" },
  github: { label: "GitHub", console: "https://github.com/settings/developers (OAuth Apps)" },
  discord: { label: "Discord", console: "https://discord.com/developers/applications (OAuth2)" },
  microsoft: { label: "Microsoft", console: "https://entra.microsoft.com (App registrations, a Web platform redirect URI)" },
  apple: {
    label: "Apple",
    console: "https://developer.apple.com/account/resources/identifiers/list (a Services ID with Sign in with Apple)",
    note:
      "APPLE_CLIENT_ID is the Services ID; APPLE_CLIENT_SECRET is a JWT you sign with the Sign in with Apple key (.p8, its Key ID and your Team ID), " +
      "valid for 6 months at most, so renew it; Apple accepts only https redirect URIs (no localhost), and posts its answer from https://appleid.apple.com, which lib/auth.ts trusts",
  },
  gitlab: { label: "GitLab", console: "https://gitlab.com/-/user_settings/applications (scopes: read_user, openid, email)" },
  facebook: { label: "Facebook", console: "https://developers.facebook.com/apps (Facebook Login)" },
  linkedin: { label: "LinkedIn", console: "https://www.linkedin.com/developers/apps (Sign In with LinkedIn using OpenID Connect)" },
  twitter: { label: "X", console: "https://developer.x.com/en/portal/dashboard (OAuth 2.0, with the email permission)" },
};

/** The origin Sign in with Apple posts its answer from: Better Auth must trust it. */
export const APPLE_ORIGIN = "https://appleid.apple.com";

/** The providers of the socialProviders answer ("google,github"; "none" or "" for none), in its order, once each. */
export function socialProviders(answers: Pick<Answers, "socialProviders">): SocialProvider[] {
  const value = (answers.socialProviders ?? "none").trim();
  if (value === "" || value === "none") return [];
  const ids = [...new Set(value.split(",").map((id) => id.trim().toLowerCase()).filter(Boolean))];
  return ids.map((id) => {
    const known = PROVIDERS[id];
    if (!known) throw new UserInputError(`--social-providers: "${id}" is not one of ${Object.keys(PROVIDERS).join(", ")}`);
    return { id, envPrefix: id.toUpperCase(), ...known };
  });
}

/** The env keys of each provider's credentials: GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, ... */
export function socialEnvKeys(providers: SocialProvider[]): string[] {
  return providers.flatMap((p) => [`${p.envPrefix}_CLIENT_ID`, `${p.envPrefix}_CLIENT_SECRET`]);
}

/** The `socialProviders: {...}` option (and Apple's trusted origin) for betterAuth(), two-space indent from column 0. */
export function socialProvidersOption(providers: SocialProvider[]): string {
  const entries = providers.map((p) =>
    [`  ${p.id}: {`, `    clientId: process.env.${p.envPrefix}_CLIENT_ID as string,`, `    clientSecret: process.env.${p.envPrefix}_CLIENT_SECRET as string,`, "  },"].join("\n"),
  );
  const trusted = providers.some((p) => p.id === "apple") ? `\n// Sign in with Apple posts its answer from Apple's origin.\ntrustedOrigins: ["${APPLE_ORIGIN}"],` : "";
  return `socialProviders: {\n${entries.join("\n")}\n},${trusted}`;
}

/** The providers a Better Auth config's text does not configure yet (no `id: {` key in it). */
export function unconfiguredProviders(text: string, providers: SocialProvider[]): SocialProvider[] {
  if (!/\bsocialProviders\b/.test(text)) return providers;
  return providers.filter((p) => !new RegExp(`\\b${p.id}\\s*:\\s*\\{`).test(text));
}

/**
 * What to do before the provider buttons work, one line per provider: where to create its OAuth app, the
 * redirect URI to register there (`<authUrl>/api/auth/callback/<id>`), and the env file its keys go in.
 */
export function socialSetupSteps(providers: SocialProvider[], authUrl: string, envFile: string): string[] {
  return providers.map(
    (p) =>
      `Sign in with ${p.label}: create an OAuth app at ${p.console}, register the redirect URI ${authUrl.replace(/\/+$/, "")}/api/auth/callback/${p.id}, ` +
      `and set ${p.envPrefix}_CLIENT_ID and ${p.envPrefix}_CLIENT_SECRET in ${envFile}${p.note ? `; ${p.note}` : ""}.`,
  );
}
