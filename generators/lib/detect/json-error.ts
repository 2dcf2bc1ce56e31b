import { lineOf } from "../text-offsets.js";

/** Where JSON text first goes wrong and why: JSON.parse's own messages carry no position for many errors. */
export interface JsonSyntaxProblem {
  offset: number;
  line: number;
  problem: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** The first syntax error in JSON text (RFC 8259), or null when it is valid. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  let i = 0;
  const what = () => (i >= text.length ? "end of file" : `'${text[i]}'`);
  const fail = (problem: string): never => {
    throw new Stop(i, problem);
  };
  const skipSpace = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const expect = (ch: string, context: string) => {
    skipSpace();
    if (text[i] !== ch) fail(`expected '${ch}' ${context}, found ${what()}`);
    i++;
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\n" || text.charCodeAt(i) < 0x20) fail("unterminated string");
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail("bad \\u escape in string");
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "")) fail(`bad escape '\\${text[i] ?? ""}' in string`);
      }
      i++;
    }
    if (i >= text.length) fail("unterminated string");
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail(`unexpected ${what()}`);
    i += match![0].length;
  };
  const value = (): void => {
    skipSpace();
    const ch = text[i];
    if (ch === "{") return object();
    if (ch === "[") return array();
    if (ch === '"') return string();
    if (ch === "-" || (ch >= "0" && ch <= "9")) return number();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail(`unexpected ${what()}, expected a value`);
  };
  const object = () => {
    i++;
    skipSpace();
    if (text[i] === "}") return void i++;
    for (;;) {
      skipSpace();
      if (text[i] !== '"') fail(`expected a double-quoted property name, found ${what()}`);
      string();
      expect(":", "after the property name");
      value();
      skipSpace();
      if (text[i] === "}") return void i++;
      if (text[i] !== ",") fail(`expected ',' or '}' after the property value, found ${what()}`);
      i++;
    }
  };
  const array = () => {
    i++;
    skipSpace();
    if (text[i] === "]") return void i++;
    for (;;) {
      value();
      skipSpace();
      if (text[i] === "]") return void i++;
      if (text[i] !== ",") fail(`expected ',' or ']' after the array element, found ${what()}`);
      i++;
    }
  };
  try {
    value();
    skipSpace();
    if (i < text.length) fail(`unexpected ${what()} after the end of the JSON value`);
    return null;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { offset: error.offset, line: lineOf(text, error.offset), problem: error.problem };
  }
}
