/** Other spellings of one valid compact JWS: each decodes to the same bytes with a lenient base64url decoder. */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** `=` padding as standard base64 would write it (none when the length is a multiple of 4). */
const padding = (segment: string) => "=".repeat((4 - (segment.length % 4)) % 4);

/** The last character with its unused low bits set: the same bytes to a lenient decoder, not canonical. */
function withUnusedBitsSet(segment: string): string | null {
  const unused = { 2: 0b1111, 3: 0b0011 }[segment.length % 4];
  if (!unused) return null;
  const last = ALPHABET.indexOf(segment.at(-1)!);
  return segment.slice(0, -1) + ALPHABET[last | 1];
}

/** Labelled non-canonical spellings of `token`; the signature's length must leave unused bits (HS256, EdDSA, ES256 do). */
export function otherSpellings(token: string): [string, string][] {
  const [header, payload, signature] = token.split(".");
  const bits = withUnusedBitsSet(signature);
  if (!bits || !padding(signature)) throw new Error("the signature's length leaves no unused bits");
  const spellings: [string, string][] = [
    ["'=' padding on the signature", `${header}.${payload}.${signature}${padding(signature)}`],
    ["unused bits set in the signature's last character", `${header}.${payload}.${bits}`],
    ["the standard base64 alphabet", `${header}.${payload}.${signature.replaceAll("-", "+").replaceAll("_", "/")}+`],
    ["a stray character", `${header}.${payload}.${signature}!`],
    ["a trailing dot", `${token}.`],
  ];
  if (padding(payload)) spellings.push(["'=' padding on the payload", `${header}.${payload}${padding(payload)}.${signature}`]);
  const headerBits = withUnusedBitsSet(header);
  if (headerBits) spellings.push(["unused bits set in the header's last character", `${headerBits}.${payload}.${signature}`]);
  return spellings;
}
