/**
 * A small POSIX-shell reader for the one-line and multi-line scripts deploy files run (a Dockerfile's RUN, render.yaml's
 * buildCommand, a workflow step's run): it splits a script into simple commands at `&&`, `||`, `;`, `|`, `&`, newlines
 * and parentheses, and each command into words with quotes removed. It runs nothing and expands nothing: a word that
 * needs the shell to expand it (`$VAR`, `$(...)`, a backtick, `*`, `?`) is marked dynamic.
 */

/** One simple command of a script: its words (quotes removed) and where it starts in the script. */
export interface ShellCommand {
  words: string[];
  /** For each word, whether the shell would expand it (`$`, a backtick, an unquoted `*` or `?`). */
  dynamic: boolean[];
  /** Offset of the command's first character in the script. */
  offset: number;
}

/** Words that start a compound command or a pipeline rather than name a program: skipped before the program. */
const RESERVED = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time"]);

/** Splits a shell script into its simple commands. Unclosed quotes end at the end of the script. */
export function shellCommands(script: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let dynamic: boolean[] = [];
  let offset = -1;
  let word = null as string | null;
  let wordDynamic = false;
  /** Set after a redirection operator: the next word is its target, not an argument. */
  let redirectTarget = false;

  const endWord = () => {
    if (word === null) return;
    if (redirectTarget) redirectTarget = false;
    else {
      words.push(word);
      dynamic.push(wordDynamic);
    }
    word = null;
    wordDynamic = false;
  };
  const startWord = (at: number) => {
    if (word === null) {
      word = "";
      if (offset < 0) offset = at;
    }
  };
  const endCommand = () => {
    endWord();
    let first = 0;
    while (first < words.length && RESERVED.has(words[first])) first++;
    if (words.length > first) commands.push({ words: words.slice(first), dynamic: dynamic.slice(first), offset });
    words = [];
    dynamic = [];
    offset = -1;
    redirectTarget = false;
  };

  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (ch === "\\") {
      if (script[i + 1] === "\n") {
        i++;
        continue;
      }
      if (script[i + 1] === "\r" && script[i + 2] === "\n") {
        i += 2;
        continue;
      }
      startWord(i);
      word += script[i + 1] ?? "";
      i++;
      continue;
    }
    if (ch === "'") {
      startWord(i);
      const close = script.indexOf("'", i + 1);
      const end = close < 0 ? script.length : close;
      word += script.slice(i + 1, end);
      i = end;
      continue;
    }
    if (ch === '"') {
      startWord(i);
      let j = i + 1;
      for (; j < script.length && script[j] !== '"'; j++) {
        if (script[j] === "\\" && j + 1 < script.length && '"\\$`\n'.includes(script[j + 1])) {
          if (script[j + 1] !== "\n") word += script[j + 1];
          j++;
        } else {
          if (script[j] === "$" || script[j] === "`") wordDynamic = true;
          word += script[j];
        }
      }
      i = j;
      continue;
    }
    if (ch === "#" && word === null) {
      const newline = script.indexOf("\n", i);
      i = (newline < 0 ? script.length : newline) - 1;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r") {
      endWord();
      continue;
    }
    if (ch === "\n" || ch === ";" || ch === "(" || ch === ")") {
      endCommand();
      continue;
    }
    if (ch === "&" || ch === "|") {
      // `2>&1`, `>&2`: a redirection, not a command separator.
      if (ch === "&" && script[i - 1] === ">") {
        continue;
      }
      endCommand();
      if (script[i + 1] === ch) i++;
      continue;
    }
    if (ch === ">" || ch === "<") {
      // `2>file`: the digits before it were the descriptor, not a word.
      if (word !== null && /^\d+$/.test(word)) word = null;
      endWord();
      while (script[i + 1] === ">" || script[i + 1] === "<" || script[i + 1] === "&") i++;
      if (/\d/.test(script[i + 1] ?? "") && script[i] === "&") i++;
      redirectTarget = true;
      continue;
    }
    startWord(i);
    // `pyjwt[crypto]` is a glob too, but one that matches no file in practice: the shell keeps it as it is.
    if (ch === "$" || ch === "`" || ch === "*" || ch === "?") wordDynamic = true;
    // `$(...)` holds a command of its own: keep it inside this word, to its closing parenthesis.
    if (ch === "$" && script[i + 1] === "(") {
      let depth = 0;
      let j = i + 1;
      for (; j < script.length; j++) {
        if (script[j] === "(") depth++;
        else if (script[j] === ")" && --depth === 0) break;
      }
      word += script.slice(i, j + 1);
      i = j;
      continue;
    }
    word += ch;
  }
  endCommand();
  return commands;
}
