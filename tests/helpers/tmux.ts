import { execFileSync } from "node:child_process";

/** A program running in a real pseudo-terminal inside a detached tmux session. */
export class TmuxSession {
  private constructor(readonly name: string) {}

  static start(command: string, env: Record<string, string> = {}): TmuxSession {
    const name = `ai-test-${process.pid}-${Date.now()}`;
    const exports = Object.entries(env).map(([k, v]) => `export ${k}='${v}';`).join(" ");
    // Keep the pane open after the program ends so its last screen and exit code can be read.
    execFileSync("tmux", ["new-session", "-d", "-s", name, "-x", "200", "-y", "60", `${exports} ${command}; echo "EXIT=$?"; sleep 30`]);
    return new TmuxSession(name);
  }

  screen(): string {
    return execFileSync("tmux", ["capture-pane", "-p", "-J", "-S", "-200", "-t", this.name], { encoding: "utf8" });
  }

  /** Waits (bounded) until the screen matches, returning it; throws with the screen on timeout. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  keys(...keys: string[]): void {
    execFileSync("tmux", ["send-keys", "-t", this.name, ...keys]);
  }

  type(text: string): void {
    execFileSync("tmux", ["send-keys", "-t", this.name, "-l", text]);
  }

  kill(): void {
    try {
      execFileSync("tmux", ["kill-session", "-t", this.name], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
}
